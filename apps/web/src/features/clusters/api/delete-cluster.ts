/** DELETE /clusters/{cluster} (admins, password re-entered): the cluster is kept restorable until its purge time. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { DeletedCluster } from '@kpki/shared';
import { apiFetch, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

export const deleteCluster = (cluster: string) => apiFetch<DeletedCluster>(`/clusters/${seg(cluster)}`, { method: 'DELETE' });

export function useDeleteCluster() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: deleteCluster,
    onSuccess: async (_deleted, cluster) => {
      qc.removeQueries({ queryKey: queryKeys.cluster(cluster) });
      await qc.invalidateQueries({ queryKey: queryKeys.deletedClusters() });
      return qc.invalidateQueries({ queryKey: queryKeys.clusters(), exact: true });
    },
  });
}
