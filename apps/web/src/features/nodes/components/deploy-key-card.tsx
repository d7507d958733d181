/**
 * The cluster's deploy public key, to put in each node's ~/.ssh/authorized_keys; admins may
 * replace it with their own private key (the password is asked again: the deploy key is the
 * CA key's way to the control-plane nodes).
 */
import { useState } from 'react';
import { Button, Card, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { CopyField } from '../../../components/copy-field.tsx';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { usePermissions } from '../../../components/permissions.tsx';
import { QueryState } from '../../../components/query-state.tsx';
import { isCancelled, useElevation } from '../../../components/use-elevation.tsx';
import { useDeployKey } from '../api/get-deploy-key.ts';
import { usePutDeployKey } from '../api/put-deploy-key.ts';

function UploadDeployKey({ cluster }: { cluster: string }) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const put = usePutDeployKey(cluster);
  const elevation = useElevation();
  const upload = async () => {
    try {
      const key = await elevation.retry(() => put.mutateAsync(text), 'Uploading a deploy key');
      setText('');
      setOpen(false);
      notifications.show({ color: 'green', title: 'Deploy key replaced', message: `${cluster}: ${key.fingerprint}` });
    } catch (error) {
      if (isCancelled(error)) put.reset();
    }
  };
  return (
    <Stack gap="xs">
      <Group>
        <Button variant="subtle" size="xs" onClick={() => setOpen((o) => !o)} data-testid="deploy-key-upload-toggle">
          {open ? 'Keep the current key' : 'Use your own private key instead'}
        </Button>
      </Group>
      {open && (
        <Stack gap="xs">
          <Textarea
            label="Private key (OpenSSH or PEM, unencrypted)"
            autosize
            minRows={4}
            maxRows={10}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            styles={{ input: { fontFamily: 'monospace' } }}
            data-testid="deploy-key-private"
            autoComplete="off"
          />
          {put.error && <ErrorAlert error={put.error} title="Could not replace the deploy key" />}
          <Group justify="flex-end">
            <Button onClick={upload} loading={put.isPending} disabled={!text.trim()} color="orange" data-testid="deploy-key-upload">
              Replace the deploy key
            </Button>
          </Group>
        </Stack>
      )}
      {elevation.dialog}
    </Stack>
  );
}

export function DeployKeyCard({ cluster }: { cluster: string }) {
  const key = useDeployKey(cluster);
  const { canAdmin } = usePermissions();
  return (
    <Card withBorder data-testid="deploy-key">
      <Title order={2} size="h4" mb="xs">
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
            {canAdmin && <UploadDeployKey cluster={cluster} />}
          </Stack>
        )}
      </QueryState>
    </Card>
  );
}
