/** GET /tokens: an admin's answer holds every API token, anyone else's their own; newest first, revoked ones included. */
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiFetch } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';
import type { ApiToken } from './types.ts';

export const getTokens = () => apiFetch<{ items: ApiToken[] }>('/tokens').then((r) => r.items);

export const tokensQueryOptions = () => queryOptions({ queryKey: queryKeys.tokens(), queryFn: getTokens });

export const useTokens = () => useQuery(tokensQueryOptions());
