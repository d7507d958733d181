/**
 * The renewal and apply jobs (issue 10). Both re-issue leaves from the current plan (subject,
 * SANs and usages of the plan, new serial and validity) through issueAndStore, one after the
 * other with any other issuing job of the cluster, and with `distribute` then write only to the
 * nodes whose files changed.
 */
import type { KeyAlgorithm, PlannedCertificate } from '@kpki/shared';
import { buildCatalog } from '@kpki/shared/catalog';
import type { Deps } from '../context.ts';
import { AppError } from '../lib/errors.ts';
import type { JobContext, JobHandler } from '../jobs/runner.ts';
import type { ClusterRow } from '../store/clusters.repository.ts';
import { keyPairFromPem } from '../pki/index.ts';
import { clusterChanges } from './changes.service.ts';
import { distributeNodes, nodesFailed } from './distribution.job.ts';
import { issueAndStore, issuingLock, type KeyChoice } from './issuance.ts';
import { nodesHolding } from './lifecycle.service.ts';

/** Runs `work` on the cluster read inside the cluster's issuing lock. */
function withCluster(deps: Deps, ctx: JobContext, work: (row: ClusterRow) => Promise<Record<string, unknown>>): Promise<Record<string, unknown>> {
  return deps.nodeLocks.with(issuingLock({ id: ctx.clusterId }), async () => {
    const row = deps.clusters.getById(ctx.clusterId);
    if (!row) throw new AppError('CLUSTER_NOT_FOUND', 'the cluster was deleted before the job ran');
    return work(row);
  });
}

/** Keeps the current key of a certificate when `keep` says so and its algorithm still fits; else a prepared or new key. */
export function keyChoice(deps: Deps, ctx: JobContext, row: ClusterRow, keep: (p: PlannedCertificate) => boolean): KeyChoice {
  const algorithm = row.input.keyAlgorithm as KeyAlgorithm;
  return async (p) => {
    if (keep(p)) {
      const current = deps.certificates.getCurrent(row.id, p.name);
      if (current && current.keyAlgorithm === algorithm) {
        ctx.log('info', `${p.name}: keeps its key${p.keepsKey ? ` (${p.keepsKey})` : ''}`);
        return keyPairFromPem(deps.certificates.keyPem(current), algorithm);
      }
      if (current) ctx.log('warn', `${p.name}: its key is ${current.keyAlgorithm}, the cluster now uses ${algorithm}: it gets a new key`);
    }
    return deps.keys.take(row.id, algorithm);
  };
}

/** Distributes to `nodes` when asked; a node's failure fails the job, with the issuance in its result. */
async function thenDistribute(deps: Deps, ctx: JobContext, row: ClusterRow, nodes: string[], result: Record<string, unknown>): Promise<Record<string, unknown>> {
  if (!ctx.params.distribute) return result;
  if (!nodes.length) {
    ctx.log('info', 'no node holds a changed file: nothing to write');
    return { ...result, nodes: {} };
  }
  ctx.log('info', `writing to ${nodes.join(', ')} (only the files that changed)`);
  const outcomes = await distributeNodes(deps, row, ctx, nodes);
  const err = nodesFailed(outcomes, result);
  if (err) throw err;
  return { ...result, nodes: outcomes };
}

/** params: { certificates: string[], keepKeys?: boolean, distribute: boolean } */
export function renewalJob(deps: Deps): JobHandler {
  return (ctx) => withCluster(deps, ctx, async (row) => {
    const names = ctx.params.certificates as string[];
    const keepKeys = ctx.params.keepKeys as boolean | undefined;
    const leaves = buildCatalog(row.input).filter((c) => !c.isCa && names.includes(c.name));
    const gone = names.filter((n) => !leaves.some((c) => c.name === n));
    if (gone.length) ctx.log('warn', `${gone.join(', ')} left the plan since the renewal was asked for: not renewed`);
    if (!leaves.length) return { certificates: 0 };
    const keyFor = keyChoice(deps, ctx, row, (p) => keepKeys ?? Boolean(p.keepsKey));
    const issued = await issueAndStore(deps, ctx, row, leaves, 'renewal', { keyFor });
    return thenDistribute(deps, ctx, row, nodesHolding(row, leaves.map((c) => c.name)), { ...issued, renewed: leaves.map((c) => c.name) });
  });
}

/** params: { distribute: boolean }. Computes the changes again when it runs (the topology may have moved on). */
export function applyJob(deps: Deps): JobHandler {
  return (ctx) => withCluster(deps, ctx, async (row) => {
    const changes = await clusterChanges(deps, row);
    const byName = new Map(changes.certificates.map((c) => [c.name, c]));
    const leaves = buildCatalog(row.input).filter((c) => ['new', 'outdated'].includes(byName.get(c.name)?.change ?? ''));
    const retire = changes.certificates.filter((c) => c.change === 'retired').map((c) => c.name);
    for (const c of changes.certificates) if (c.change !== 'unchanged') ctx.log('info', `${c.name}: ${c.change}: ${c.reason}`);
    if (changes.ca.change === 'rotation-required') ctx.log('warn', changes.ca.message);
    let result: Record<string, unknown> = { certificates: 0, retired: retire };
    if (leaves.length || retire.length) {
      const keyFor = keyChoice(deps, ctx, row, (p) => !byName.get(p.name)!.newKey);
      result = { ...(await issueAndStore(deps, ctx, row, leaves, 'changes', { keyFor, retire })), issued: leaves.map((c) => c.name), retired: retire };
    } else {
      ctx.log('info', 'nothing to issue: every certificate matches the plan');
    }
    return thenDistribute(deps, ctx, row, changes.nodes.map((n) => n.node), result);
  });
}
