/** POST /clusters/{cluster}/nodes/{node}/distribute: 202 {jobId}, writes this node's files only. */
import type { JobAccepted } from '@kpki/shared';
import { useMutation } from '@tanstack/react-query';
import { apiFetch, seg } from '../../../api/client.ts';

export const distributeNode = (cluster: string, node: string) =>
  apiFetch<JobAccepted>(`/clusters/${seg(cluster)}/nodes/${seg(node)}/distribute`, { method: 'POST' });

export const useDistributeNode = (cluster: string) => useMutation({ mutationFn: (node: string) => distributeNode(cluster, node) });
