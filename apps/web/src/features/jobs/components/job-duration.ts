/** Duration of a job: finished - started, or running time so far. Pure. */
import type { Job } from '@kpki/shared';
import { formatDuration } from '../../../lib/time.ts';

export function jobDuration(job: Pick<Job, 'startedAt' | 'finishedAt'>, now: number = Date.now()): string {
  if (!job.startedAt) return '—';
  const end = job.finishedAt ? new Date(job.finishedAt).getTime() : now;
  return formatDuration(end - new Date(job.startedAt).getTime());
}

/** "a, b, c, d, e and 995 more": at most five names, whatever the count. */
export const someNames = (names: string[], shown = 5) => `${names.slice(0, shown).join(', ')}${names.length > shown ? ` and ${names.length - shown} more` : ''}`;

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
