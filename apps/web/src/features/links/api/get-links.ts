/** GET /clusters/{cluster}/links: every who-talks-to-whom link checked with the files of a source. */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { LinkSource, LinksResponse } from '@kpki/shared';
import { apiFetch, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

export const getLinks = (cluster: string, source: LinkSource, inDays = 0) =>
  apiFetch<LinksResponse>(`/clusters/${seg(cluster)}/links`, {}, { source, ...(inDays ? { inDays: String(inDays) } : {}) });

export const linksQueryOptions = (cluster: string, source: LinkSource, inDays = 0) =>
  queryOptions({ queryKey: queryKeys.linksOf(cluster, source, inDays), queryFn: () => getLinks(cluster, source, inDays) });

export const useLinks = (cluster: string, source: LinkSource, inDays = 0) => useQuery(linksQueryOptions(cluster, source, inDays));
