/** Create a user: username, password (at least 12 characters), role. */
import { useState } from 'react';
import { Button, Group, NativeSelect, PasswordInput, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { ApiError } from '../../../api/client.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { MIN_PASSWORD_LENGTH } from '@kpki/shared';
import { ROLES, type Role } from '../../../lib/permissions.ts';
import { useCreateUser } from '../api/create-user.ts';
import { isCancelled, useElevation } from '../../../components/use-elevation.tsx';
import { newUserProblems, type NewUserValues } from './user-rules.ts';

export const ROLE_HELP: Record<Role, string> = {
  viewer: 'reads everything, downloads certificates only',
  operator: 'creates clusters, issues, distributes, downloads leaf keys; never the CA key',
  admin: 'everything: the CA key (password again), users, tokens, audit, backups',
};

const EMPTY: NewUserValues = { username: '', password: '', role: 'viewer' };

export function CreateUserForm({ existing }: { existing: string[] }) {
  const [values, setValues] = useState<NewUserValues>(EMPTY);
  const [touched, setTouched] = useState(false);
  const create = useCreateUser();
  // an admin can download the CA key: creating one asks for the password again
  const elevation = useElevation();
  const problems = touched ? newUserProblems(values, existing) : {};
  const err = create.error instanceof ApiError ? create.error : null;
  const serverUsername = err?.code === 'USER_EXISTS' ? err.message : null;
  const serverPassword = err?.code === 'VALIDATION_FAILED' ? err.fieldIssues.find((i) => i.path === '/password')?.message ?? null : null;
  const set = (change: Partial<NewUserValues>) => setValues((v) => ({ ...v, ...change }));

  return (
    <form
      aria-label="Create a user"
      data-testid="create-user-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (Object.keys(newUserProblems(values, existing)).length > 0) return;
        elevation
          .retry(() => create.mutateAsync(values), `Creating the admin ${values.username}`)
          .then((user) => {
            notifications.show({ color: 'green', title: 'User created', message: `${user.username} (${user.role}) can sign in now.` });
            setValues(EMPTY);
            setTouched(false);
          })
          .catch((error) => isCancelled(error) && create.reset());
      }}
    >
      {elevation.dialog}
      <Stack gap="sm">
        <Group align="flex-start" gap="sm" grow wrap="wrap">
          <TextInput
            label="Username"
            autoComplete="off"
            value={values.username}
            onChange={(e) => set({ username: e.currentTarget.value })}
            error={problems.username ?? serverUsername ?? undefined}
            data-testid="new-user-username"
          />
          <PasswordInput
            label="Initial password"
            description={`At least ${MIN_PASSWORD_LENGTH} characters; they change it on /account.`}
            autoComplete="new-password"
            value={values.password}
            onChange={(e) => set({ password: e.currentTarget.value })}
            error={problems.password ?? serverPassword ?? undefined}
            data-testid="new-user-password"
          />
        </Group>
        <NativeSelect
          label="Role"
          value={values.role}
          onChange={(e) => set({ role: e.currentTarget.value as Role })}
          data={[...ROLES]}
          description={`${values.role}: ${ROLE_HELP[values.role]}`}
          w={420}
          maw="100%"
          data-testid="new-user-role"
        />
        {create.error && !serverUsername && !serverPassword && <ErrorAlert error={create.error} title="Could not create the user" />}
        <Group>
          <Button type="submit" loading={create.isPending} data-testid="create-user">
            Create user
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
