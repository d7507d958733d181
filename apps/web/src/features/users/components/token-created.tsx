/**
 * The token just created, shown once: the server keeps only its SHA-256, and this panel keeps it
 * only until "I have stored it" (or leaving the page). Nothing else in the app ever holds it.
 */
import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { CopyField } from '../../../components/copy-field.tsx';
import type { CreatedToken } from '../api/types.ts';

export function TokenCreated({ token, onDone }: { token: CreatedToken; onDone: () => void }) {
  return (
    <Alert color="orange" title={`Token "${token.name}" for ${token.username}: copy it now`} data-testid="token-created" data-token-id={token.id}>
      <Stack gap="sm">
        <Text size="sm" data-testid="token-warning">
          This is the only time the token is shown: kpki stores only a hash of it. Store it in your secret store now; if it is lost,
          revoke it and create another. It acts as {token.username}, with that user's role.
        </Text>
        <CopyField value={token.token} label="Copy token" testId="token-value" />
        <Text size="xs" c="dimmed">
          Use it as <code>Authorization: Bearer &lt;token&gt;</code>.
        </Text>
        <Group>
          <Button size="xs" variant="light" color="orange" onClick={onDone} data-testid="token-dismiss">
            I have stored it
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
