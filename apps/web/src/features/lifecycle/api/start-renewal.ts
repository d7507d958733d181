/** POST /clusters/{cluster}/renewals: 202 with a job, or 200 when nothing is due. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { LifecycleAnswer, RenewalRequest } from '@kpki/shared';
import { apiFetch, seg } from '../../../api/client.ts';

export const startRenewal = (cluster: string, body: RenewalRequest) =>
  apiFetch<LifecycleAnswer>(`/clusters/${seg(cluster)}/renewals`, { method: 'POST', body });

export function useStartRenewal(cluster: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: RenewalRequest) => startRenewal(cluster, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['jobs'] }),
  });
}
