/** Deletes a cluster after the operator types its name. */
import { useState } from 'react';
import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useDeleteCluster } from '../api/delete-cluster.ts';

export function DeleteClusterButton({ cluster, onDeleted }: { cluster: string; onDeleted: () => void }) {
  const [opened, setOpened] = useState(false);
  const [typed, setTyped] = useState('');
  const del = useDeleteCluster();
  return (
    <>
      <Button variant="subtle" color="red" onClick={() => setOpened(true)} data-testid="delete-cluster">
        Delete cluster
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title={`Delete ${cluster}?`} centered>
        <Stack gap="sm">
          <Text size="sm">
            The CA, every certificate and key, and the SSH settings of {cluster} are deleted from kpki. Files already on the nodes stay
            there.
          </Text>
          <TextInput label={`Type ${cluster} to confirm`} value={typed} onChange={(e) => setTyped(e.currentTarget.value)} />
          {del.error && <ErrorAlert error={del.error} title="Could not delete" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpened(false)}>
              Cancel
            </Button>
            <Button color="red" disabled={typed !== cluster} loading={del.isPending} onClick={() => del.mutate(cluster, { onSuccess: onDeleted })}>
              Delete
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
