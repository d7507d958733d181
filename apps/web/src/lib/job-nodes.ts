/**
 * A job that works node by node (distribution, verification, a CA rotation's phase, a renewal or
 * apply that distributes) as one row per node: failed, waiting, not reached or done, failures
 * first. From the job's own data only: its parameters (the nodes asked for) and result.nodes (the
 * nodes through so far, then all). Pure.
 */
import type { Job, JobNodeOutcome } from '@kpki/shared';
import { isTerminal } from './job-stream.ts';

/** failed: through with an error; done: through without; waiting: not yet through; not-reached: the job ended before it. */
export type NodeProgress = 'failed' | 'waiting' | 'not-reached' | 'done';
export const NODE_PROGRESS_ORDER: readonly NodeProgress[] = ['failed', 'not-reached', 'waiting', 'done'];

export interface JobNodeRow {
  node: string;
  progress: NodeProgress;
  outcome: JobNodeOutcome | null;
}

/** The rows of a job's nodes, failures first (then in the order asked); null for a job that does not work node by node. */
export function jobNodeRows(job: Pick<Job, 'params' | 'result' | 'status'>): JobNodeRow[] | null {
  const asked = Array.isArray(job.params?.nodes) ? (job.params.nodes as unknown[]).filter((n): n is string => typeof n === 'string') : [];
  const through = (job.result?.nodes && typeof job.result.nodes === 'object' ? job.result.nodes : {}) as Record<string, JobNodeOutcome>;
  const names = [...new Set([...asked, ...Object.keys(through)])];
  if (names.length === 0) return null;
  const ended = isTerminal(job.status);
  const rows = names.map((node): JobNodeRow => {
    const outcome = through[node] ?? null;
    const progress: NodeProgress = outcome ? (outcome.error ? 'failed' : 'done') : ended ? 'not-reached' : 'waiting';
    return { node, progress, outcome };
  });
  const rank = (p: NodeProgress) => NODE_PROGRESS_ORDER.indexOf(p);
  return rows.map((r, i) => [r, i] as const).sort((a, b) => rank(a[0].progress) - rank(b[0].progress) || a[1] - b[1]).map(([r]) => r);
}
