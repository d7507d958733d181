/** GET /clusters/{cluster}/expiry: issued certificates, the CA and what the nodes hold, with their states. */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ExpiryReport } from '@kpki/shared';
import { apiFetch, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

export const getExpiry = (cluster: string) => apiFetch<ExpiryReport>(`/clusters/${seg(cluster)}/expiry`);

/** Refreshed every minute: time left moves on by itself. */
export const expiryQueryOptions = (cluster: string) =>
  queryOptions({ queryKey: queryKeys.expiry(cluster), queryFn: () => getExpiry(cluster), refetchInterval: 60_000 });

export const useExpiry = (cluster: string) => useQuery(expiryQueryOptions(cluster));
