/** GET /clusters/{cluster}/kubeconfigs: every kubeconfig with its user, server, what it embeds and its recipients. */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { KubeconfigSummary } from '@kpki/shared';
import { apiFetch, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

export const getKubeconfigs = (cluster: string) =>
  apiFetch<{ items: KubeconfigSummary[] }>(`/clusters/${seg(cluster)}/kubeconfigs`).then((r) => r.items);

export const kubeconfigsQueryOptions = (cluster: string) =>
  queryOptions({ queryKey: queryKeys.kubeconfigs(cluster), queryFn: () => getKubeconfigs(cluster) });

export const useKubeconfigs = (cluster: string) => useQuery(kubeconfigsQueryOptions(cluster));
