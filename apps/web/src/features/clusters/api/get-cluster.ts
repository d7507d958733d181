/** GET /clusters/{cluster} */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Cluster } from '@kpki/shared';
import { apiFetch, apiFetchVersioned, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

export const getCluster = (cluster: string) => apiFetch<Cluster>(`/clusters/${seg(cluster)}`);

export const clusterQueryOptions = (cluster: string) =>
  queryOptions({ queryKey: queryKeys.clusterDetail(cluster), queryFn: () => getCluster(cluster) });

export const useCluster = (cluster: string) => useQuery(clusterQueryOptions(cluster));

/** A cluster and its version (ETag), sent back as If-Match when it is saved. */
export interface VersionedCluster {
  cluster: Cluster;
  etag: string | null;
}

export const getVersionedCluster = async (cluster: string): Promise<VersionedCluster> => {
  const { data, etag } = await apiFetchVersioned<Cluster>(`/clusters/${seg(cluster)}`);
  return { cluster: data, etag };
};

/** The version an editor starts from: read once, never refreshed behind the person's back. */
export const useVersionedCluster = (cluster: string) =>
  useQuery({ queryKey: queryKeys.clusterVersioned(cluster), queryFn: () => getVersionedCluster(cluster), staleTime: Infinity, refetchOnWindowFocus: false, gcTime: 0 });
