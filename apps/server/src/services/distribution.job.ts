/**
 * Distribution: each node receives exactly its files (docs/domain.md section 4) over SFTP, written
 * to a temporary name with the final mode and renamed into place; files already identical are
 * skipped; what was written is read back (SHA-256 and mode) and stored with the hashes read just
 * before writing as the node's look, so every distribution ends with a verify of the nodes it
 * wrote. SSH connections are kept open briefly for the next job (ssh/pool.ts). Nodes run concurrently up to
 * KPKI_DISTRIBUTION_CONCURRENCY; one node's failure does not stop the others; a node being
 * written by another job is waited for. ca-key.pem and admin.kubeconfig (underCaKeyRule) are
 * written only when the job's parameters say `caKey: true` (decided at enqueue time by the CA key
 * rule, auth/ca-key-rule.ts); otherwise every other file is written, the node's state says they
 * were left out and why, and so does the job log. Every node that receives one is named in the
 * audit log.
 */
import pLimit from 'p-limit';
import type { ClusterInput, ClusterNode, NodeStatus, Plan, PlannedFile } from '@kpki/shared';
import { underCaKeyRule } from '@kpki/shared/distribution';
import { caKeyHolders } from '@kpki/shared/ca-key-targets';
import type { Deps } from '../context.ts';
import { planOf } from './plans.ts';
import { AppError } from '../lib/errors.ts';
import type { JobContext, JobHandler } from '../jobs/runner.ts';
import type { ClusterRow, NodeLook } from '../store/clusters.repository.ts';
import { SshError } from '../ssh/errors.ts';
import type { SshSession } from '../ssh/transport.ts';
import { caKeyFromParams } from '../auth/ca-key-rule.ts';
import { getCluster } from './clusters.service.ts';
import { expectedFiles, findNode, nodeStatus, type ExpectedFile } from './node-status.ts';
import { lookOf, openNodeDir, othersToHash, recordFailure, recordLook, releaseNode } from './node-look.ts';

export interface NodeOutcome {
  state: NodeStatus['state'];
  uploaded: string[];
  error?: { code: string; message: string };
  /** why ca-key.pem was left out on this node, when it was */
  caKeyWithheld?: string;
}

/** The CA key part of a distribution's parameters (auth/ca-key-rule.ts caKeyJobParams). */
export interface CaKeyParams {
  caKey: boolean;
  caKeyReason: string;
  /** who started the job and from where, for the audit line of a CA key sent */
  startedBy?: string;
  startedFrom?: string;
}

/**
 * Starts a distribution job to `nodes` (all nodes of the cluster when omitted). `caKey` is the
 * decision of the CA key rule for whoever starts it; without `caKey: true` ca-key.pem stays out.
 */
export function startDistribution(deps: Deps, clusterName: string, nodes: string[] | undefined, caKey: CaKeyParams): string {
  const row = getCluster(deps, clusterName);
  const names = nodes ?? row.input.nodes.map((n) => n.name);
  for (const n of names) findNode(row, n);
  if (!deps.certificates.getCurrent(row.id, 'ca') || deps.certificates.listCurrent(row.id).length < 2) {
    throw new AppError('NOT_ISSUED', `cluster "${clusterName}" has no issued certificates: create the CA and issue before distributing`);
  }
  return deps.jobs.enqueue('distribution', row, { nodes: [...new Set(names)], ...caKey });
}

/**
 * What the audit line of a started distribution says: its job, the nodes it writes, and whether
 * the CA key goes (an elevated admin started it and a node among them holds ca-key.pem or
 * admin.kubeconfig), to which.
 */
export function distributionAuditFacts(deps: Deps, clusterName: string, jobId: string) {
  const params = deps.jobs.get(jobId)?.params ?? {};
  const nodes = Array.isArray(params.nodes) ? (params.nodes as string[]) : [];
  return { job: jobId, ...writtenNodesFacts(getCluster(deps, clusterName).input, nodes, params.caKey === true) };
}

/** The nodes a job writes, and those of them the CA key goes to (when the job may write it). */
export function writtenNodesFacts(input: ClusterInput, nodes: string[], caKeyAllowed: boolean) {
  const holders = caKeyHolders(input);
  const caKeyTo = caKeyAllowed ? nodes.filter((n) => holders.has(n)) : [];
  return { nodes, caKey: caKeyTo.length > 0, caKeyTo };
}

/**
 * Writes the files of a node that differ from what it holds, and returns them with the look the
 * node's state is judged from. One listing serves the leftover check and the look; every
 * expected file (and the other kpki-like files listed) is hashed once before writing; the files
 * that differ are written concurrently (each atomically: temporary name, mode, fsync, rename),
 * then read back (SHA-256 and mode) for the look; the hashes of the files not written are the ones
 * read just before. Requests that do not depend on each other are sent together (SFTP pipelines them).
 */
async function writeNode(
  deps: Deps, row: ClusterRow, ctx: JobContext, session: SshSession, node: ClusterNode, dir: string, expected: ExpectedFile[], files: ExpectedFile[], tick: () => void,
): Promise<{ uploaded: string[]; look: NodeLook }> {
  // the folder made sure of, listed and its expected files hashed at once (one round trip where the folder exists)
  const [, entries, hashed] = await Promise.all([
    session.ensureDir(dir),
    session.list(dir).catch((err: Error) => {
      ctx.log('warn', `could not list the folder: ${err.message}`, node.name);
      return null;
    }),
    session.sha256(dir, expected.map((e) => e.file)),
  ]);
  // a write interrupted by a crash leaves its temporary file: remove it (never a final name)
  const leftovers = entries === null ? [] : await session.removeStaleTemps(dir, files.map((f) => f.file), entries).catch((err: Error) => {
    ctx.log('warn', `could not remove leftover temporary files: ${err.message}`, node.name);
    return [] as string[];
  });
  if (leftovers.length) ctx.log('info', `removed ${leftovers.length} temporary file(s) left by an interrupted write`, node.name);
  const listed = entries === null ? null : entries.map((e) => e.name).filter((n) => !leftovers.includes(n));
  const others = othersToHash(listed, expected);
  const before = { ...hashed, ...(others.length ? await session.sha256(dir, others) : {}) };
  const changed = files.filter((f) => {
    const r = before[f.file];
    return !(r && r.sha256 === f.sha256 && (r.mode & 0o777) === f.mode);
  });
  for (let i = files.length - changed.length; i > 0; i--) tick();
  // every write ends (written, or failed with its temporary file removed) before a failure is reported
  const writes = await Promise.allSettled(changed.map(async (f) => {
    await session.putAtomic(dir, f.file, Buffer.from(f.content!, 'utf8'), f.mode);
    ctx.log('info', `wrote ${dir}/${f.file} (${f.mode.toString(8).padStart(4, '0')})`, node.name);
    tick();
  }));
  const failed = writes.find((w): w is PromiseRejectedResult => w.status === 'rejected');
  if (failed) throw failed.reason;
  const uploaded = changed.map((f) => f.file);
  // what was written is read back from the node: the look holds those hashes, not the ones kpki meant to write
  const readBack = uploaded.length ? await session.sha256(dir, uploaded) : {};
  const listing = listed === null ? null : [...new Set([...listed, ...uploaded])].sort();
  return { uploaded, look: await lookOf(deps, row, node, session, dir, expected, listing, { ...before, ...readBack }) };
}

/**
 * Writes the audit line "CA key sent to host:port (node)" (action ca-key-sent) for a node that
 * received ca-key.pem, "admin.kubeconfig (cluster-admin credential) sent to host:port (node)"
 * (action admin-kubeconfig-sent) for one that received the admin kubeconfig.
 */
function auditCaKeySent(deps: Deps, row: ClusterRow, ctx: JobContext, node: ClusterNode, session: SshSession, dir: string, file: string) {
  const p = ctx.params as Partial<CaKeyParams>;
  const target = `${session.host}:${session.port}`;
  const caKey = file === 'ca-key.pem';
  deps.audit.append({
    at: deps.now().toISOString(), actor: p.startedBy ?? 'kpki', action: caKey ? 'ca-key-sent' : 'admin-kubeconfig-sent', object: `cluster=${row.name} node=${node.name}`,
    address: p.startedFrom ?? '-', result: 'ok',
    details: {
      message: `${caKey ? 'CA key' : `${file} (cluster-admin credential)`} sent to ${target} (${node.name})`,
      host: session.host, port: session.port, node: node.name, path: `${dir}/${file}`, jobId: ctx.id,
    },
  });
}

/** Which of a node's files a distribution writes (all when absent): a CA rotation's phase writes only the files it changes. */
export type FileFilter = (f: Pick<PlannedFile, 'file' | 'part'>) => boolean;

async function distributeNode(deps: Deps, row: ClusterRow, plan: Plan, ctx: JobContext, node: ClusterNode, tick: () => void, only?: FileFilter): Promise<NodeOutcome> {
  const expected = expectedFiles(deps, row, node.name, true, plan);
  if (expected.some((f) => f.content === null)) throw new AppError('NOT_ISSUED', 'some files of this node have not been issued: issue first');
  if (expected.length === 0) {
    ctx.log('info', `${node.role} node: no files to write`, node.name);
    return { state: 'nothing-to-hold', uploaded: [] };
  }
  const rule = caKeyFromParams(ctx.params);
  // ca-key.pem and admin.kubeconfig (a cluster-admin credential) follow the CA key's rule
  const asked = expected.filter((f) => !only || only(f));
  const withheld = rule.caKey ? [] : asked.filter((f) => f.caKey);
  const files = asked.filter((f) => !withheld.includes(f));
  let session: SshSession | null = null;
  let done = 0;
  let looked = false;
  let ok = false;
  try {
    const open = await openNodeDir(deps, row, node);
    session = open.session;
    const dir = open.dir;
    const { uploaded, look } = await writeNode(deps, row, ctx, session, node, dir, expected, files, () => (done++, tick()));
    for (const f of files) if (f.caKey && uploaded.includes(f.file)) auditCaKeySent(deps, row, ctx, node, session, dir, f.file);
    const note = withheld.length ? { reason: rule.reason, at: deps.now().toISOString() } : null;
    recordLook(deps, row, node, look, note);
    looked = true;
    // judged against the files written (a re-issue meanwhile makes them stale, and the state says so)
    const written = new Map(files.map((f) => [f.file, f.sha256]));
    const status = nodeStatus(deps, row, node.name, plan);
    const bad = status.files.filter((f) => f.state !== 'in-sync' && written.get(f.file) === f.expectedSha256);
    if (bad.length) {
      throw new SshError('SSH_VERIFY_FAILED', `after writing, ${bad.map((f) => `${dir}/${f.file} is ${f.state}`).join(', ')} on node "${node.name}"`, { node: node.name });
    }
    ok = true;
    ctx.log('info', uploaded.length ? `in sync: ${uploaded.length} file(s) written` : 'in sync: nothing to write', node.name);
    if (status.caKeyWithheld) {
      const them = withheld.length > 1 ? 'them' : 'it';
      ctx.log('warn', `${withheld.map((f) => f.file).join(' and ')} left out (the CA key rule): ${rule.reason}; a distribution by an admin who re-entered the password delivers ${them}`, node.name);
      return { state: status.state, uploaded, caKeyWithheld: rule.reason };
    }
    return { state: status.state, uploaded };
  } catch (err) {
    for (; done < files.length; done++) tick();
    // after the read-back the stored look says what is wrong; any earlier failure is recorded as such
    const error = looked ? { code: (err as SshError).code, message: (err as Error).message } : recordFailure(deps, row, node, err);
    ctx.log('error', error.message, node.name);
    return { state: nodeStatus(deps, row, node.name, plan).state, uploaded: [], error };
  } finally {
    if (session) releaseNode(deps, session, ok);
  }
}

/**
 * Writes the files of `names` (nodes of the cluster) concurrently, each under its node lock;
 * progress counts files (ca-key.pem and admin.kubeconfig only when the job's CA key rule allows it). Never throws for
 * a node's failure: its outcome carries the error. The job's params carry the CA key decision.
 */
export async function distributeNodes(deps: Deps, row: ClusterRow, ctx: JobContext, names: string[], only?: FileFilter): Promise<Record<string, NodeOutcome>> {
  const nodes = names.map((n) => findNode(row, n));
  const plan = planOf(row.input);
  const { caKey } = caKeyFromParams(ctx.params);
  const counted = (n: ClusterNode) => (plan.files[n.name] ?? []).filter((f) => (caKey || !underCaKeyRule(f)) && (!only || only(f))).length;
  const total = nodes.reduce((s, n) => s + counted(n), 0);
  let done = 0;
  ctx.progress(0, total);
  const tick = () => ctx.progress(++done, total);
  const limit = pLimit(deps.config.distributionConcurrency);
  const outcomes = await Promise.all(
    nodes.map((n) => limit(() => deps.nodeLocks.with(`${row.id}/${n.name}`, async () => {
      const outcome = await distributeNode(deps, row, plan, ctx, n, tick, only);
      ctx.node(n.name, outcome);
      return outcome;
    }))),
  );
  return Object.fromEntries(nodes.map((n, i) => [n.name, outcomes[i]]));
}

/** The error a job ends with when some nodes failed; its `result` keeps every outcome (and `extra`). */
export function nodesFailed(outcomes: Record<string, NodeOutcome>, extra: Record<string, unknown> = {}): Error | null {
  const failed = Object.keys(outcomes).filter((n) => outcomes[n].error);
  if (!failed.length) return null;
  const err = Object.assign(new Error(`${failed.length} of ${Object.keys(outcomes).length} node(s) failed: ${failed.join(', ')}`), { code: 'NODES_FAILED' });
  return Object.assign(err, { result: { ...extra, nodes: outcomes } });
}

export function distributionJob(deps: Deps): JobHandler {
  return async (ctx) => {
    const row = deps.clusters.getById(ctx.clusterId);
    if (!row) throw new AppError('CLUSTER_NOT_FOUND', 'the cluster was deleted before the distribution ran');
    const outcomes = await distributeNodes(deps, row, ctx, ctx.params.nodes as string[]);
    const err = nodesFailed(outcomes);
    if (err) throw err;
    return { nodes: outcomes };
  };
}
