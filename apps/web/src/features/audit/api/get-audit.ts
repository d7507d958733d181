/** GET /audit?limit&before&filters (admin): the audit log, newest first; "load older" pages back by id. */
import { infiniteQueryOptions, queryOptions, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { apiFetch, apiUrl } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

export type { AuditEntry } from '@kpki/shared';
import type { AuditEntry } from '@kpki/shared';

export const AUDIT_PAGE_SIZE = 50;

/** The filters of the audit page (kept in its URL) are the API's; `since`/`until` are dates (YYYY-MM-DD) here: from the start of `since` to the end of `until`. */
export type { AuditFilter } from '@kpki/shared';
import type { AuditFilter } from '@kpki/shared';

/** The filter as the API's query: `until` a day is up to the start of the next day. */
export function auditQuery(f: AuditFilter): Record<string, string | undefined> {
  const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return { actor: f.actor, action: f.action, cluster: f.cluster, node: f.node, since: f.since, until: f.until ? nextDay(f.until) : undefined };
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
