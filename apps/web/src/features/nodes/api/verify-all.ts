/** POST /clusters/{cluster}/verifications {nodes?}: 202 {jobId}; a job that looks at every node (writes nothing). */
import { useMutation } from '@tanstack/react-query';
import { apiFetch, seg } from '../../../api/client.ts';

export const verifyAll = (cluster: string, nodes?: string[]) =>
  apiFetch<{ jobId: string }>(`/clusters/${seg(cluster)}/verifications`, { method: 'POST', body: nodes ? { nodes } : {} });

export const useVerifyAll = (cluster: string) => useMutation({ mutationFn: (nodes?: string[]) => verifyAll(cluster, nodes) });
