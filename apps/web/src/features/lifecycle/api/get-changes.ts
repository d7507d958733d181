/** GET /clusters/{cluster}/changes: what the topology change requires (nothing happens). */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ChangeSet } from '@kpki/shared';
import { apiFetch, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

export const getChanges = (cluster: string) => apiFetch<ChangeSet>(`/clusters/${seg(cluster)}/changes`);

export const changesQueryOptions = (cluster: string) => queryOptions({ queryKey: queryKeys.changes(cluster), queryFn: () => getChanges(cluster) });

export const useChanges = (cluster: string) => useQuery(changesQueryOptions(cluster));
