/** A plain sign-in form, shown when the API answers 401. */
import { useState } from 'react';
import { Button, Group, PasswordInput, TextInput } from '@mantine/core';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useSignIn } from '../api/sign-in.ts';

export function SignInForm() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useSignIn();
  return (
    <form
      aria-label="Sign in"
      onSubmit={(e) => {
        e.preventDefault();
        signIn.mutate({ username, password });
      }}
    >
      <Group align="flex-end" gap="xs" wrap="wrap">
        <TextInput label="Username" autoComplete="username" value={username} onChange={(e) => setUsername(e.currentTarget.value)} data-testid="sign-in-username" />
        <PasswordInput label="Password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} w={220} data-testid="sign-in-password" />
        <Button type="submit" loading={signIn.isPending} disabled={!username || !password} data-testid="sign-in">
          Sign in
        </Button>
      </Group>
      {signIn.error && (
        <div style={{ marginTop: 8 }}>
          <ErrorAlert error={signIn.error} title="Sign-in failed" />
        </div>
      )}
    </form>
  );
}
