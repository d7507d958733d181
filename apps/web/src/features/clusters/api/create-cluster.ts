/** POST /clusters, and the one-click "create from the tutorial's preset". */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Cluster, ClusterInput } from '@kpki/shared';
import { apiFetch } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';
import { getPreset } from './get-preset.ts';

export const createCluster = (input: ClusterInput) => apiFetch<Cluster>('/clusters', { method: 'POST', body: input });

export const createClusterFromPreset = async () => createCluster(await getPreset());

export function useCreateCluster() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: createCluster,
    onSuccess: (cluster) => {
      qc.setQueryData(queryKeys.clusterDetail(cluster.name), cluster);
      return qc.invalidateQueries({ queryKey: queryKeys.clusters(), exact: true });
    },
  });
}

export function useCreateClusterFromPreset() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: createClusterFromPreset,
    onSuccess: (cluster) => {
      qc.setQueryData(queryKeys.clusterDetail(cluster.name), cluster);
      return qc.invalidateQueries({ queryKey: queryKeys.clusters(), exact: true });
    },
  });
}
