/** The sign-in form (labels "Username" / "Password", button "Sign in"). */
import { useState } from 'react';
import { Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { ApiError } from '../../../api/client.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useSignIn } from '../api/sign-in.ts';
import type { SignedIn } from '@kpki/shared';

export function SignInForm({ onSignedIn }: { onSignedIn?: (session: SignedIn) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useSignIn();
  const wrong = signIn.error instanceof ApiError && signIn.error.code === 'INVALID_CREDENTIALS';
  return (
    <form
      aria-label="Sign in"
      onSubmit={(e) => {
        e.preventDefault();
        signIn.mutate({ username, password }, { onSuccess: (session) => onSignedIn?.(session) });
      }}
    >
      <Stack gap="sm">
        <TextInput
          label="Username"
          autoComplete="username"
          autoFocus
          value={username}
          onChange={(e) => setUsername(e.currentTarget.value)}
          data-testid="sign-in-username"
        />
        <PasswordInput
          label="Password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={wrong ? 'Wrong username or password (or the user is disabled).' : undefined}
          data-testid="sign-in-password"
        />
        {signIn.error && !wrong && <ErrorAlert error={signIn.error} title="Sign-in failed" />}
        <Button type="submit" loading={signIn.isPending} disabled={!username || !password} data-testid="sign-in">
          Sign in
        </Button>
      </Stack>
    </form>
  );
}
