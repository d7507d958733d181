/** GET /clusters/{cluster}/certificates?status=current|all, and ?view=brief (the certificates page's list) */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { CertificateRow, CertificateSummary } from '@kpki/shared';
import { apiFetch, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

export const getCertificates = (cluster: string, status: 'current' | 'all') =>
  apiFetch<{ items: CertificateSummary[] }>(`/clusters/${seg(cluster)}/certificates`, {}, { status }).then((r) => r.items);

export const certificatesQueryOptions = (cluster: string, status: 'current' | 'all' = 'all') =>
  queryOptions({ queryKey: queryKeys.certificates(cluster, status), queryFn: () => getCertificates(cluster, status) });

export const useCertificates = (cluster: string, status: 'current' | 'all' = 'all') => useQuery(certificatesQueryOptions(cluster, status));

/** Every version of every certificate as the certificates table shows and searches them (every recipient; no fingerprint, issuance, notBefore). */
export const getCertificateRows = (cluster: string) =>
  apiFetch<{ items: CertificateRow[] }>(`/clusters/${seg(cluster)}/certificates`, {}, { status: 'all', view: 'brief' }).then((r) => r.items);

export const certificateRowsQueryOptions = (cluster: string) =>
  queryOptions({ queryKey: queryKeys.certificateRows(cluster), queryFn: () => getCertificateRows(cluster) });

export const useCertificateRows = (cluster: string) => useQuery(certificateRowsQueryOptions(cluster));
