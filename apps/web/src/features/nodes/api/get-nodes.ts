/**
 * GET /clusters/{cluster}/nodes?view=brief: every node with its SSH settings, expected file count
 * and state, the files counted (those not in sync listed with their reason); a node's files with
 * their hashes are its status (get-node-status.ts).
 */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { NodeRow } from '@kpki/shared';
import { apiFetch, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

export const getNodes = (cluster: string) =>
  apiFetch<{ items: NodeRow[] }>(`/clusters/${seg(cluster)}/nodes?view=brief`).then((r) => r.items);

export const nodesQueryOptions = (cluster: string) => queryOptions({ queryKey: queryKeys.nodes(cluster), queryFn: () => getNodes(cluster) });

export const useNodes = (cluster: string) => useQuery(nodesQueryOptions(cluster));
