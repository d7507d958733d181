/** PUT /clusters/{cluster} (the name must stay). */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Cluster, ClusterInput } from '@kpki/shared';
import { apiFetch, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

export const updateCluster = (cluster: string, input: ClusterInput) =>
  apiFetch<Cluster>(`/clusters/${seg(cluster)}`, { method: 'PUT', body: input });

export function useUpdateCluster(cluster: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: ClusterInput) => updateCluster(cluster, input),
    onSuccess: async (updated) => {
      qc.setQueryData(queryKeys.clusterDetail(cluster), updated);
      await qc.invalidateQueries({ queryKey: queryKeys.cluster(cluster) });
      await qc.invalidateQueries({ queryKey: queryKeys.clusters(), exact: true });
    },
  });
}
