/** GET /clusters/{cluster}/issuances: past issuances, newest first. */
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiFetch, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

export interface IssuanceRecord {
  id: string;
  createdAt: string;
  /** "ca" for the CA's own record, "leaves" for an issuance of the plan (absent on older servers) */
  kind?: string;
  /** certificate names, or their count, depending on the server */
  certificates: unknown[] | number;
}

/** Number of certificates in an issuance record, whichever shape the server sends. */
export const certificateCount = (r: IssuanceRecord) => (Array.isArray(r.certificates) ? r.certificates.length : r.certificates);

/** True for an issuance of the plan's certificates (not the CA's own record). */
export const isLeafIssuance = (r: IssuanceRecord) => r.kind !== 'ca';

export const getIssuances = (cluster: string) =>
  apiFetch<{ items: IssuanceRecord[] }>(`/clusters/${seg(cluster)}/issuances`).then((r) =>
    [...r.items].sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
  );

export const issuancesQueryOptions = (cluster: string) =>
  queryOptions({ queryKey: queryKeys.issuances(cluster), queryFn: () => getIssuances(cluster) });

export const useIssuances = (cluster: string) => useQuery(issuancesQueryOptions(cluster));
