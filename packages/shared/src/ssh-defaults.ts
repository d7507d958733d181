/**
 * The SSH settings in force for a node (issue 16): its own settings, and for the user, port and
 * remote folder it does not set, the cluster's defaults (`sshDefaults`); then OpenSSH's own
 * defaults (root, 22, the user's home) where the connection code applies them. Computed at read
 * time, never stored: a changed default reaches every node that inherits it. Pure.
 */
import type { ClusterInput, ClusterNode, SshSettings } from './api/cluster.ts';

/** A node's effective SSH settings (undefined when neither it nor the cluster sets anything). */
export function effectiveSsh(cluster: Pick<ClusterInput, 'sshDefaults'>, node: Pick<ClusterNode, 'ssh'>): SshSettings | undefined {
  const d = cluster.sshDefaults;
  if (!d || (d.user === undefined && d.port === undefined && d.remoteDir === undefined)) return node.ssh;
  const own = node.ssh ?? {};
  const out: SshSettings = { ...own };
  if (own.user === undefined && d.user !== undefined) out.user = d.user;
  if (own.port === undefined && d.port !== undefined) out.port = d.port;
  if (own.remoteDir === undefined && d.remoteDir !== undefined) out.remoteDir = d.remoteDir;
  return out;
}

/** The node with its effective SSH settings in place of its own (for the code that connects). */
export function withEffectiveSsh<N extends ClusterNode>(cluster: Pick<ClusterInput, 'sshDefaults'>, node: N): N {
  const ssh = effectiveSsh(cluster, node);
  return ssh === node.ssh ? node : { ...node, ssh };
}

/** Which of user, port and remote folder a node takes from the cluster's defaults. */
export function inheritedSshFields(cluster: Pick<ClusterInput, 'sshDefaults'>, node: Pick<ClusterNode, 'ssh'>): Array<'user' | 'port' | 'remoteDir'> {
  const d = cluster.sshDefaults ?? {};
  return (['user', 'port', 'remoteDir'] as const).filter((f) => node.ssh?.[f] === undefined && d[f] !== undefined);
}
