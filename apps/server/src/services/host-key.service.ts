/** Scanning a node's SSH host key, to show it for pinning (pins nothing); whether an SSH target is one kpki may connect to. */
import type { ClusterInput, HostKeyScan } from '@kpki/shared';
import { effectiveSsh } from '@kpki/shared/ssh-defaults';
import type { Deps } from '../context.ts';
import { AppError } from '../lib/errors.ts';
import { SshError } from '../ssh/errors.ts';
import { scanHostKey } from '../ssh/transport.ts';
import { checkTargetLiteral } from '../ssh/target-policy.ts';
import { getCluster } from './clusters.service.ts';
import { findNode } from './node-status.ts';

/**
 * The host key node `nodeName` of cluster `clusterName` presents on its SSH host and port. When
 * the port does not answer SSH, `withDetail` (admins) gets the exact cause, others the same words for every cause.
 */
export async function scanNodeHostKey(deps: Deps, clusterName: string, nodeName: string, withDetail = false): Promise<HostKeyScan> {
  const row = getCluster(deps, clusterName);
  const node = findNode(row, nodeName);
  const ssh = effectiveSsh(row.input, node);
  if (!ssh?.host) throw new AppError('SSH_NOT_CONFIGURED', `node "${node.name}" has no SSH host: set it first`);
  const port = ssh.port ?? 22;
  try {
    return { host: ssh.host, port, ...(await scanHostKey({ host: ssh.host, port, policy: deps.config.sshTargets })) };
  } catch (err) {
    if (err instanceof SshError) throw new AppError(err.code, withDetail && err.detail ? `${err.message}: ${err.detail}` : err.message);
    throw err;
  }
}

/**
 * Refuses SSH settings whose port, or whose host given as an address, KPKI_SSH_ALLOWED_NETWORKS /
 * KPKI_SSH_ALLOWED_PORTS do not allow (host names are checked on every address when dialled).
 * @throws AppError SSH_TARGET_NOT_ALLOWED
 */
export function checkSshTarget(deps: Deps, nodeName: string, ssh: { host?: string | null; port?: number | null }): void {
  if (!ssh.host) return;
  try {
    checkTargetLiteral(deps.config.sshTargets, ssh.host, ssh.port ?? 22, nodeName);
  } catch (err) {
    if (err instanceof SshError) throw new AppError(err.code, err.message);
    throw err;
  }
}

/**
 * checkSshTarget for every node of `after` whose target (host or port, the cluster's SSH defaults
 * applied) is new or differs from `before` (null: a new cluster). Targets saved earlier stay as
 * they are (they are refused when dialled), so a narrower allow-list does not block other edits.
 * @throws AppError SSH_TARGET_NOT_ALLOWED
 */
export function checkChangedSshTargets(deps: Deps, before: ClusterInput | null, after: ClusterInput): void {
  for (const node of after.nodes) {
    const now = effectiveSsh(after, node);
    if (!now?.host) continue;
    const old = before?.nodes.find((n) => n.name === node.name);
    const was = before && old ? effectiveSsh(before, old) : null;
    if (was?.host !== now.host || (was?.port ?? 22) !== (now.port ?? 22)) checkSshTarget(deps, node.name, now);
  }
}
