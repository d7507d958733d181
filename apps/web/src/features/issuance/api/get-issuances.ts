/** GET /clusters/{cluster}/issuances: past issuances, newest first. */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { IssuanceRecord } from '@kpki/shared';
import { apiFetch, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

/** True for an issuance of the plan's certificates (not the CA's own record). */
export const isLeafIssuance = (r: IssuanceRecord) => r.kind === 'leaves';

export const getIssuances = (cluster: string) =>
  apiFetch<{ items: IssuanceRecord[] }>(`/clusters/${seg(cluster)}/issuances`).then((r) => r.items);

export const issuancesQueryOptions = (cluster: string) =>
  queryOptions({ queryKey: queryKeys.issuances(cluster), queryFn: () => getIssuances(cluster) });

export const useIssuances = (cluster: string) => useQuery(issuancesQueryOptions(cluster));
