/** GET /clusters/{cluster}/kubeconfigs: every kubeconfig with its user, server, what it embeds and its recipients; ?name= for one. */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { KubeconfigSummary } from '@kpki/shared';
import { apiFetch, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

/** Every kubeconfig, or only the one named (the server filters before it reads anything). */
export const getKubeconfigs = (cluster: string, name?: string) =>
  apiFetch<{ items: KubeconfigSummary[] }>(`/clusters/${seg(cluster)}/kubeconfigs${name === undefined ? '' : `?name=${encodeURIComponent(name)}`}`).then((r) => r.items);

export const kubeconfigsQueryOptions = (cluster: string) =>
  queryOptions({ queryKey: queryKeys.kubeconfigs(cluster), queryFn: () => getKubeconfigs(cluster) });

export const useKubeconfigs = (cluster: string) => useQuery(kubeconfigsQueryOptions(cluster));

/** One kubeconfig's summary (null when the cluster has none of that name), under the list's key so whatever refreshes the list refreshes it. */
export const useKubeconfig = (cluster: string, name: string) =>
  useQuery({ queryKey: [...queryKeys.kubeconfigs(cluster), { name }], queryFn: () => getKubeconfigs(cluster, name).then((items) => items[0] ?? null) });
