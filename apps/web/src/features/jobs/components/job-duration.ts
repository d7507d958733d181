/** Duration of a job: finished - started, or running time so far. Pure. */
import type { Job } from '@kpki/shared';
import { someNames } from '../../../lib/names.ts';
import { formatDuration } from '../../../lib/time.ts';

export function jobDuration(job: Pick<Job, 'startedAt' | 'finishedAt'>, now: number = Date.now()): string {
  if (!job.startedAt) return '—';
  const end = job.finishedAt ? new Date(job.finishedAt).getTime() : now;
  return formatDuration(end - new Date(job.startedAt).getTime());
}

/** "cp1, worker1" for a distribution limited to nodes (five names at most), "all nodes" otherwise; the certificates of a renewal; "" for other jobs. */
export function jobScope(job: Pick<Job, 'type' | 'params'>): string {
  if (job.type === 'renewal') {
    const names = Array.isArray(job.params?.certificates) ? (job.params.certificates as string[]) : [];
    return `${someNames(names)}${job.params?.distribute ? ', then redistribute' : ''}`;
  }
  if (job.type === 'apply') return job.params?.distribute ? 'then distribute' : '';
  if (job.type !== 'distribution') return '';
  const nodes = job.params?.nodes;
  return Array.isArray(nodes) && nodes.length > 0 ? someNames(nodes as string[]) : 'all nodes';
}
