/** GET /clusters/{cluster}/certificates/{name}[?serial=] */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { CertificateDetail } from '@kpki/shared';
import { apiFetch, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

export const getCertificate = (cluster: string, name: string, serial?: string) =>
  apiFetch<CertificateDetail>(`/clusters/${seg(cluster)}/certificates/${seg(name)}`, {}, { serial });

export const certificateQueryOptions = (cluster: string, name: string, serial?: string) =>
  queryOptions({ queryKey: queryKeys.certificate(cluster, name, serial), queryFn: () => getCertificate(cluster, name, serial) });

export const useCertificate = (cluster: string, name: string, serial?: string) => useQuery(certificateQueryOptions(cluster, name, serial));
