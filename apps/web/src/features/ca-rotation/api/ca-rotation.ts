/** GET and POST /clusters/{cluster}/ca-rotation (issue 13), and the cross-signed CA's download link. */
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CaRotationAnswer, CaRotationRequest, CaRotationStatus } from '@kpki/shared';
import { apiFetch, apiUrl, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

export const getCaRotation = (cluster: string) => apiFetch<CaRotationStatus>(`/clusters/${seg(cluster)}/ca-rotation`);

/** Under the cluster's key: a finished job refreshes it with the rest of the cluster. */
export const caRotationQueryOptions = (cluster: string) =>
  queryOptions({ queryKey: [...queryKeys.cluster(cluster), 'ca-rotation'] as const, queryFn: () => getCaRotation(cluster) });

export const useCaRotation = (cluster: string) => useQuery(caRotationQueryOptions(cluster));

export const crossSignedUrl = (cluster: string) => apiUrl(`/clusters/${seg(cluster)}/ca-rotation/cross-signed.pem`);

export function useStartCaRotation(cluster: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CaRotationRequest) => apiFetch<CaRotationAnswer>(`/clusters/${seg(cluster)}/ca-rotation`, { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['jobs'] }),
  });
}
