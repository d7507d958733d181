/** GET /clusters/{cluster}/certificates?status=current|all */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { CertificateSummary } from '@kpki/shared';
import { apiFetch, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

export const getCertificates = (cluster: string, status: 'current' | 'all') =>
  apiFetch<{ items: CertificateSummary[] }>(`/clusters/${seg(cluster)}/certificates`, {}, { status }).then((r) => r.items);

export const certificatesQueryOptions = (cluster: string, status: 'current' | 'all' = 'all') =>
  queryOptions({ queryKey: queryKeys.certificates(cluster, status), queryFn: () => getCertificates(cluster, status) });

export const useCertificates = (cluster: string, status: 'current' | 'all' = 'all') => useQuery(certificatesQueryOptions(cluster, status));
