/**
 * "Change my password" (PUT /users/me/password), for every role. The server closes every session
 * of the user on success, this one included, so the caller sends the user to the sign-in page.
 */
import { useState } from 'react';
import { Button, Group, PasswordInput, Stack } from '@mantine/core';
import { ApiError } from '../../../api/client.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { MIN_PASSWORD_LENGTH, passwordProblem } from '@kpki/shared';
import { asSentence } from '../../../lib/problems.ts';
import { useChangePassword } from '../api/change-password.ts';

export function ChangePasswordForm({ onChanged }: { onChanged: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [touched, setTouched] = useState(false);
  const change = useChangePassword();
  const err = change.error instanceof ApiError ? change.error : null;
  const wrongCurrent = err?.code === 'INVALID_CREDENTIALS';
  const serverNewIssue = err?.code === 'VALIDATION_FAILED' ? err.message : null;
  const nextProblem = touched ? asSentence(passwordProblem(next)) : null;
  const repeatProblem = touched && repeat !== next ? 'The two new passwords differ.' : null;
  const sameAsCurrent = touched && next !== '' && next === current ? 'Choose a password other than the current one.' : null;

  return (
    <form
      aria-label="Change my password"
      data-testid="change-password-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (passwordProblem(next) || repeat !== next || next === current || !current) return;
        change.mutate({ currentPassword: current, newPassword: next }, { onSuccess: onChanged });
      }}
    >
      <Stack gap="sm" maw={420}>
        <PasswordInput
          label="Current password"
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.currentTarget.value)}
          error={wrongCurrent ? 'The current password is wrong.' : touched && !current ? 'Required' : undefined}
          data-testid="current-password"
        />
        <PasswordInput
          label="New password"
          description={`At least ${MIN_PASSWORD_LENGTH} characters.`}
          autoComplete="new-password"
          value={next}
          onChange={(e) => setNext(e.currentTarget.value)}
          error={nextProblem ?? sameAsCurrent ?? serverNewIssue ?? undefined}
          data-testid="new-password"
        />
        <PasswordInput
          label="New password again"
          autoComplete="new-password"
          value={repeat}
          onChange={(e) => setRepeat(e.currentTarget.value)}
          error={repeatProblem ?? undefined}
          data-testid="new-password-repeat"
        />
        {change.error && !wrongCurrent && !serverNewIssue && <ErrorAlert error={change.error} title="Could not change the password" />}
        <Group>
          <Button type="submit" loading={change.isPending} data-testid="change-password">
            Change password
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
