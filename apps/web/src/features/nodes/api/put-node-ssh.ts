/** PUT /clusters/{cluster}/nodes/{node}/ssh: replaces the node's SSH settings (pinned host key included). */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { NodeSummary, SshSettings } from '@kpki/shared';
import { apiFetch, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

export const putNodeSsh = (cluster: string, node: string, ssh: SshSettings) =>
  apiFetch<NodeSummary>(`/clusters/${seg(cluster)}/nodes/${seg(node)}/ssh`, { method: 'PUT', body: ssh });

export function usePutNodeSsh(cluster: string, node: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (ssh: SshSettings) => putNodeSsh(cluster, node, ssh),
    onSuccess: (summary) => {
      qc.setQueryData(queryKeys.nodes(cluster), (old: NodeSummary[] | undefined) => old?.map((n) => (n.name === node ? summary : n)));
      return qc.invalidateQueries({ queryKey: queryKeys.cluster(cluster) });
    },
  });
}
