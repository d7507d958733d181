/** API tokens: create (name, owner), the new token shown once, the list, revoke. */
import { useState } from 'react';
import { Badge, Button, Group, Modal, NativeSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { DateTime } from '../../../components/date-time.tsx';
import { EmptyState, QueryState } from '../../../components/query-state.tsx';
import { useCreateToken } from '../api/create-token.ts';
import { useTokens } from '../api/get-tokens.ts';
import { useRevokeToken } from '../api/revoke-token.ts';
import type { ApiToken, CreatedToken, User } from '../api/types.ts';
import { TokenCreated } from './token-created.tsx';

function CreateTokenForm({ owners, me, onCreated }: { owners: User[]; me: string | null; onCreated: (t: CreatedToken) => void }) {
  const [name, setName] = useState('');
  const [owner, setOwner] = useState(me ?? '');
  const [touched, setTouched] = useState(false);
  const create = useCreateToken();
  const nameProblem = touched && !name.trim() ? 'Required: what the token is for, e.g. "ci-backup"' : name.length > 64 ? 'At most 64 characters.' : null;
  const options = owners.filter((u) => !u.disabled).map((u) => ({ value: u.username, label: `${u.username} (${u.role})` }));
  const ownerValue = options.some((o) => o.value === owner) ? owner : options[0]?.value ?? '';
  return (
    <form
      aria-label="Create an API token"
      data-testid="create-token-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (!name.trim() || name.length > 64) return;
        create.mutate(
          { name: name.trim(), username: ownerValue || undefined },
          {
            onSuccess: (token) => {
              onCreated(token);
              // the token lives in the page's state only, not in the mutation cache
              create.reset();
              setName('');
              setTouched(false);
            },
          },
        );
      }}
    >
      <Stack gap="sm">
        <Group align="flex-start" gap="sm" wrap="wrap">
          <TextInput
            label="Token name"
            placeholder="ci-backup"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={nameProblem ?? undefined}
            w={260}
            data-testid="new-token-name"
          />
          <NativeSelect
            label="Owner"
            description="The token acts as this user"
            value={ownerValue}
            onChange={(e) => setOwner(e.currentTarget.value)}
            data={options}
            w={260}
            data-testid="new-token-owner"
          />
        </Group>
        {create.error && <ErrorAlert error={create.error} title="Could not create the token" />}
        <Group>
          <Button type="submit" loading={create.isPending} data-testid="create-token">
            Create token
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function RevokeDialog({ token, onClose }: { token: ApiToken | null; onClose: () => void }) {
  const revoke = useRevokeToken();
  return (
    <Modal opened={!!token} onClose={onClose} title={token ? `Revoke "${token.name}"?` : ''} centered>
      {token && (
        <Stack gap="sm" data-testid="revoke-token-dialog">
          <Text size="sm">
            Scripts using this token (owner {token.username}) get 401 from now on. This cannot be undone: create a new token instead.
          </Text>
          {revoke.error && <ErrorAlert error={revoke.error} title="Could not revoke" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button
              color="red"
              loading={revoke.isPending}
              onClick={() =>
                revoke.mutate(token.id, {
                  onSuccess: () => {
                    notifications.show({ color: 'green', title: 'Token revoked', message: `${token.name} (${token.username})` });
                    onClose();
                  },
                })
              }
              data-testid="confirm-revoke-token"
            >
              Revoke
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

function TokensTable({ tokens, onRevoke }: { tokens: ApiToken[]; onRevoke: (t: ApiToken) => void }) {
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table striped verticalSpacing="xs" data-testid="tokens-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Owner</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tokens.map((t) => (
            <Table.Tr key={t.id} data-testid={`token-row-${t.id}`} data-name={t.name} data-revoked={String(!!t.revokedAt)}>
              <Table.Td>
                <Text size="sm" fw={600}>
                  {t.name}
                </Text>
              </Table.Td>
              <Table.Td>{t.username}</Table.Td>
              <Table.Td>
                <DateTime value={t.createdAt} size="xs" />
              </Table.Td>
              <Table.Td>
                {t.revokedAt ? (
                  <Group gap={4} wrap="nowrap">
                    <Badge color="gray" variant="light" data-testid="token-status">
                      revoked
                    </Badge>
                    <DateTime value={t.revokedAt} size="xs" />
                  </Group>
                ) : (
                  <Badge color="green" variant="light" data-testid="token-status">
                    active
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                {!t.revokedAt && (
                  <Button size="compact-xs" variant="light" color="red" onClick={() => onRevoke(t)} data-testid="revoke-token">
                    Revoke
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function TokensSection({ users, me }: { users: User[]; me: string | null }) {
  const tokens = useTokens();
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  return (
    <Stack gap="md" data-testid="tokens-section">
      <Text size="sm" c="dimmed">
        For scripts and CI: <code>Authorization: Bearer &lt;token&gt;</code>. A token acts as its owner, with the owner's role, and
        never downloads the CA key.
      </Text>
      <CreateTokenForm owners={users} me={me} onCreated={setCreated} />
      {created && <TokenCreated token={created} onDone={() => setCreated(null)} />}
      <QueryState
        query={tokens}
        label="API tokens"
        isEmpty={(items) => items.length === 0}
        empty={<EmptyState title="No API tokens yet" />}
      >
        {(items) => <TokensTable tokens={items} onRevoke={setRevoking} />}
      </QueryState>
      <RevokeDialog token={revoking} onClose={() => setRevoking(null)} />
    </Stack>
  );
}
