/** GET /clusters/{cluster} */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Cluster } from '@kpki/shared';
import { apiFetch, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

export const getCluster = (cluster: string) => apiFetch<Cluster>(`/clusters/${seg(cluster)}`);

export const clusterQueryOptions = (cluster: string) =>
  queryOptions({ queryKey: queryKeys.clusterDetail(cluster), queryFn: () => getCluster(cluster) });

export const useCluster = (cluster: string) => useQuery(clusterQueryOptions(cluster));
