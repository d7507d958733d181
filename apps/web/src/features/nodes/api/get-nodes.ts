/** GET /clusters/{cluster}/nodes: every node with its SSH settings, expected file count and last known state. */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { NodeSummary } from '@kpki/shared';
import { apiFetch, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

export const getNodes = (cluster: string) =>
  apiFetch<{ items: NodeSummary[] }>(`/clusters/${seg(cluster)}/nodes`).then((r) => r.items);

export const nodesQueryOptions = (cluster: string) => queryOptions({ queryKey: queryKeys.nodes(cluster), queryFn: () => getNodes(cluster) });

export const useNodes = (cluster: string) => useQuery(nodesQueryOptions(cluster));
