/**
 * GET /clusters/{cluster}/expiry: issued certificates, the CA and what the nodes hold, with their
 * states (the expiry page); ?view=summary: their counts in warning or worse and the soonest (the
 * banner above every page of a cluster, the overview's soonest expiry).
 */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ExpiryReport, ExpirySummary } from '@kpki/shared';
import { apiFetch, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

export const getExpiry = (cluster: string) => apiFetch<ExpiryReport>(`/clusters/${seg(cluster)}/expiry`);

/** Refreshed every minute: time left moves on by itself. */
export const expiryQueryOptions = (cluster: string) =>
  queryOptions({ queryKey: queryKeys.expiry(cluster), queryFn: () => getExpiry(cluster), refetchInterval: 60_000 });

export const useExpiry = (cluster: string) => useQuery(expiryQueryOptions(cluster));

export const getExpirySummary = (cluster: string) => apiFetch<ExpirySummary>(`/clusters/${seg(cluster)}/expiry?view=summary`);

/** Under the report's key (what refreshes the report refreshes it), every minute as the report. */
export const expirySummaryQueryOptions = (cluster: string) =>
  queryOptions({ queryKey: [...queryKeys.expiry(cluster), 'summary'] as const, queryFn: () => getExpirySummary(cluster), refetchInterval: 60_000 });

export const useExpirySummary = (cluster: string) => useQuery(expirySummaryQueryOptions(cluster));
