/** Shown once the API has answered 401: sign-in (issue 5) is needed before anything else works. */
import { useSyncExternalStore } from 'react';
import { Alert } from '@mantine/core';
import { isUnauthenticated, subscribeUnauthenticated } from '../../api/session.ts';

export function SessionBanner() {
  const signedOut = useSyncExternalStore(subscribeUnauthenticated, isUnauthenticated, () => false);
  if (!signedOut) return null;
  return (
    <Alert color="orange" title="Not signed in" mb="md" data-testid="unauthenticated" role="alert">
      The server answered 401 (UNAUTHENTICATED): your session has ended or you are not signed in. Sign in, then reload this page.
    </Alert>
  );
}
