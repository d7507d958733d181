/** PUT /clusters/{cluster} (the name must stay), with If-Match: the version the edit started from. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Cluster, ClusterInput } from '@kpki/shared';
import { apiFetchVersioned, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';
import type { VersionedCluster } from '../../../api/cluster-version.ts';

/** Answers the saved cluster and its new version; 412 PRECONDITION_FAILED (details: ClusterConflict) when `ifMatch` is stale. */
export const updateCluster = async (cluster: string, input: ClusterInput, ifMatch?: string | null): Promise<VersionedCluster> => {
  const { data, etag } = await apiFetchVersioned<Cluster>(`/clusters/${seg(cluster)}`, { method: 'PUT', body: input, ifMatch: ifMatch ?? undefined });
  return { cluster: data, etag };
};

export function useUpdateCluster(cluster: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ input, ifMatch }: { input: ClusterInput; ifMatch?: string | null }) => updateCluster(cluster, input, ifMatch),
    onSuccess: async (updated) => {
      qc.setQueryData(queryKeys.clusterDetail(cluster), updated.cluster);
      await qc.invalidateQueries({ queryKey: queryKeys.cluster(cluster) });
      await qc.invalidateQueries({ queryKey: queryKeys.clusters(), exact: true });
    },
  });
}
