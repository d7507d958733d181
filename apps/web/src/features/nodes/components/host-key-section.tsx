/** The pinned host key of a node, and the scan that asks before pinning a new one. */
import { useState } from 'react';
import { Alert, Button, Code, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { HostKeyScan, NodeRow } from '@kpki/shared';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { usePermissions } from '../../../components/permissions.tsx';
import { isCancelled, useElevation } from '../../../components/use-elevation.tsx';
import { usePutNodeSsh } from '../api/put-node-ssh.ts';
import { useScanHostKey } from '../api/scan-host-key.ts';

function ScanDialog({ scan, pinned, onPin, onClose, pinning, error }: {
  scan: HostKeyScan | null;
  pinned: string | undefined;
  onPin: () => void;
  onClose: () => void;
  pinning: boolean;
  error: unknown;
}) {
  const changed = !!scan && !!pinned && pinned !== scan.fingerprint;
  return (
    <Modal opened={!!scan} onClose={onClose} title="Host key found" centered size="lg">
      {scan && (
        <Stack gap="sm" data-testid="host-key-dialog">
          <Table>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th>Host</Table.Th>
                <Table.Td ff="monospace">
                  {scan.host}:{scan.port}
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Key type</Table.Th>
                <Table.Td ff="monospace" data-testid="host-key-type">
                  {scan.keyType}
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Fingerprint</Table.Th>
                <Table.Td ff="monospace" data-testid="host-key-fingerprint" style={{ wordBreak: 'break-all' }}>
                  {scan.fingerprint}
                </Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
          {changed && (
            <Alert color="red" title="This is not the pinned key">
              The pinned key is <Code>{pinned}</Code>. Pin the new one only if you know why the host key changed.
            </Alert>
          )}
          <Text size="sm">
            Compare it with <Code>ssh-keygen -lf /etc/ssh/ssh_host_{scan.keyType.replace(/^ssh-/, '')}_key.pub</Code> on the node.
            Pin this key?
          </Text>
          {error != null && <ErrorAlert error={error} title="Could not pin the key" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button onClick={onPin} loading={pinning} color={changed ? 'red' : undefined} data-testid="pin-host-key">
              Pin this key
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

export function HostKeySection({ cluster, node }: { cluster: string; node: NodeRow }) {
  const scan = useScanHostKey(cluster, node.name);
  const put = usePutNodeSsh(cluster, node.name, node.ssh);
  const [found, setFound] = useState<HostKeyScan | null>(null);
  const pinned = node.ssh?.hostKey;
  const { canOperate } = usePermissions();
  const elevation = useElevation();

  const pin = async () => {
    if (!found) return;
    try {
      await elevation.retry(() => put.mutateAsync({ ssh: { ...node.ssh, hostKey: found.fingerprint } }), `Pinning the host key of ${node.name}, which receives ca-key.pem,`);
      setFound(null);
      notifications.show({ color: 'green', title: 'Host key pinned', message: `${node.name}: ${found.fingerprint}` });
    } catch (error) {
      if (isCancelled(error)) put.reset();
    }
  };

  return (
    <Stack gap="sm" data-testid="host-key-section">
      <Text size="sm">
        Pinned host key:{' '}
        {pinned ? (
          <Code data-testid="pinned-host-key">{pinned}</Code>
        ) : (
          <Text span c="orange" data-testid="pinned-host-key">
            none: kpki will not connect to this node until a key is pinned
          </Text>
        )}
      </Text>
      {scan.error && <ErrorAlert error={scan.error} title="Could not scan the host key" />}
      {canOperate && <Group>
        <Button
          variant="light"
          onClick={() => scan.mutate(undefined, { onSuccess: (result) => (put.reset(), setFound(result)) })}
          loading={scan.isPending}
          disabled={!node.ssh?.host}
          data-testid="scan-host-key"
        >
          Scan host key
        </Button>
        {!node.ssh?.host && (
          <Text size="xs" c="dimmed">
            Save an SSH host first.
          </Text>
        )}
      </Group>}
      {elevation.dialog}
      <ScanDialog scan={found} pinned={pinned} onPin={pin} onClose={() => setFound(null)} pinning={put.isPending} error={put.error} />
    </Stack>
  );
}
