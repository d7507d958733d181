/** Shown once the API has answered 401: the message, and a sign-in form. */
import { useSyncExternalStore } from 'react';
import { Alert, Text } from '@mantine/core';
import { isUnauthenticated, subscribeUnauthenticated } from '../../api/session.ts';
import { SignInForm } from '../../features/session/components/sign-in-form.tsx';

export function SessionBanner() {
  const signedOut = useSyncExternalStore(subscribeUnauthenticated, isUnauthenticated, () => false);
  if (!signedOut) return null;
  return (
    <Alert color="orange" title="Not signed in" mb="md" data-testid="unauthenticated" role="alert">
      <Text size="sm" mb="sm">
        The server answered 401 (UNAUTHENTICATED): your session has ended or you are not signed in.
      </Text>
      <SignInForm />
    </Alert>
  );
}
