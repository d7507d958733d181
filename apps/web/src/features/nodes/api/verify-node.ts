/** POST /clusters/{cluster}/nodes/{node}/verify: looks at the node now (writes nothing). */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { NodeStatus } from '@kpki/shared';
import { apiFetch, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

export const verifyNode = (cluster: string, node: string) =>
  apiFetch<NodeStatus>(`/clusters/${seg(cluster)}/nodes/${seg(node)}/verify`, { method: 'POST' });

export function useVerifyNode(cluster: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (node: string) => verifyNode(cluster, node),
    onSuccess: (status, node) => {
      qc.setQueryData(queryKeys.nodeStatus(cluster, node), status);
      // the links read the files the node holds: what was just seen changes them
      void qc.invalidateQueries({ queryKey: queryKeys.links(cluster) });
      return qc.invalidateQueries({ queryKey: queryKeys.nodes(cluster), exact: true });
    },
  });
}
