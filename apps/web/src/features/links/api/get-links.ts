/**
 * GET /clusters/{cluster}/links: the link check with the files of a source, as a page shows it:
 * the summary, the counts per kind of connection and one page (50) of the links a part asks for
 * (failing ones, a search, one node's), never the thousands of links of a large cluster at once.
 */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { LinkSource, LinksResponse } from '@kpki/shared';
import { apiFetch, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

/** Links a page shows at a time. */
export const LINKS_PAGE = 50;

/** The part of the links asked for: failing only, a search, one node's, and the page (1-based). */
export interface LinksPart {
  failing?: boolean;
  q?: string;
  node?: string;
  page?: number;
}

/** The part as the query key holds it: defaults left out, so the same part is the same key. */
const partKey = (p: LinksPart) => ({
  ...(p.failing ? { failing: true } : {}), ...(p.q?.trim() ? { q: p.q.trim() } : {}), ...(p.node ? { node: p.node } : {}), ...((p.page ?? 1) > 1 ? { page: p.page } : {}),
});

export const getLinks = (cluster: string, source: LinkSource, inDays = 0, part: LinksPart = {}) => {
  const p = partKey(part);
  return apiFetch<LinksResponse>(`/clusters/${seg(cluster)}/links`, {}, {
    source, ...(inDays ? { inDays: String(inDays) } : {}), ...(p.failing ? { failing: 'true' } : {}), ...(p.q ? { q: p.q } : {}), ...(p.node ? { node: p.node } : {}),
    offset: String(((p.page ?? 1) - 1) * LINKS_PAGE), limit: String(LINKS_PAGE),
  });
};

export const linksQueryOptions = (cluster: string, source: LinkSource, inDays = 0, part: LinksPart = {}) =>
  queryOptions({
    queryKey: queryKeys.linksOf(cluster, source, inDays, partKey(part)),
    queryFn: () => getLinks(cluster, source, inDays, part),
    // another page or search of the same check keeps showing the last answer until the new one is there (the table says it is updating);
    // another source or time never shows the previous one's
    placeholderData: (previous, previousQuery) => {
      const k = previousQuery?.queryKey[3] as { source?: string; inDays?: number } | undefined;
      return previousQuery?.queryKey[1] === cluster && k?.source === source && k.inDays === inDays ? previous : undefined;
    },
  });

export const useLinks = (cluster: string, source: LinkSource, inDays = 0, part: LinksPart = {}) => useQuery(linksQueryOptions(cluster, source, inDays, part));
