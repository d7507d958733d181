/** GET /jobs/{id}: one job with its log. Shared: issuance, nodes and jobs all follow jobs. */
import { queryOptions } from '@tanstack/react-query';
import type { Job } from '@kpki/shared';
import { apiFetch, seg } from './client.ts';
import { queryKeys } from './query-keys.ts';

export const getJob = (id: string) => apiFetch<Job>(`/jobs/${seg(id)}`);

export const jobQueryOptions = (id: string) =>
  queryOptions({ queryKey: queryKeys.job(id), queryFn: () => getJob(id) });
