/**
 * Where the CA key can go (issue 8): the nodes that receive ca-key.pem and the SSH target each
 * would be written to. A change of topology or SSH settings that adds such a node or changes
 * such a target decides where the CA key goes, so kpki lets only an admin who re-entered the
 * password make it. Pure.
 */
import type { ClusterInput, ClusterNode } from './api/cluster.ts';
import { buildCatalog } from './catalog.ts';
import { buildFiles, underCaKeyRule } from './distribution.ts';
import { buildKubeconfigs } from './kubeconfigs.ts';
import { withEffectiveSsh } from './ssh-defaults.ts';

/**
 * Names of the nodes whose files include ca-key.pem or admin.kubeconfig (underCaKeyRule; with
 * the tutorial's rules: control-plane nodes).
 */
export function caKeyHolders(cluster: ClusterInput): Set<string> {
  const catalog = buildCatalog(cluster);
  const kubeconfigs = buildKubeconfigs(cluster, catalog).filter((k) => k.certificate === 'admin');
  const files = buildFiles(cluster, catalog.filter((c) => c.isCa), { kubeconfigs, encryptionConfig: null });
  return new Set(Object.entries(files).filter(([, fs]) => fs.some(underCaKeyRule)).map(([name]) => name));
}

/** The SSH target of a node as one comparable text ("" when the node has no host). */
export function sshTarget(node: ClusterNode): string {
  const s = node.ssh; // the effective settings (caKeyTargetChanges passes nodes with the cluster's SSH defaults in place)
  if (!s?.host) return '';
  return `${s.user ?? 'root'}@${s.host}:${s.port ?? 22}:${s.remoteDir ?? '~'}${s.followLinks ? ' (links followed)' : ''} ${s.hostKey ?? '(no host key)'}`;
}

const where = (node: ClusterNode) => (node.ssh?.host ? `${node.ssh.host}:${node.ssh.port ?? 22}` : 'no SSH host');

/**
 * What a change from `before` (null: a new cluster) to `after` does to the CA key's way, one
 * sentence each; [] when it changes nothing. On an existing cluster: a node that starts to
 * receive ca-key.pem (added as, or turned into, a control-plane node) and every change of such
 * a node's SSH target (host, port, user, remote folder, pinned host key). On a
 * new cluster (no CA key exists yet): every node that would receive ca-key.pem and already has
 * an SSH host.
 */
export function caKeyTargetChanges(before: ClusterInput | null, after: ClusterInput): string[] {
  // the targets in force: a changed SSH default changes the target of every node that inherits it
  before = before && { ...before, nodes: before.nodes.map((n) => withEffectiveSsh(before!, n)) };
  after = { ...after, nodes: after.nodes.map((n) => withEffectiveSsh(after, n)) };
  const holdersAfter = caKeyHolders(after);
  const holdersBefore = before ? caKeyHolders(before) : new Set<string>();
  const old = new Map((before?.nodes ?? []).map((n) => [n.name, n]));
  const changes: string[] = [];
  for (const node of after.nodes) {
    if (!holdersAfter.has(node.name)) continue;
    const prev = old.get(node.name);
    if (!before) {
      if (node.ssh?.host) changes.push(`new node "${node.name}" receives ca-key.pem at ${where(node)}`);
    } else if (!holdersBefore.has(node.name)) {
      changes.push(prev ? `node "${node.name}" becomes a ${node.role} node and would receive ca-key.pem (${where(node)})`
        : `added node "${node.name}" would receive ca-key.pem (${where(node)})`);
    } else if (prev && sshTarget(prev) !== sshTarget(node)) {
      changes.push(`the SSH target of node "${node.name}", which receives ca-key.pem, changes (${where(prev)} -> ${where(node)})`);
    }
  }
  return changes;
}
