/** GET /clusters */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ClusterListItem } from '@kpki/shared';
import { apiFetch } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

export const getClusters = () => apiFetch<{ items: ClusterListItem[] }>('/clusters').then((r) => r.items);

export const clustersQueryOptions = () => queryOptions({ queryKey: queryKeys.clusters(), queryFn: getClusters });

export const useClusters = () => useQuery(clustersQueryOptions());
