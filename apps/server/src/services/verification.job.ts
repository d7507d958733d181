/**
 * "Verify all": a job that looks at every node that holds files and can be reached (or at the
 * nodes named), KPKI_DISTRIBUTION_CONCURRENCY at a time, and stores what it saw. It writes
 * nothing to any node. A node that cannot be reached is a state, not a failure of the job.
 */
import pLimit from 'p-limit';
import type { NodeState } from '@kpki/shared';
import type { Deps } from '../context.ts';
import { planOf } from './plans.ts';
import { AppError } from '../lib/errors.ts';
import type { JobHandler } from '../jobs/runner.ts';
import { getCluster } from './clusters.service.ts';
import { findNode, targetOf } from './node-status.ts';
import { verifyNode } from './node-look.ts';

/** Starts a verification of `nodes` (every node of the cluster when omitted); `startedBy`: the user. */
export function startVerification(deps: Deps, clusterName: string, nodes?: string[], startedBy?: string): string {
  const row = getCluster(deps, clusterName);
  const names = nodes ?? row.input.nodes.map((n) => n.name);
  for (const n of names) findNode(row, n);
  return deps.jobs.enqueue('verification', row, { nodes: [...new Set(names)], ...(startedBy ? { startedBy } : {}) });
}

export function verificationJob(deps: Deps): JobHandler {
  return async (ctx) => {
    const row = deps.clusters.getById(ctx.clusterId);
    if (!row) throw new AppError('CLUSTER_NOT_FOUND', 'the cluster was deleted before the verification ran');
    const plan = planOf(row.input);
    const nodes = (ctx.params.nodes as string[]).map((n) => findNode(row, n));
    const outcomes: Record<string, { state: NodeState; error?: { code: string; message: string } }> = {};
    const targets = nodes.filter((n) => {
      if ((plan.files[n.name] ?? []).length === 0) outcomes[n.name] = { state: 'nothing-to-hold' };
      else if (!targetOf(row.input, n)) {
        outcomes[n.name] = { state: 'not-configured' };
        ctx.log('warn', 'not looked at: no SSH host or no pinned host key', n.name);
      }
      if (outcomes[n.name]) ctx.node(n.name, outcomes[n.name]);
      return !outcomes[n.name];
    });
    let done = 0;
    ctx.progress(0, targets.length);
    const limit = pLimit(deps.config.distributionConcurrency);
    await Promise.all(targets.map((n) => limit(async () => {
      const status = await verifyNode(deps, row, n.name);
      outcomes[n.name] = { state: status.state, ...(status.error ? { error: status.error } : {}) };
      ctx.node(n.name, outcomes[n.name]);
      const drift = status.files.filter((f) => f.state !== 'in-sync').length;
      if (status.error) ctx.log('warn', `${status.state}: ${status.error.message}`, n.name);
      else ctx.log('info', drift ? `${status.state}: ${drift} of ${status.files.length} file(s) not in sync` : `in sync: ${status.files.length} file(s)`, n.name);
      ctx.progress(++done, targets.length);
    })));
    return { nodes: Object.fromEntries(nodes.map((n) => [n.name, outcomes[n.name]])) };
  };
}
