/** PUT /clusters/{cluster}/ssh-key {privateKey}: replaces the deploy key (admins, password re-entered). */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { DeployKey } from '@kpki/shared';
import { apiFetch, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

export const putDeployKey = (cluster: string, privateKey: string) =>
  apiFetch<DeployKey>(`/clusters/${seg(cluster)}/ssh-key`, { method: 'PUT', body: { privateKey } });

export function usePutDeployKey(cluster: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (privateKey: string) => putDeployKey(cluster, privateKey),
    onSuccess: (key) => qc.setQueryData(queryKeys.deployKey(cluster), key),
  });
}
