/**
 * The sign-in page (/sign-in). Every page redirects here while nobody is signed in, and back to
 * where it was afterwards. The card keeps the test id of the former "Not signed in" banner.
 */
import { Alert, Card, Center, Stack, Text, Title } from '@mantine/core';
import type { SignedIn } from '@kpki/shared';
import { SignInForm } from './sign-in-form.tsx';
import { useDocumentTitle } from '../../../components/page-header.tsx';

export type SignInReason = 'expired' | 'password-changed' | 'signed-out';

const REASONS: Record<SignInReason, { color: string; text: string }> = {
  expired: { color: 'orange', text: 'Your session has ended (the server answered 401): sign in again to continue.' },
  'password-changed': { color: 'green', text: 'Your password was changed and every session of yours was closed: sign in with the new password.' },
  'signed-out': { color: 'gray', text: 'You are signed out.' },
};

export function SignInPage({ reason, onSignedIn }: { reason?: SignInReason; onSignedIn: (session: SignedIn) => void }) {
  const note = reason ? REASONS[reason] : null;
  useDocumentTitle(['Sign in']);
  return (
    <Center mih="70vh">
      <Card withBorder shadow="sm" padding="xl" w={400} maw="100%" data-testid="unauthenticated" role="region" aria-label="Not signed in">
        <Stack gap="md">
          <Stack gap={4}>
            <Title order={1} size="h2">Sign in</Title>
            <Text size="sm" c="dimmed">
              Not signed in. kpki holds your cluster's CA key: every page needs a user.
            </Text>
          </Stack>
          {note && (
            <Alert color={note.color} data-testid="sign-in-reason" data-reason={reason}>
              {note.text}
            </Alert>
          )}
          <SignInForm onSignedIn={onSignedIn} />
          <Text size="xs" c="dimmed">
            The first admin is <code>admin</code>, with the password from <code>KPKI_ADMIN_PASSWORD</code> or the one the server
            printed on its first start. Ask an admin for a user.
          </Text>
        </Stack>
      </Card>
    </Center>
  );
}
