/**
 * API tokens: create one's own (name, lifetime), the new token shown once, the list (admins see
 * everyone's on the users page, everyone sees their own on the account page) with expiry, revoke.
 */
import { useState } from 'react';
import { Badge, Button, Group, Modal, NativeSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { TOKEN_LIFETIME_DAYS } from '@kpki/shared';
import { notifications } from '@mantine/notifications';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { DateTime } from '../../../components/date-time.tsx';
import { EmptyState, QueryState } from '../../../components/query-state.tsx';
import { useCreateToken } from '../api/create-token.ts';
import { useTokens } from '../api/get-tokens.ts';
import { useRevokeToken } from '../api/revoke-token.ts';
import type { ApiToken, CreatedToken } from '../api/types.ts';
import { TokenCreated } from './token-created.tsx';

const LIFETIMES = [7, 30, TOKEN_LIFETIME_DAYS.default, 180, TOKEN_LIFETIME_DAYS.max].map((d) => ({ value: String(d), label: `${d} days` }));

/** The state of a token for its badge: revoked (and why), expired, or active. */
export function tokenState(t: ApiToken, now = Date.now()): 'revoked' | 'expired' | 'active' {
  if (t.revokedAt) return 'revoked';
  return Date.parse(t.expiresAt) <= now ? 'expired' : 'active';
}

function CreateTokenForm({ me, onCreated }: { me: string | null; onCreated: (t: CreatedToken) => void }) {
  const [name, setName] = useState('');
  const [lifetime, setLifetime] = useState(String(TOKEN_LIFETIME_DAYS.default));
  const [touched, setTouched] = useState(false);
  const create = useCreateToken();
  const nameProblem = touched && !name.trim() ? 'Required: what the token is for, e.g. "ci-backup"' : name.length > 64 ? 'At most 64 characters.' : null;
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
          { name: name.trim(), lifetimeDays: Number(lifetime) },
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
            label="Lifetime"
            description={`The token acts as you${me ? ` (${me})` : ''}, then expires`}
            value={lifetime}
            onChange={(e) => setLifetime(e.currentTarget.value)}
            data={LIFETIMES}
            w={260}
            data-testid="new-token-lifetime"
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
            <Table.Th>Expires</Table.Th>
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
                <DateTime value={t.expiresAt} size="xs" data-testid="token-expires" />
              </Table.Td>
              <Table.Td>
                {tokenState(t) === 'revoked' ? (
                  <Group gap={4} wrap="nowrap" title={t.revokedReason ?? undefined}>
                    <Badge color="gray" variant="light" data-testid="token-status">
                      revoked
                    </Badge>
                    <DateTime value={t.revokedAt} size="xs" />
                    {t.revokedReason && (
                      <Text size="xs" c="dimmed" data-testid="token-revoked-reason">
                        {t.revokedReason}
                      </Text>
                    )}
                  </Group>
                ) : (
                  <Badge color={tokenState(t) === 'expired' ? 'orange' : 'green'} variant="light" data-testid="token-status">
                    {tokenState(t)}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                {tokenState(t) === 'active' && (
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

/** `onlyMine`: the account page lists the signed-in user's tokens only (an admin's list holds everyone's). */
export function TokensSection({ me, onlyMine = false }: { me: string | null; onlyMine?: boolean }) {
  const tokens = useTokens();
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  return (
    <Stack gap="md" data-testid="tokens-section">
      <Text size="sm" c="dimmed">
        For scripts and CI: <code>Authorization: Bearer &lt;token&gt;</code>. A token is always its creator's and acts with the
        creator's role; it expires, stops working when its owner's password changes or the owner is disabled, and never moves the CA
        key nor manages users or tokens.
      </Text>
      <CreateTokenForm me={me} onCreated={setCreated} />
      {created && <TokenCreated token={created} onDone={() => setCreated(null)} />}
      <QueryState
        query={tokens}
        label="API tokens"
        isEmpty={(items) => items.filter((t) => !onlyMine || t.username === me).length === 0}
        empty={<EmptyState title="No API tokens yet" />}
      >
        {(items) => <TokensTable tokens={items.filter((t) => !onlyMine || t.username === me)} onRevoke={setRevoking} />}
      </QueryState>
      <RevokeDialog token={revoking} onClose={() => setRevoking(null)} />
    </Stack>
  );
}
