/**
 * PUT /clusters/{cluster}/nodes/{node}/ssh: replaces the node's SSH settings (pinned host key
 * included), with If-Match: the cluster's version when the page was loaded. A 412 whose current
 * cluster still holds the settings the person started from (someone changed another part of the
 * cluster) is sent again on the new version; one that changed this node's settings is a
 * NodeSshConflict for the person to decide.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { nodeRowOf, type ClusterConflict, type NodeRow, type NodeSummary, type SshSettings } from '@kpki/shared';
import { ApiError, apiFetchVersioned, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';
import { useVersionedCluster } from '../../../api/cluster-version.ts';

export const putNodeSsh = (cluster: string, node: string, ssh: SshSettings, ifMatch?: string | null) =>
  apiFetchVersioned<NodeSummary>(`/clusters/${seg(cluster)}/nodes/${seg(node)}/ssh`, { method: 'PUT', body: ssh, ifMatch: ifMatch ?? undefined });

/** Someone else saved other SSH settings for this node since the page was loaded. */
export class NodeSshConflict extends Error {
  constructor(readonly theirs: SshSettings | undefined, readonly etag: string) {
    super('Someone else changed the SSH settings of this node since this page was loaded');
    this.name = 'NodeSshConflict';
  }
}

const sameSsh = (a: SshSettings | undefined, b: SshSettings | undefined) => {
  const norm = (s: SshSettings | undefined) => JSON.stringify(Object.entries(s ?? {}).filter(([, v]) => v !== undefined).sort(([x], [y]) => x.localeCompare(y)));
  return norm(a) === norm(b);
};

/**
 * Saves a node's SSH settings against the version the page started from. `base` is the node's
 * settings as the person saw them; `mutateAsync({ssh, ifMatch})` with an explicit version
 * (from a NodeSshConflict) saves over the other writer's settings.
 */
export function usePutNodeSsh(cluster: string, node: string, base: SshSettings | undefined) {
  const qc = useQueryClient();
  const version = useVersionedCluster(cluster);
  return useMutation({
    mutationFn: async ({ ssh, ifMatch }: { ssh: SshSettings; ifMatch?: string }) => {
      try {
        return await putNodeSsh(cluster, node, ssh, ifMatch ?? version.data?.etag);
      } catch (error) {
        if (!(error instanceof ApiError) || error.code !== 'PRECONDITION_FAILED' || ifMatch) throw error;
        const conflict = error.details as ClusterConflict;
        const theirs = conflict.current.nodes.find((n) => n.name === node)?.ssh;
        if (sameSsh(theirs, base)) return putNodeSsh(cluster, node, ssh, conflict.etag);
        throw new NodeSshConflict(theirs, conflict.etag);
      }
    },
    onSuccess: ({ data: summary }) => {
      qc.setQueryData(queryKeys.nodes(cluster), (old: NodeRow[] | undefined) => old?.map((n) => (n.name === node ? nodeRowOf(summary) : n)));
      // the cluster, its version included, is read again: the next save starts from it
      return qc.invalidateQueries({ queryKey: queryKeys.cluster(cluster) });
    },
  });
}
