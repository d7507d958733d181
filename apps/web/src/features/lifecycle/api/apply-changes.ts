/** POST /clusters/{cluster}/changes/apply: 202 with a job, or 200 when there is nothing to issue. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ApplyChangesRequest, LifecycleAnswer } from '@kpki/shared';
import { apiFetch, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

export const applyChanges = (cluster: string, body: ApplyChangesRequest) =>
  apiFetch<LifecycleAnswer>(`/clusters/${seg(cluster)}/changes/apply`, { method: 'POST', body });

export function useApplyChanges(cluster: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ApplyChangesRequest) => applyChanges(cluster, body),
    // retirements happen at once (no job): refresh the cluster's views
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.cluster(cluster) }),
  });
}
