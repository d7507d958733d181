/**
 * Sends the browser to /sign-in when the API answers 401 (session expired, revoked, or the user
 * disabled), remembering the page to come back to. Renders nothing.
 */
import { useEffect, useSyncExternalStore } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from '@tanstack/react-router';
import { queryKeys } from '../../api/query-keys.ts';
import { forgetElevation } from '../../api/reauth.ts';
import { isUnauthenticated, resetCsrfToken, subscribeUnauthenticated } from '../../api/session.ts';
import { SIGNED_OUT } from '../../features/session/api/get-session.ts';

export function AuthWatch() {
  const signedOut = useSyncExternalStore(subscribeUnauthenticated, isUnauthenticated, () => false);
  const queryClient = useQueryClient();
  const router = useRouter();
  useEffect(() => {
    if (!signedOut) return;
    const { pathname, href } = router.state.location;
    queryClient.setQueryData(queryKeys.session(), SIGNED_OUT);
    resetCsrfToken();
    forgetElevation();
    if (pathname === '/sign-in') return;
    void router.navigate({ to: '/sign-in', search: { redirect: href, reason: 'expired' } });
  }, [signedOut, queryClient, router]);
  return null;
}
