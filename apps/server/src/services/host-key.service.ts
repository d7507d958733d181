/** Scanning a node's SSH host key, to show it for pinning (pins nothing). */
import type { HostKeyScan } from '@kpki/shared';
import type { Deps } from '../context.ts';
import { AppError } from '../lib/errors.ts';
import { SshError } from '../ssh/errors.ts';
import { scanHostKey } from '../ssh/transport.ts';
import { getCluster } from './clusters.service.ts';
import { findNode } from './node-status.ts';

/** The host key node `nodeName` of cluster `clusterName` presents on its SSH host and port. */
export async function scanNodeHostKey(deps: Deps, clusterName: string, nodeName: string): Promise<HostKeyScan> {
  const node = findNode(getCluster(deps, clusterName), nodeName);
  if (!node.ssh?.host) throw new AppError('SSH_NOT_CONFIGURED', `node "${node.name}" has no SSH host: set it first`);
  const port = node.ssh.port ?? 22;
  try {
    return { host: node.ssh.host, port, ...(await scanHostKey({ host: node.ssh.host, port })) };
  } catch (err) {
    if (err instanceof SshError) throw new AppError(err.code, err.message);
    throw err;
  }
}
