/**
 * Nodes as the API shows and changes them: the node list and states for whoever asks (the exact
 * cause of an unreachable node is for admins only: no port scanner for others), a node's SSH
 * settings (checked as the whole topology is, under the CA key rule and the allowed SSH targets),
 * the deploy key without its secret, looks and distributions. No HTTP here; the SSH layer is
 * reached through node-look.ts and host-key.service.ts.
 */
import { nodeRowOf, type DeployKey, type NodeRow, type NodeStatus, type NodeSummary, type Role, type SshSettings } from '@kpki/shared';
import { checkCluster } from '@kpki/shared/cluster';
import { caKeyTargetChanges } from '@kpki/shared/ca-key-targets';
import { effectiveSsh } from '@kpki/shared/ssh-defaults';
import type { Deps } from '../context.ts';
import { AppError } from '../lib/errors.ts';
import { clusterEtag, clusterView, getCluster, getDeployKey, requireClusterVersion, type CaKeyGuard } from './clusters.service.ts';
import { findNode, nodeStatus, nodeSummaries } from './node-status.ts';
import { verifyNode } from './node-look.ts';
import { checkSshTarget, scanNodeHostKey } from './host-key.service.ts';
import { distributionAuditFacts, startDistribution, type CaKeyParams } from './distribution.job.ts';

/** Who reads a node state: admins see the exact cause of an unreachable node (refused, closed, silent port), others its code and message. */
export type Reader = Role | undefined;

function forReader(reader: Reader, s: NodeStatus): NodeStatus {
  return s.error?.detail && reader !== 'admin' ? { ...s, error: { code: s.error.code, message: s.error.message } } : s;
}

/** Every node of the cluster (or the one named) with its expected file count and state, as `reader` may see it. */
export function nodeList(deps: Deps, clusterName: string, reader: Reader, only?: string): NodeSummary[] {
  return nodeSummaries(deps, getCluster(deps, clusterName), only).map((n) => ({ ...n, status: forReader(reader, n.status) }));
}

/** The node list's rows (GET .../nodes?view=brief): the same states, judged at the same read, with the files counted and only those not in sync listed. */
export function nodeRows(deps: Deps, clusterName: string, reader: Reader): NodeRow[] {
  return nodeList(deps, clusterName, reader).map(nodeRowOf);
}

/** One node's state now, judged at read time (never contacts the node). */
export function nodeStatusFor(deps: Deps, clusterName: string, nodeName: string, reader: Reader): NodeStatus {
  return forReader(reader, nodeStatus(deps, getCluster(deps, clusterName), nodeName));
}

/** Looks at the node over SSH now and returns its state. */
export async function verifyNodeFor(deps: Deps, clusterName: string, nodeName: string, reader: Reader): Promise<NodeStatus> {
  return forReader(reader, await verifyNode(deps, getCluster(deps, clusterName), nodeName));
}

/** The host key the node presents, to pin (pins nothing); admins get the exact cause of a port that does not answer SSH. */
export const scanHostKeyFor = (deps: Deps, clusterName: string, nodeName: string, reader: Reader) =>
  scanNodeHostKey(deps, clusterName, nodeName, reader === 'admin');

/**
 * Replaces a node's SSH settings. The topology with them must pass the same checks as any
 * topology (only the SSH issues are reported), a change of where the CA key goes passes `guard`,
 * and the target must be one kpki may connect to.
 * A write to the cluster's topology: `ifMatch` (the cluster's ETag) is honoured; the answer carries the cluster's new version.
 * @throws AppError CLUSTER_NOT_FOUND, NODE_NOT_FOUND, PRECONDITION_FAILED, VALIDATION_FAILED, the guard's refusal, SSH_TARGET_NOT_ALLOWED
 */
export function setNodeSsh(deps: Deps, clusterName: string, nodeName: string, ssh: SshSettings, guard: CaKeyGuard, reader: Reader, ifMatch?: string | string[]): { summary: NodeSummary; etag: string } {
  const row = getCluster(deps, clusterName);
  findNode(row, nodeName);
  requireClusterVersion(deps, row, ifMatch);
  const input = { ...row.input, nodes: row.input.nodes.map((n) => (n.name === nodeName ? { ...n, ssh } : n)) };
  const res = checkCluster(input);
  if (!res.ok) {
    const issues = res.issues.filter((i) => i.path.includes('/ssh'));
    throw new AppError('VALIDATION_FAILED', `the SSH settings are not valid: ${issues.map((i) => i.message).join('; ')}`, issues);
  }
  guard(caKeyTargetChanges(row.input, input));
  checkSshTarget(deps, nodeName, effectiveSsh(input, { ssh }) ?? ssh);
  deps.clusters.setSsh(row.id, nodeName, ssh, deps.now().toISOString());
  return { summary: nodeList(deps, clusterName, reader, nodeName)[0], etag: clusterEtag(clusterView(deps, getCluster(deps, clusterName))) };
}

/** The cluster's deploy key as shown: public key and fingerprint, never the private key. */
export function deployKeyView(deps: Deps, clusterName: string): DeployKey {
  const { secretId: _s, ...key } = getDeployKey(deps, getCluster(deps, clusterName).id);
  return key;
}

/** Starts a distribution to `nodes` (every node when omitted) and says what its audit line records (nodes, where the CA key goes). */
export function distribute(deps: Deps, clusterName: string, nodes: string[] | undefined, caKey: CaKeyParams) {
  const jobId = startDistribution(deps, clusterName, nodes, caKey);
  return { jobId, auditFacts: distributionAuditFacts(deps, clusterName, jobId) };
}
