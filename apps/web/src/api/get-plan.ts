/** GET /clusters/{cluster}/plan: the catalog, the matrix and the files per node, derived from the topology. Shared: plan, nodes, certificates and the overview read it. */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Plan } from '@kpki/shared';
import { apiFetch, seg } from './client.ts';
import { queryKeys } from './query-keys.ts';

export const getPlan = (cluster: string) => apiFetch<Plan>(`/clusters/${seg(cluster)}/plan`);

export const planQueryOptions = (cluster: string) => queryOptions({ queryKey: queryKeys.plan(cluster), queryFn: () => getPlan(cluster) });

export const usePlan = (cluster: string) => useQuery(planQueryOptions(cluster));
