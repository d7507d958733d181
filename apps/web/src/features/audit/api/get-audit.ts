/** GET /audit?limit&before (admin): the audit log, newest first; "load older" pages back by id. */
import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { apiFetch } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

export type { AuditEntry } from '@kpki/shared';
import type { AuditEntry } from '@kpki/shared';

export const AUDIT_PAGE_SIZE = 50;

export const getAudit = (limit: number, before?: number) =>
  apiFetch<{ items: AuditEntry[] }>('/audit', {}, { limit: String(limit), before: before === undefined ? undefined : String(before) }).then((r) => r.items);

/** The id to ask `before` for the next (older) page; undefined once a page came back short. */
export function nextBefore(lastPage: AuditEntry[], limit: number): number | undefined {
  if (lastPage.length < limit) return undefined;
  const last = lastPage[lastPage.length - 1];
  return last && last.id > 1 ? last.id : undefined;
}

export const auditQueryOptions = (limit: number = AUDIT_PAGE_SIZE) =>
  infiniteQueryOptions({
    queryKey: queryKeys.audit(limit),
    queryFn: ({ pageParam }) => getAudit(limit, pageParam),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (lastPage) => nextBefore(lastPage, limit),
  });

export const useAudit = (limit?: number) => useInfiniteQuery(auditQueryOptions(limit));
