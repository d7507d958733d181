/** GET /presets/hard-way: the tutorial's topology as a ClusterInput. */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ClusterInput } from '@kpki/shared';
import { apiFetch } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

export const getPreset = () => apiFetch<ClusterInput>('/presets/hard-way');

export const presetQueryOptions = () =>
  queryOptions({ queryKey: queryKeys.preset(), queryFn: getPreset, staleTime: Infinity });

export const usePreset = (enabled = true) => useQuery({ ...presetQueryOptions(), enabled });
