/**
 * GET /clusters/{cluster} with its version (ETag): what a write to the cluster sends back as
 * If-Match (the topology editor, a node's SSH settings).
 */
import { useQuery } from '@tanstack/react-query';
import type { Cluster } from '@kpki/shared';
import { apiFetchVersioned, seg } from './client.ts';
import { queryKeys } from './query-keys.ts';

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
