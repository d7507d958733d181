/**
 * A node's state: the SHA-256 of each expected file on the node compared with the current
 * issuance (in-sync), an earlier issuance (stale), nothing (missing) or unknown content
 * (modified). Reading a node never writes to it.
 */
import type { ClusterNode, FileState, NodeFileStatus, NodeState, NodeStatus, Plan, PlannedFile } from '@kpki/shared';
import { buildPlan } from '@kpki/shared/build-plan';
import { isCaKeyFile } from '@kpki/shared/distribution';
import type { Deps } from '../context.ts';
import { AppError } from '../lib/errors.ts';
import type { ClusterRow } from '../store/clusters.repository.ts';
import { SshError } from '../ssh/errors.ts';
import { connect, type SshSession } from '../ssh/transport.ts';
import { getDeployKey } from './clusters.service.ts';
import { observeUnknownFiles } from './observe-files.ts';

export interface ExpectedFile {
  file: string;
  /** certificate or key file (PlannedFile.part) */
  part: PlannedFile['part'];
  mode: number;
  /** null when the certificate has not been issued yet */
  content: string | null;
  sha256: string;
  /** the CA's private key (ca-key.pem): written only by a distribution an elevated admin started */
  caKey: boolean;
}

export const modeString = (m: number) => '0' + (m & 0o777).toString(8).padStart(3, '0');

export function findNode(row: ClusterRow, name: string): ClusterNode {
  const node = row.input.nodes.find((n) => n.name === name);
  if (!node) throw new AppError('NODE_NOT_FOUND', `node "${name}" is not in cluster "${row.name}"`);
  return node;
}

/** The files a node must hold, with the content of the current issuance. */
export function expectedFiles(deps: Deps, row: ClusterRow, node: string, withContent: boolean, plan: Plan = buildPlan(row.input)): ExpectedFile[] {
  const files: PlannedFile[] = plan.files[node] ?? [];
  return files.map((f) => {
    const cert = deps.certificates.getCurrent(row.id, f.certificate);
    const mode = parseInt(f.mode, 8);
    const caKey = isCaKeyFile(f);
    if (!cert) return { file: f.file, part: f.part, mode, content: null, sha256: '', caKey };
    const sha256 = f.part === 'cert' ? cert.pemSha256 : cert.keySha256;
    const content = withContent ? (f.part === 'cert' ? cert.pem : deps.certificates.keyPem(cert)) : null;
    return { file: f.file, part: f.part, mode, content, sha256, caKey };
  });
}

/** Opens an SSH session to a node with the cluster's deploy key and the pinned host key. */
export async function openNode(deps: Deps, row: ClusterRow, node: ClusterNode): Promise<SshSession> {
  const ssh = node.ssh;
  if (!ssh?.host) throw new SshError('SSH_NOT_CONFIGURED', `node "${node.name}" has no SSH host: set it in the node's SSH settings`, { node: node.name });
  if (!ssh.hostKey) {
    throw new SshError('SSH_HOST_KEY_NOT_PINNED', `node "${node.name}" has no pinned host key: scan it and pin the fingerprint first`, { node: node.name });
  }
  const privateKey = deps.secrets.get(getDeployKey(deps, row.id).secretId);
  return connect({ host: ssh.host, port: ssh.port ?? 22, user: ssh.user ?? 'root', privateKey, hostKey: ssh.hostKey, node: node.name });
}

function fileState(deps: Deps, row: ClusterRow, e: ExpectedFile, remote: { sha256: string; mode: number } | null): FileState {
  if (!remote) return 'missing';
  if (remote.sha256 === e.sha256) return (remote.mode & 0o777) === e.mode ? 'in-sync' : 'modified';
  return deps.certificates.wasIssued(row.id, remote.sha256) ? 'stale' : 'modified';
}

export function nodeState(files: NodeFileStatus[]): NodeState {
  for (const s of ['modified', 'stale', 'missing'] as const) if (files.some((f) => f.state === s)) return s;
  return 'in-sync';
}

/** Reads the node's files through an open session and returns its status. */
export async function readStatus(deps: Deps, row: ClusterRow, node: ClusterNode, session: SshSession, dir: string, expected: ExpectedFile[]): Promise<NodeStatus> {
  const remote = await session.sha256(dir, expected.map((e) => e.file));
  const files: NodeFileStatus[] = expected.map((e) => {
    const r = remote[e.file] ?? null;
    return {
      file: e.file, mode: modeString(e.mode), remoteMode: r ? modeString(r.mode) : null,
      expectedSha256: e.sha256, remoteSha256: r?.sha256 ?? null, state: fileState(deps, row, e, r),
    };
  });
  await observeUnknownFiles(deps, row, session, dir, expected, files);
  const names = new Set(expected.map((e) => e.file));
  const listing = await session.list(dir).catch(() => []);
  const otherFiles = listing.map((f) => f.name).filter((n) => n.endsWith('.pem') && !names.has(n)).sort();
  return { node: node.name, state: nodeState(files), checkedAt: deps.now().toISOString(), remoteDir: dir, files, otherFiles, error: null };
}

const nodeMessage = (node: string, message: string) => (message.includes(`"${node}"`) ? message : `node "${node}": ${message}`);

/** A status for a node that could not be read. */
export function failedStatus(deps: Deps, node: ClusterNode, expected: ExpectedFile[], err: unknown): NodeStatus {
  const code = err instanceof SshError || err instanceof AppError ? err.code : 'SSH_UNREACHABLE';
  const state: NodeState = code === 'SSH_NOT_CONFIGURED' || code === 'SSH_HOST_KEY_NOT_PINNED' ? 'not-configured' : 'unreachable';
  return {
    node: node.name, state, checkedAt: deps.now().toISOString(), remoteDir: null,
    files: expected.map((e) => ({ file: e.file, mode: modeString(e.mode), remoteMode: null, expectedSha256: e.sha256, remoteSha256: null, state: 'missing' })),
    otherFiles: [], error: { code, message: nodeMessage(node.name, (err as Error).message) },
  };
}

/** A node that must hold no file (a load balancer) is in sync without being contacted. */
function nothingToHold(deps: Deps, row: ClusterRow, node: ClusterNode): NodeStatus {
  return { node: node.name, state: 'in-sync', checkedAt: deps.now().toISOString(), remoteDir: null, files: [], otherFiles: [], error: null };
}

/** POST .../verify: looks at the node, stores and returns its status. Writes nothing to the node. */
export async function verifyNode(deps: Deps, row: ClusterRow, nodeName: string): Promise<NodeStatus> {
  const node = findNode(row, nodeName);
  const expected = expectedFiles(deps, row, nodeName, false);
  if (expected.length === 0) return nothingToHold(deps, row, node);
  let status: NodeStatus;
  let session: SshSession | null = null;
  try {
    session = await openNode(deps, row, node);
    const dir = await session.resolveDir(node.ssh?.remoteDir);
    status = await readStatus(deps, row, node, session, dir, expected);
  } catch (err) {
    status = failedStatus(deps, node, expected, err);
  } finally {
    session?.close();
  }
  status = withCaKeyNote(status, expected, deps.clusters.getStatus(row.id, nodeName)?.caKeyWithheld ?? null);
  deps.clusters.setStatus(row.id, nodeName, status);
  return status;
}

/**
 * The status with the note that ca-key.pem was left out (`note`), kept while the node's
 * ca-key.pem is not in sync and dropped once it is (or when the node holds no CA key).
 */
export function withCaKeyNote(status: NodeStatus, expected: ExpectedFile[], note: NodeStatus['caKeyWithheld']): NodeStatus {
  const file = expected.find((e) => e.caKey)?.file;
  const caKey = status.files.find((f) => f.file === file);
  const { caKeyWithheld: _old, ...rest } = status;
  return note && caKey && caKey.state !== 'in-sync' ? { ...rest, caKeyWithheld: note } : rest;
}

/** The last known status, or a not-yet-checked one; give `plan` when asking for many nodes. */
export function lastStatus(deps: Deps, row: ClusterRow, nodeName: string, plan: Plan = buildPlan(row.input)): NodeStatus {
  const node = findNode(row, nodeName);
  if (plan.files[nodeName]?.length === 0) return nothingToHold(deps, row, node);
  const known = deps.clusters.getStatus(row.id, nodeName);
  if (known) return known;
  const expected = expectedFiles(deps, row, nodeName, false, plan);
  const state: NodeState = node.ssh?.host && node.ssh.hostKey ? 'missing' : 'not-configured';
  return { ...failedStatus(deps, node, expected, new Error('not checked yet: verify the node')), state, error: null, checkedAt: null };
}

