/** POST /clusters/{cluster}/issuances: 202 {jobId}; 409 CA_NOT_FOUND without a CA. */
import type { JobAccepted } from '@kpki/shared';
import { useMutation } from '@tanstack/react-query';
import { apiFetch, seg } from '../../../api/client.ts';

export const startIssuance = (cluster: string) =>
  apiFetch<JobAccepted>(`/clusters/${seg(cluster)}/issuances`, { method: 'POST' });

export const useStartIssuance = (cluster: string) => useMutation({ mutationFn: () => startIssuance(cluster) });
