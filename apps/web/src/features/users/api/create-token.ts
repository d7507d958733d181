/** POST /tokens {name, lifetimeDays?} (any signed-in user, browser session) -> 201 with the token, shown once. Never cached. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';
import type { CreatedToken } from './types.ts';

export interface NewToken {
  name: string;
  /** default 90, at most 365; the token is always the signed-in user's */
  lifetimeDays?: number;
}

export const createToken = (body: NewToken) => apiFetch<CreatedToken>('/tokens', { method: 'POST', body });

/** gcTime 0: the mutation (and the token in it) is dropped as soon as nothing shows it. */
export function useCreateToken() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: createToken, gcTime: 0, onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.tokens() }) });
}
