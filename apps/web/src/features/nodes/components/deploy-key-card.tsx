/** The cluster's deploy public key, to put in each node's ~/.ssh/authorized_keys. */
import { Card, Stack, Text, Title } from '@mantine/core';
import { CopyField } from '../../../components/copy-field.tsx';
import { QueryState } from '../../../components/query-state.tsx';
import { useDeployKey } from '../api/get-deploy-key.ts';

export function DeployKeyCard({ cluster }: { cluster: string }) {
  const key = useDeployKey(cluster);
  return (
    <Card withBorder data-testid="deploy-key">
      <Title order={4} mb="xs">
        Deploy key
      </Title>
      <QueryState query={key} label="the deploy key">
        {(k) => (
          <Stack gap="xs">
            <Text size="sm">
              Add this public key to <code>~/.ssh/authorized_keys</code> of the SSH user on each node ({k.source}, fingerprint{' '}
              <code>{k.fingerprint}</code>).
            </Text>
            <CopyField value={k.publicKey} label="Copy public key" testId="deploy-public-key" />
          </Stack>
        )}
      </QueryState>
    </Card>
  );
}
