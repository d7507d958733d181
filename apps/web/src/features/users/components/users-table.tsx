/** Every user: username, role (changeable), disabled (toggle), created. One's own row cannot demote or disable itself. */
import { Badge, Button, Group, NativeSelect, Table, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { describeError } from '../../../components/error-alert.tsx';
import { DateTime } from '../../../components/date-time.tsx';
import { RoleBadge } from '../../../components/role-badge.tsx';
import { ROLES, type Role } from '../../../lib/permissions.ts';
import { useUpdateUser, type UserChange } from '../api/update-user.ts';
import type { User } from '../api/types.ts';
import { isSelf } from './user-rules.ts';
import { isCancelled, useElevation } from '../../../components/use-elevation.tsx';

const SELF_NOTE = 'You cannot disable yourself or drop your own admin role: ask another admin.';

export function UsersTable({ users, me }: { users: User[]; me: { id?: number; username: string } | null }) {
  const update = useUpdateUser();
  // making someone an admin follows the CA key rule: the server may ask for the password again
  const elevation = useElevation();
  const change = (user: User, body: UserChange, done: string) =>
    elevation
      .retry(() => update.mutateAsync({ id: user.id, change: body }), `Making ${user.username} an admin`)
      .then(() => notifications.show({ color: 'green', title: 'User changed', message: done }))
      .catch((e) => {
        if (isCancelled(e)) return;
        const { code, message } = describeError(e);
        notifications.show({ color: 'red', title: `Could not change ${user.username}`, message: `${code}: ${message}` });
      });
  const busy = (user: User) => update.isPending && update.variables?.id === user.id;

  return (
    <>
    {elevation.dialog}
    <Table.ScrollContainer minWidth={640}>
      <Table striped highlightOnHover verticalSpacing="xs" data-testid="users-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Username</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.map((user) => {
            const self = isSelf(me, user);
            return (
              <Table.Tr key={user.id} data-testid={`user-row-${user.username}`} data-role={user.role} data-disabled={String(user.disabled)}>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Text fw={600} size="sm" c={user.disabled ? 'dimmed' : undefined} td={user.disabled ? 'line-through' : undefined}>
                      {user.username}
                    </Text>
                    {self && (
                      <Badge size="xs" variant="outline">
                        you
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  {self ? (
                    <Tooltip label={SELF_NOTE}>
                      <span>
                        <RoleBadge role={user.role} testId="user-role-badge" />
                      </span>
                    </Tooltip>
                  ) : (
                    <NativeSelect
                      size="xs"
                      w={120}
                      aria-label={`Role of ${user.username}`}
                      value={user.role}
                      disabled={busy(user)}
                      onChange={(e) => {
                        const role = e.currentTarget.value as Role;
                        change(user, { role }, `${user.username} is now ${role}.`);
                      }}
                      data={[...ROLES]}
                      data-testid="user-role"
                    />
                  )}
                </Table.Td>
                <Table.Td>
                  <Badge color={user.disabled ? 'gray' : 'green'} variant="light" data-testid="user-status">
                    {user.disabled ? 'disabled' : 'active'}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <DateTime value={user.createdAt} size="xs" />
                </Table.Td>
                <Table.Td>
                  {!self && (
                    <Button
                      size="compact-xs"
                      variant="light"
                      color={user.disabled ? 'green' : 'red'}
                      loading={busy(user)}
                      onClick={() =>
                        change(
                          user,
                          { disabled: !user.disabled },
                          user.disabled ? `${user.username} can sign in again.` : `${user.username} is disabled: their sessions and API tokens stop working.`,
                        )
                      }
                      data-testid="user-toggle-disabled"
                    >
                      {user.disabled ? 'Enable' : 'Disable'}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
    </>
  );
}
