/** GET /jobs?cluster=&type=&status=: recent jobs, newest first (log omitted). */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Job } from '@kpki/shared';
import { apiFetch } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';
import { isTerminal } from '../../../lib/job-stream.ts';

/** Narrows the list: a kind (issuance, distribution, verification, ...) and a status; `limit` newest jobs (50 unless said, at most 500). */
export interface JobsFilter {
  type?: string;
  status?: string;
  limit?: number;
}

export const getJobs = (cluster?: string, { limit, ...filter }: JobsFilter = {}) =>
  apiFetch<{ items: Job[] }>('/jobs', {}, { cluster, ...filter, limit: limit === undefined ? undefined : String(limit) }).then((r) => r.items);

export const jobsQueryOptions = (cluster?: string, filter: JobsFilter = {}) =>
  queryOptions({
    queryKey: queryKeys.jobs(cluster, filter),
    queryFn: () => getJobs(cluster, filter),
    // keep the list moving while a job runs
    refetchInterval: (q) => (q.state.data?.some((j) => !isTerminal(j.status)) ? 2000 : false),
  });

export const useJobs = (cluster?: string, filter?: JobsFilter) => useQuery(jobsQueryOptions(cluster, filter));
