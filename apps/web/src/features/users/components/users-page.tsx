/** /users (admin): the users, a form to create one, and the API tokens. */
import { Card, Stack, Title } from '@mantine/core';
import { PageHeader } from '../../../components/page-header.tsx';
import { QueryState } from '../../../components/query-state.tsx';
import { useUsers } from '../api/get-users.ts';
import { CreateUserForm } from './create-user-form.tsx';
import { TokensSection } from './tokens-section.tsx';
import { UsersTable } from './users-table.tsx';

export function UsersPage({ me }: { me: { id?: number; username: string } | null }) {
  const users = useUsers();
  return (
    <>
      <PageHeader
        title="Users"
        description="Who may sign in, with which role. Disabling a user ends their sessions and stops their API tokens."
      />
      <QueryState query={users} label="users">
        {(list) => (
          <Stack gap="lg">
            <Card withBorder component="section" aria-label="Users">
              <UsersTable users={list} me={me} />
            </Card>
            <Card withBorder component="section" aria-label="Create a user">
              <Title order={2} size="h4" mb="sm">
                Create a user
              </Title>
              <CreateUserForm existing={list.map((u) => u.username)} />
            </Card>
            <Card withBorder component="section" aria-label="API tokens">
              <Title order={2} size="h4" mb="sm">
                API tokens
              </Title>
              <TokensSection me={me?.username ?? null} />
            </Card>
          </Stack>
        )}
      </QueryState>
    </>
  );
}
