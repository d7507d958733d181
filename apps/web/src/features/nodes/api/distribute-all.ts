/** POST /clusters/{cluster}/distributions {nodes?}: 202 {jobId}; without nodes, every node. */
import type { JobAccepted } from '@kpki/shared';
import { useMutation } from '@tanstack/react-query';
import { apiFetch, seg } from '../../../api/client.ts';

export const distribute = (cluster: string, nodes?: string[]) =>
  apiFetch<JobAccepted>(`/clusters/${seg(cluster)}/distributions`, { method: 'POST', body: nodes ? { nodes } : {} });

export const useDistribute = (cluster: string) => useMutation({ mutationFn: (nodes?: string[]) => distribute(cluster, nodes) });
