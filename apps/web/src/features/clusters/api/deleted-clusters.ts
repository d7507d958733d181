/**
 * Deleted clusters (admins): GET /deleted-clusters, POST /deleted-clusters/{c}/restore,
 * DELETE /deleted-clusters/{c} (purge now, password re-entered).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Cluster, DeletedCluster } from '@kpki/shared';
import { apiFetch, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

export const getDeletedClusters = () => apiFetch<{ items: DeletedCluster[] }>('/deleted-clusters').then((r) => r.items);

export const useDeletedClusters = (enabled: boolean) => useQuery({ queryKey: queryKeys.deletedClusters(), queryFn: getDeletedClusters, enabled });

function useRefresh() {
  const qc = useQueryClient();
  return async () => {
    await qc.invalidateQueries({ queryKey: queryKeys.deletedClusters() });
    await qc.invalidateQueries({ queryKey: queryKeys.clusters(), exact: true });
  };
}

export function useRestoreCluster() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (cluster: string) => apiFetch<Cluster>(`/deleted-clusters/${seg(cluster)}/restore`, { method: 'POST' }), onSuccess: refresh });
}

export function usePurgeCluster() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (cluster: string) => apiFetch<void>(`/deleted-clusters/${seg(cluster)}`, { method: 'DELETE' }), onSuccess: refresh });
}
