/**
 * GET /clusters/{cluster}/plan: the catalog, the matrix and the files per node, derived from the
 * topology. Shared: plan, nodes, certificates and the overview read it. The lean views (the plan
 * trimmed by the server for one page: `talks`, `ca-key-files`) are a few kB where the full plan of
 * 1,000 nodes is 2 MB; their keys sit under the plan's, so whatever refreshes the plan refreshes them.
 */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Plan, PlanCaKeyFilesView, PlanTalksView } from '@kpki/shared';
import { apiFetch, seg } from './client.ts';
import { queryKeys } from './query-keys.ts';

export const getPlan = (cluster: string) => apiFetch<Plan>(`/clusters/${seg(cluster)}/plan`);

export const planQueryOptions = (cluster: string) => queryOptions({ queryKey: queryKeys.plan(cluster), queryFn: () => getPlan(cluster) });

export const usePlan = (cluster: string) => useQuery(planQueryOptions(cluster));

/** The who-talks-to-whom page's part of the plan (matrix rows, identities, SANs; the kubelets counted). */
export const planTalksQueryOptions = (cluster: string) =>
  queryOptions({ queryKey: queryKeys.planView(cluster, 'talks'), queryFn: () => apiFetch<PlanTalksView>(`/clusters/${seg(cluster)}/plan`, {}, { view: 'talks' }) });

export const usePlanTalks = (cluster: string) => useQuery(planTalksQueryOptions(cluster));

/** The files under the CA key rule per node (ca-key.pem, admin.kubeconfig): what a distribution asks about. */
export const planCaKeyFilesQueryOptions = (cluster: string) =>
  queryOptions({ queryKey: queryKeys.planView(cluster, 'ca-key-files'), queryFn: () => apiFetch<PlanCaKeyFilesView>(`/clusters/${seg(cluster)}/plan`, {}, { view: 'ca-key-files' }) });

export const usePlanCaKeyFiles = (cluster: string) => useQuery(planCaKeyFilesQueryOptions(cluster));
