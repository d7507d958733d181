/** POST /clusters/{cluster}/ca: 201 with the CA's summary; 409 CA_EXISTS. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CertificateSummary } from '@kpki/shared';
import { apiFetch, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

export const createCa = (cluster: string) => apiFetch<CertificateSummary>(`/clusters/${seg(cluster)}/ca`, { method: 'POST' });

export function useCreateCa(cluster: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => createCa(cluster),
    onSettled: () => qc.invalidateQueries({ queryKey: queryKeys.cluster(cluster) }),
  });
}
