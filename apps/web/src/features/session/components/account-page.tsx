/** /account: who I am, what my role may do, and "Change my password" (every role). */
import { Badge, Card, Group, List, Stack, Text, Title } from '@mantine/core';
import { DateTime } from '../../../components/date-time.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { QueryState } from '../../../components/query-state.tsx';
import { useSession } from '../api/get-session.ts';
import { ChangePasswordForm } from './change-password-form.tsx';
import type { ReactNode } from 'react';
import { RoleBadge } from '../../../components/role-badge.tsx';

const CAN: Record<string, string[]> = {
  admin: ['everything an operator does', 'download the CA key (after entering the password again)', 'manage users and API tokens', 'read the audit log, back up the database'],
  operator: ['create and edit clusters, create the CA, issue, distribute, verify', 'download certificates, leaf keys and bundles without the CA key', 'create API tokens of your own', 'never the CA key'],
  viewer: ['read every page', 'download certificates (no private keys)', 'create API tokens of your own'],
};

/** `tokens(username)`: the user's own API tokens (composed by the app from the users feature). */
export function AccountPage({ onPasswordChanged, tokens }: { onPasswordChanged: () => void; tokens?: (username: string) => ReactNode }) {
  const session = useSession();
  return (
    <>
      <PageHeader title="Account" description="Your user, your role, your password." />
      <QueryState query={session} label="your session">
        {(s) =>
          !s ? (
            <Text size="sm">Not signed in.</Text>
          ) : (
            <Stack gap="md" maw={720}>
              <Card withBorder data-testid="account">
                <Group gap="sm" mb="xs">
                  <Text fw={700} size="lg" data-testid="account-username">
                    {s.user.username}
                  </Text>
                  <RoleBadge role={s.user.role} testId="account-role" />
                  {s.via === 'token' && <Badge variant="outline">API token</Badge>}
                </Group>
                {s.user.createdAt && (
                  <Text size="sm" c="dimmed" mb="xs">
                    created <DateTime value={s.user.createdAt} />
                  </Text>
                )}
                <Text size="sm">Your role may:</Text>
                <List size="sm">
                  {(CAN[s.user.role] ?? CAN.viewer).map((line) => (
                    <List.Item key={line}>{line}</List.Item>
                  ))}
                </List>
              </Card>
              <Card withBorder>
                <Title order={2} size="h4" mb="xs">
                  Change my password
                </Title>
                <Text size="sm" c="dimmed" mb="sm">
                  Every session of yours closes, this one too: you sign in again with the new password. Every API token of yours is revoked.
                </Text>
                <ChangePasswordForm onChanged={onPasswordChanged} />
              </Card>
              {s.via === 'session' && tokens && (
                <Card withBorder component="section" aria-label="My API tokens">
                  <Title order={2} size="h4" mb="xs">
                    My API tokens
                  </Title>
                  {tokens(s.user.username)}
                </Card>
              )}
            </Stack>
          )
        }
      </QueryState>
    </>
  );
}
