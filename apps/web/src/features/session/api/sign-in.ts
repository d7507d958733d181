/** POST /session {username, password} and DELETE /session. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '../../../api/client.ts';
import { queryKeys } from '../../../api/query-keys.ts';
import { markUnauthenticated, resetCsrfToken, setCsrfToken } from '../../../api/session.ts';
import type { SignedIn } from '@kpki/shared';
import type { SessionState } from './get-session.ts';

export const signIn = (username: string, password: string) =>
  apiFetch<SignedIn>('/session', { method: 'POST', body: { username, password } });

export function useSignIn() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ username, password }: { username: string; password: string }) => signIn(username, password),
    onSuccess: (session) => {
      setCsrfToken(session.csrfToken);
      markUnauthenticated(false);
      // a new session has not re-entered the password yet
      const state: SessionState = { ...session, elevatedUntil: null };
      qc.setQueryData(queryKeys.session(), state);
      // another user may have signed in: nothing cached for the previous one is shown again
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
    },
  });
}

/** Signs out, then reloads the start page (no cached data of the session survives). */
export function useSignOut() {
  return useMutation({
    mutationFn: () => apiFetch<void>('/session', { method: 'DELETE' }),
    onSettled: () => {
      resetCsrfToken();
      window.location.assign('/sign-in');
    },
  });
}
