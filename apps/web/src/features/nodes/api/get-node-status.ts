/** GET /clusters/{cluster}/nodes/{node}/status: the last known state, file by file. */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { NodeStatus } from '@kpki/shared';
import { apiFetch, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

export const getNodeStatus = (cluster: string, node: string) =>
  apiFetch<NodeStatus>(`/clusters/${seg(cluster)}/nodes/${seg(node)}/status`);

export const nodeStatusQueryOptions = (cluster: string, node: string) =>
  queryOptions({ queryKey: queryKeys.nodeStatus(cluster, node), queryFn: () => getNodeStatus(cluster, node) });

export const useNodeStatus = (cluster: string, node: string) => useQuery(nodeStatusQueryOptions(cluster, node));
