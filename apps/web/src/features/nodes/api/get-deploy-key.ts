/** GET /clusters/{cluster}/ssh-key: the public half of the key kpki logs in with. */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { DeployKey } from '@kpki/shared';
import { apiFetch, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

export const getDeployKey = (cluster: string) => apiFetch<DeployKey>(`/clusters/${seg(cluster)}/ssh-key`);

export const deployKeyQueryOptions = (cluster: string) =>
  queryOptions({ queryKey: queryKeys.deployKey(cluster), queryFn: () => getDeployKey(cluster) });

export const useDeployKey = (cluster: string) => useQuery(deployKeyQueryOptions(cluster));
