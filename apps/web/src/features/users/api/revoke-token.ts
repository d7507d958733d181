/** DELETE /tokens/{id} (its owner or an admin, browser session) -> 204. The token stops working at once; its row stays, marked revoked. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch, seg } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';

export const revokeToken = (id: string) => apiFetch<void>(`/tokens/${seg(id)}`, { method: 'DELETE' });

export function useRevokeToken() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: revokeToken, onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.tokens() }) });
}
