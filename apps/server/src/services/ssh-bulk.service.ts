/**
 * SSH settings of many nodes at once (issue 16): the bulk host-key scan (a review: pins
 * nothing), pinning the fingerprints the operator reviewed (refused when a node now presents
 * another key), "use each node's first address as its SSH host" for the nodes named, and the
 * cluster's SSH defaults. Every change goes through the rules of a node's SSH settings: the
 * topology checks, the CA key rule (`guard`), the allowed SSH targets, If-Match.
 */
import pLimit from 'p-limit';
import type { BulkSshAnswer, ClusterInput, HostKeyReview, HostKeyReviewRow, SshDefaults, SshSettings } from '@kpki/shared';
import { checkCluster } from '@kpki/shared/cluster';
import { caKeyTargetChanges } from '@kpki/shared/ca-key-targets';
import { effectiveSsh } from '@kpki/shared/ssh-defaults';
import type { Deps } from '../context.ts';
import { AppError } from '../lib/errors.ts';
import { SshError } from '../ssh/errors.ts';
import { scanHostKey, type HostKeyInfo } from '../ssh/transport.ts';
import { lookupKnownHosts } from '../ssh/known-hosts.ts';
import type { ClusterRow } from '../store/clusters.repository.ts';
import { clusterEtag, clusterView, getCluster, requireClusterVersion, type CaKeyGuard } from './clusters.service.ts';
import { checkChangedSshTargets, checkSshTarget } from './host-key.service.ts';
import { findNode } from './node-status.ts';
import { parseImportTexts, sshChanges } from './ssh-import.service.ts';

/** Nodes scanned at once. */
const SCAN_CONCURRENCY = 16;

/** The key a target presents, or the error in words (the exact cause for admins). */
async function scanTarget(deps: Deps, host: string, port: number, withDetail: boolean): Promise<HostKeyInfo | { code: string; message: string }> {
  try {
    return await scanHostKey({ host, port, policy: deps.config.sshTargets });
  } catch (err) {
    if (!(err instanceof SshError)) throw err;
    return { code: err.code, message: withDetail && err.detail ? `${err.message}: ${err.detail}` : err.message };
  }
}

/**
 * Scans the host keys of `names` (default: every node with an SSH host) at their effective
 * targets and compares them with the pinned keys and, when given, a known_hosts text. Pins nothing.
 */
export async function scanHostKeys(deps: Deps, clusterName: string, names: string[] | undefined, knownHosts: string | undefined, withDetail: boolean): Promise<HostKeyReview> {
  const row = getCluster(deps, clusterName);
  const { known } = parseImportTexts({ knownHosts });
  const nodes = names ? names.map((n) => findNode(row, n)) : row.input.nodes.filter((n) => effectiveSsh(row.input, n)?.host);
  const limit = pLimit(SCAN_CONCURRENCY);
  const items = await Promise.all(nodes.map((node) => limit(async (): Promise<HostKeyReviewRow> => {
    const ssh = effectiveSsh(row.input, node);
    const port = ssh?.port ?? 22;
    const pinned = ssh?.hostKey ?? null;
    const base = { node: node.name, host: ssh?.host ?? null, port, pinned, keyType: null, fingerprint: null, pinnedMatch: pinned ? 'different' as const : 'none' as const, knownHosts: null, error: null };
    if (!ssh?.host) return { ...base, error: { code: 'SSH_NOT_CONFIGURED', message: `node "${node.name}" has no SSH host: set it first` } };
    const seen = await scanTarget(deps, ssh.host, port, withDetail);
    if ('code' in seen) return { ...base, error: seen };
    const entries = known ? lookupKnownHosts(known, ssh.host, port).filter((e) => e.marker !== 'cert-authority') : null;
    return {
      ...base, keyType: seen.keyType, fingerprint: seen.fingerprint,
      pinnedMatch: !pinned ? 'none' : pinned === seen.fingerprint ? 'same' : 'different',
      knownHosts: !entries ? null : entries.length === 0 ? 'no-entry'
        : entries.some((e) => e.marker === null && e.fingerprint === seen.fingerprint) && !entries.some((e) => e.marker === 'revoked' && e.fingerprint === seen.fingerprint) ? 'match' : 'no-match',
    };
  })));
  return { items };
}

/** Writes several nodes' own SSH settings after the checks every SSH change passes; the answer names what changed. */
function writeSsh(deps: Deps, row: ClusterRow, next: Map<string, SshSettings>, guard: CaKeyGuard): BulkSshAnswer {
  const input: ClusterInput = { ...row.input, nodes: row.input.nodes.map((n) => (next.has(n.name) ? { ...n, ssh: next.get(n.name)! } : n)) };
  const res = checkCluster(input);
  if (!res.ok) {
    const issues = res.issues.filter((i) => i.path.includes('/ssh'));
    if (issues.length) throw new AppError('VALIDATION_FAILED', `the SSH settings are not valid: ${issues.map((i) => i.message).join('; ')}`, issues);
  }
  guard(caKeyTargetChanges(row.input, input));
  const changed: string[] = [];
  const unchanged: string[] = [];
  for (const [name, ssh] of next) {
    const before = row.input.nodes.find((n) => n.name === name)!.ssh;
    if (sshChanges(before, ssh).length === 0) {
      unchanged.push(name);
      continue;
    }
    checkSshTarget(deps, name, effectiveSsh(input, { ssh }) ?? ssh);
    changed.push(name);
  }
  if (changed.length) deps.clusters.setSshMany(row.id, changed.map((node) => ({ node, ssh: next.get(node)! })), deps.now().toISOString());
  return { changed, unchanged };
}

const etagOf = (deps: Deps, clusterName: string) => clusterEtag(clusterView(deps, getCluster(deps, clusterName)));

/**
 * Pins the fingerprints the operator reviewed, all or none: each node is scanned again and a
 * node that now presents another key (or cannot be reached) refuses the whole request, naming it.
 * The CA key rule is decided before any node is contacted.
 * @throws AppError NODE_NOT_FOUND, VALIDATION_FAILED, PRECONDITION_FAILED, the guard's refusal, SSH_NOT_CONFIGURED, HOST_KEY_CHANGED, SSH_UNREACHABLE
 */
export async function pinHostKeys(deps: Deps, clusterName: string, pins: Array<{ node: string; fingerprint: string }>, guard: CaKeyGuard, ifMatch: string | string[] | undefined, withDetail: boolean): Promise<BulkSshAnswer & { etag: string }> {
  const row = getCluster(deps, clusterName);
  requireClusterVersion(deps, row, ifMatch);
  const version = clusterEtag(clusterView(deps, row));
  const next = new Map<string, SshSettings>();
  for (const p of pins) {
    const node = findNode(row, p.node);
    if (next.has(node.name)) throw new AppError('VALIDATION_FAILED', `node "${node.name}" is named twice`, [{ path: '/pins', code: 'DUPLICATE', message: `node "${node.name}" is named twice` }]);
    if (!effectiveSsh(row.input, node)?.host) throw new AppError('SSH_NOT_CONFIGURED', `node "${node.name}" has no SSH host: set it first`);
    next.set(node.name, { ...(node.ssh ?? {}), hostKey: p.fingerprint });
  }
  // the rules first (validity, the CA key rule) on what would be written; then the nodes are asked
  const dryInput: ClusterInput = { ...row.input, nodes: row.input.nodes.map((n) => (next.has(n.name) ? { ...n, ssh: next.get(n.name)! } : n)) };
  const res = checkCluster(dryInput);
  if (!res.ok) {
    const issues = res.issues.filter((i) => i.path.includes('/ssh'));
    if (issues.length) throw new AppError('VALIDATION_FAILED', `the SSH settings are not valid: ${issues.map((i) => i.message).join('; ')}`, issues);
  }
  guard(caKeyTargetChanges(row.input, dryInput));
  const limit = pLimit(SCAN_CONCURRENCY);
  const outcomes = await Promise.all(pins.map((p) => limit(async () => {
    const ssh = effectiveSsh(row.input, findNode(row, p.node))!;
    return { pin: p, seen: await scanTarget(deps, ssh.host!, ssh.port ?? 22, withDetail) };
  })));
  const unreachable = outcomes.filter((o) => 'code' in o.seen);
  if (unreachable.length) {
    throw new AppError('SSH_UNREACHABLE', `nothing pinned: ${unreachable.map((o) => `${o.pin.node}: ${(o.seen as { message: string }).message}`).join('; ')}`, { nodes: unreachable.map((o) => o.pin.node) });
  }
  const changedKeys = outcomes.filter((o) => (o.seen as HostKeyInfo).fingerprint !== o.pin.fingerprint);
  if (changedKeys.length) {
    throw new AppError('HOST_KEY_CHANGED', `nothing pinned: ${changedKeys.map((o) => `${o.pin.node} now presents ${(o.seen as HostKeyInfo).fingerprint} (${(o.seen as HostKeyInfo).keyType}), not the reviewed ${o.pin.fingerprint}`).join('; ')}: scan again and review`, {
      nodes: changedKeys.map((o) => ({ node: o.pin.node, reviewed: o.pin.fingerprint, presented: (o.seen as HostKeyInfo).fingerprint, keyType: (o.seen as HostKeyInfo).keyType })),
    });
  }
  // someone may have changed the cluster while the nodes were asked: the first write stays
  const current = getCluster(deps, clusterName);
  requireClusterVersion(deps, current, version);
  const answer = writeSsh(deps, current, next, guard);
  return { ...answer, etag: etagOf(deps, clusterName) };
}

/**
 * "Use each node's first address as its SSH host", for the nodes named (never implicit). A key
 * pinned for another host is dropped with it (it says nothing about the new host).
 */
export function useFirstAddresses(deps: Deps, clusterName: string, names: string[], guard: CaKeyGuard, ifMatch: string | string[] | undefined): BulkSshAnswer & { etag: string } {
  const row = getCluster(deps, clusterName);
  requireClusterVersion(deps, row, ifMatch);
  const next = new Map<string, SshSettings>();
  for (const name of names) {
    const node = findNode(row, name);
    const ssh: SshSettings = { ...(node.ssh ?? {}), host: node.addresses[0] };
    if (node.ssh?.host !== ssh.host) delete ssh.hostKey;
    next.set(node.name, ssh);
  }
  return { ...writeSsh(deps, row, next, guard), etag: etagOf(deps, clusterName) };
}

/**
 * Replaces the cluster's SSH defaults (empty: none). Every node that inherits a changed value
 * changes target with it: the CA key rule and the allowed targets apply to those.
 */
export function setSshDefaults(deps: Deps, clusterName: string, defaults: SshDefaults, guard: CaKeyGuard, ifMatch: string | string[] | undefined): ClusterRow {
  const row = getCluster(deps, clusterName);
  requireClusterVersion(deps, row, ifMatch);
  const { sshDefaults: _old, ...rest } = row.input;
  const input: ClusterInput = Object.keys(defaults).length ? { ...rest, sshDefaults: defaults } : rest;
  const res = checkCluster(input);
  if (!res.ok) {
    const issues = res.issues.filter((i) => i.path.startsWith('/sshDefaults'));
    if (issues.length) throw new AppError('VALIDATION_FAILED', `the SSH defaults are not valid: ${issues.map((i) => i.message).join('; ')}`, issues);
  }
  guard(caKeyTargetChanges(row.input, input));
  checkChangedSshTargets(deps, row.input, input);
  return deps.clusters.update(row, input, deps.now().toISOString());
}
