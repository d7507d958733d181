/** GET /jobs?cluster=: recent jobs, newest first (log omitted). */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Job } from '@kpki/shared';
import { apiFetch } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';
import { isTerminal } from '../../../lib/job-stream.ts';

export const getJobs = (cluster?: string) => apiFetch<{ items: Job[] }>('/jobs', {}, { cluster }).then((r) => r.items);

export const jobsQueryOptions = (cluster?: string) =>
  queryOptions({
    queryKey: queryKeys.jobs(cluster),
    queryFn: () => getJobs(cluster),
    // keep the list moving while a job runs
    refetchInterval: (q) => (q.state.data?.some((j) => !isTerminal(j.status)) ? 2000 : false),
  });

export const useJobs = (cluster?: string) => useQuery(jobsQueryOptions(cluster));
