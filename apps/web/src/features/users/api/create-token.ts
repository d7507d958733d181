/** POST /tokens {name, username?} (admin) -> 201 with the token, shown once. Never cached. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';
import type { CreatedToken } from './types.ts';

export interface NewToken {
  name: string;
  /** the owner; the signed-in admin when left out */
  username?: string;
}

export const createToken = (body: NewToken) => apiFetch<CreatedToken>('/tokens', { method: 'POST', body });

/** gcTime 0: the mutation (and the token in it) is dropped as soon as nothing shows it. */
export function useCreateToken() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: createToken, gcTime: 0, onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.tokens() }) });
}
