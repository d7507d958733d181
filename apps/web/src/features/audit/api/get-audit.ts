/** GET /audit?limit&before&filters (admin): the audit log, newest first; "load older" pages back by id. GET /audit/counts: the counts by result. */
import { infiniteQueryOptions, keepPreviousData, queryOptions, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { apiFetch, apiUrl } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

export type { AuditEntry } from '@kpki/shared';
import type { AuditCounts, AuditEntry } from '@kpki/shared';
import { AUDIT_OUTCOMES } from '@kpki/shared/lists';
import { tableSearch } from '../../../lib/table-query.ts';

export const AUDIT_PAGE_SIZE = 50;

/**
 * The filters of the audit page (kept in its URL) are the API's: the search `q`, the `result`
 * (ok, denied, failed) and the others; `since`/`until` are dates (YYYY-MM-DD) here: from the
 * start of `since` to the end of `until`.
 */
export type { AuditFilter } from '@kpki/shared';
import type { AuditFilter } from '@kpki/shared';

const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
/** The /audit route's validateSearch: the filter from the URL (a search of up to 200 characters, a known result, short strings). */
export function auditSearch(s: Record<string, unknown>): AuditFilter {
  return {
    q: tableSearch(s, []).q, result: AUDIT_OUTCOMES.find((o) => o === s.result),
    actor: str(s.actor), action: str(s.action), cluster: str(s.cluster), node: str(s.node), since: str(s.since), until: str(s.until),
  };
}

/** The filter as the API's query: `until` a day is up to the start of the next day. */
export function auditQuery(f: AuditFilter): Record<string, string | undefined> {
  const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return {
    q: f.q, result: f.result, actor: f.actor, action: f.action, cluster: f.cluster, node: f.node, since: f.since, until: f.until ? nextDay(f.until) : undefined,
  };
}

export const getAudit = (limit: number, before?: number, filter: AuditFilter = {}) =>
  apiFetch<{ items: AuditEntry[] }>('/audit', {}, { limit: String(limit), before: before === undefined ? undefined : String(before), ...auditQuery(filter) }).then((r) => r.items);

/** The export of the lines the filter keeps, as a download link. */
export const auditExportUrl = (format: 'csv' | 'json', filter: AuditFilter) => apiUrl('/audit/export', { format, ...auditQuery(filter) });

/** The id to ask `before` for the next (older) page; undefined once a page came back short. */
export function nextBefore(lastPage: AuditEntry[], limit: number): number | undefined {
  if (lastPage.length < limit) return undefined;
  const last = lastPage[lastPage.length - 1];
  return last && last.id > 1 ? last.id : undefined;
}

export const auditQueryOptions = (limit: number = AUDIT_PAGE_SIZE, filter: AuditFilter = {}) =>
  infiniteQueryOptions({
    queryKey: queryKeys.audit(limit, filter),
    queryFn: ({ pageParam }) => getAudit(limit, pageParam, filter),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (lastPage) => nextBefore(lastPage, limit),
  });

export const useAudit = (limit?: number, filter: AuditFilter = {}) => useInfiniteQuery(auditQueryOptions(limit, filter));

/** GET /audit/facets: the actions and actors in the log, for the filters. */
export const useAuditFacets = () =>
  useQuery(queryOptions({ queryKey: queryKeys.auditFacets(), queryFn: () => apiFetch<{ actions: string[]; actors: string[] }>('/audit/facets') }));

/** The filter the counts are of: every one but the result (each count stays one to choose). */
export const countsFilter = ({ result: _result, ...rest }: AuditFilter): AuditFilter => rest;

/** GET /audit/counts: the lines of the whole log the filter and the search keep, by result (counted by the server). */
export const auditCountsQueryOptions = (filter: AuditFilter = {}) =>
  queryOptions({
    queryKey: queryKeys.auditCounts(countsFilter(filter)),
    queryFn: () => apiFetch<AuditCounts>('/audit/counts', {}, auditQuery(countsFilter(filter))),
  });

/** The counts of the filter; the last ones stay shown while the next are counted. */
export const useAuditCounts = (filter: AuditFilter = {}) => useQuery({ ...auditCountsQueryOptions(filter), placeholderData: keepPreviousData });
