/** DELETE /clusters/{cluster} */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

export const deleteCluster = (cluster: string) => apiFetch<void>(`/clusters/${seg(cluster)}`, { method: 'DELETE' });

export function useDeleteCluster() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: deleteCluster,
    onSuccess: (_void, cluster) => {
      qc.removeQueries({ queryKey: queryKeys.cluster(cluster) });
      return qc.invalidateQueries({ queryKey: queryKeys.clusters(), exact: true });
    },
  });
}
