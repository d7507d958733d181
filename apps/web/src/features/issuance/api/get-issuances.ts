/** GET /clusters/{cluster}/issuances: past issuances, newest first. */
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiFetch, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

export interface IssuanceRecord {
  id: string;
  createdAt: string;
  /** certificate names, or their summaries, depending on the server */
  certificates: unknown[];
}

export const getIssuances = (cluster: string) =>
  apiFetch<{ items: IssuanceRecord[] }>(`/clusters/${seg(cluster)}/issuances`).then((r) =>
    [...r.items].sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
  );

export const issuancesQueryOptions = (cluster: string) =>
  queryOptions({ queryKey: queryKeys.issuances(cluster), queryFn: () => getIssuances(cluster) });

export const useIssuances = (cluster: string) => useQuery(issuancesQueryOptions(cluster));
