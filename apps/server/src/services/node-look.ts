/**
 * Looking at a node over SSH: its folder's listing and the SHA-256 and mode of every file it
 * must hold (and of the other kpki-like files there), stored as the node's observation. Reading
 * a node never writes to it. The state shown is judged from the stored look (node-status.ts).
 */
import type { ClusterNode, NodeStatus } from '@kpki/shared';
import { effectiveSsh } from '@kpki/shared/ssh-defaults';
import type { Deps } from '../context.ts';
import { AppError } from '../lib/errors.ts';
import type { ClusterRow, NodeLook, NodeObservation } from '../store/clusters.repository.ts';
import { SshError } from '../ssh/errors.ts';
import { connect, type RemoteHash, type SshSession } from '../ssh/transport.ts';
import { SshPool } from '../ssh/pool.ts';
import { getDeployKey } from './clusters.service.ts';
import { KPKI_LIKE, expectedFiles, findNode, nodeStatus, targetOf, type ExpectedFile } from './node-status.ts';
import { observeUnknownFiles } from './observe-files.ts';

/** Other files hashed at a look besides the expected ones: names kpki could have written (KPKI_LIKE), at most this many. */
const MAX_OTHER_HASHED = 200;

const nodeMessage = (node: string, message: string) => (message.includes(`"${node}"`) ? message : `node "${node}": ${message}`);

/**
 * An SSH session to a node (the cluster's deploy key, the pinned host key checked before
 * authenticating) and its resolved remote folder. A connection kept open since an earlier job
 * to the same target is reused (ssh/pool.ts); when its first request fails as unreachable, a new
 * connection is opened once. Give the session back with {@link releaseNode} after work that
 * succeeded, close it otherwise.
 */
export async function openNodeDir(deps: Deps, row: ClusterRow, node: ClusterNode): Promise<{ session: SshSession; dir: string }> {
  const ssh = effectiveSsh(row.input, node);
  if (!ssh?.host) throw new SshError('SSH_NOT_CONFIGURED', `node "${node.name}" has no SSH host: set it in the node's SSH settings`, { node: node.name });
  if (!ssh.hostKey) {
    throw new SshError('SSH_HOST_KEY_NOT_PINNED', `node "${node.name}" has no pinned host key: scan it and pin the fingerprint first`, { node: node.name });
  }
  const privateKey = deps.secrets.get(getDeployKey(deps, row.id).secretId);
  const target = { host: ssh.host, port: ssh.port ?? 22, user: ssh.user ?? 'root', privateKey, hostKey: ssh.hostKey };
  const open = () => connect({ ...target, node: node.name, policy: deps.config.sshTargets });
  const key = SshPool.keyOf(target);
  const { session, reused } = await deps.sshPool.acquire(key, open);
  try {
    return { session, dir: await session.resolveDir(ssh.remoteDir, ssh.followLinks) };
  } catch (err) {
    void session.close();
    if (!reused || !(err instanceof SshError) || err.code !== 'SSH_UNREACHABLE') throw err;
  }
  // the kept connection went away since its last job: a new one
  const fresh = (await deps.sshPool.acquire(key, open)).session;
  try {
    return { session: fresh, dir: await fresh.resolveDir(ssh.remoteDir, ssh.followLinks) };
  } catch (err) {
    void fresh.close();
    throw err;
  }
}

/** Gives a node's session back after work that succeeded (kept open briefly for the next job), or closes it when `ok` is false. */
export function releaseNode(deps: Deps, session: SshSession, ok: boolean): void {
  if (ok) deps.sshPool.release(session);
  else void session.close();
}

/** The other kpki-like names of a listing that a look hashes besides the expected files (at most MAX_OTHER_HASHED). */
export function othersToHash(listing: string[] | null, expected: ExpectedFile[]): string[] {
  const wanted = new Set(expected.map((e) => e.file));
  return (listing ?? []).filter((n) => KPKI_LIKE.test(n) && !wanted.has(n)).slice(0, MAX_OTHER_HASHED);
}

/**
 * The look made of a listing and of the hashes read of the expected files and the others listed;
 * expected files whose content kpki does not know are read once for the link check (observe-files.ts).
 */
export async function lookOf(
  deps: Deps, row: ClusterRow, node: ClusterNode, session: SshSession, dir: string, expected: ExpectedFile[],
  listing: string[] | null, hashes: Record<string, RemoteHash | null>,
): Promise<NodeLook> {
  const seen = expected.map((e) => ({ file: e.file, expectedSha256: e.sha256, remoteSha256: hashes[e.file]?.sha256 ?? null }));
  await observeUnknownFiles(deps, row, session, dir, expected, seen);
  return { at: deps.now().toISOString(), target: targetOf(row.input, node) ?? '', remoteDir: dir, files: hashes, listing };
}

/**
 * Reads the folder through an open session: the listing, then the hashes of the expected files
 * and of the kpki-like names listed (lookOf).
 */
export async function lookAt(deps: Deps, row: ClusterRow, node: ClusterNode, session: SshSession, dir: string, expected: ExpectedFile[]): Promise<NodeLook> {
  const listing = await session.list(dir).then((l) => l.map((e) => e.name), () => null);
  const hashes = await session.sha256(dir, [...expected.map((e) => e.file), ...othersToHash(listing, expected)]);
  return lookOf(deps, row, node, session, dir, expected, listing, hashes);
}

/**
 * Stores a successful look (it replaces any earlier failure). A distribution passes `caKeyWithheld`
 * (the note that ca-key.pem was left out, or null); a verify keeps the note there is.
 */
export function recordLook(deps: Deps, row: ClusterRow, node: ClusterNode, look: NodeLook, caKeyWithheld?: NodeObservation['caKeyWithheld']): void {
  const note = caKeyWithheld !== undefined ? caKeyWithheld : (deps.clusters.getObservation(row.id, node.name)?.caKeyWithheld ?? null);
  deps.clusters.setObservation(row.id, node.name, { seen: look, failure: null, caKeyWithheld: note });
}

/** Stores a failed look, keeping the last successful one (its files stay known, labelled with their age). */
export function recordFailure(deps: Deps, row: ClusterRow, node: ClusterNode, err: unknown): { code: string; message: string } {
  const code = err instanceof SshError || err instanceof AppError ? err.code : 'SSH_UNREACHABLE';
  const error = { code, message: nodeMessage(node.name, (err as Error).message) };
  const detail = err instanceof SshError ? err.detail : undefined; // admins only (node status)
  const before = deps.clusters.getObservation(row.id, node.name);
  deps.clusters.setObservation(row.id, node.name, {
    seen: before?.seen ?? null, failure: { at: deps.now().toISOString(), target: targetOf(row.input, node) ?? '', ...error, ...(detail ? { detail } : {}) },
    caKeyWithheld: before?.caKeyWithheld ?? null,
  });
  return error;
}

/** POST .../verify: looks at the node, stores what it saw and returns the state. Writes nothing to the node. */
export async function verifyNode(deps: Deps, row: ClusterRow, nodeName: string): Promise<NodeStatus> {
  const node = findNode(row, nodeName);
  const expected = expectedFiles(deps, row, nodeName, false);
  if (expected.length === 0) return nodeStatus(deps, row, nodeName);
  let session: SshSession | null = null;
  let ok = false;
  try {
    const open = await openNodeDir(deps, row, node);
    session = open.session;
    recordLook(deps, row, node, await lookAt(deps, row, node, session, open.dir, expected));
    ok = true;
  } catch (err) {
    recordFailure(deps, row, node, err);
  } finally {
    if (session) releaseNode(deps, session, ok);
  }
  return nodeStatus(deps, row, nodeName);
}
