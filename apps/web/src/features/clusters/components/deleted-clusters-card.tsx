/** Deleted clusters (admins): when each was deleted and by whom, when it is purged; restore, or purge now. */
import { useState } from 'react';
import { Badge, Button, Card, Group, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { DeletedCluster } from '@kpki/shared';
import { DateTime } from '../../../components/date-time.tsx';
import { describeError } from '../../../components/error-alert.tsx';
import { usePermissions } from '../../../components/permissions.tsx';
import { useDeletedClusters, usePurgeCluster, useRestoreCluster } from '../api/deleted-clusters.ts';
import { ConfirmByNameDialog } from './confirm-by-name-dialog.tsx';

const fail = (title: string) => (e: unknown) => {
  const { code, message } = describeError(e);
  notifications.show({ color: 'red', title, message: `${code}: ${message}` });
};

export function DeletedClustersCard() {
  const { canAdmin } = usePermissions();
  const deleted = useDeletedClusters(canAdmin);
  const restore = useRestoreCluster();
  const purge = usePurgeCluster();
  const [purging, setPurging] = useState<DeletedCluster | null>(null);
  if (!canAdmin || !deleted.data?.length) return null;
  return (
    <Card withBorder data-testid="deleted-clusters">
      <Title order={2} size="h4" mb="xs">
        Deleted clusters
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Kept with their CA and keys until the purge time, then removed for good.
      </Text>
      <Table verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Cluster</Table.Th>
            <Table.Th>Deleted</Table.Th>
            <Table.Th>Purged after</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {deleted.data.map((d) => (
            <Table.Tr key={d.name} data-testid={`deleted-cluster-${d.name}`}>
              <Table.Td>
                <Group gap="xs">
                  <Text fw={600}>{d.name}</Text>
                  {d.hasCa && <Badge variant="light">CA</Badge>}
                  <Text size="xs" c="dimmed">
                    {d.nodes} nodes, {d.certificates} certificates
                  </Text>
                </Group>
              </Table.Td>
              <Table.Td>
                <DateTime value={d.deletedAt} size="xs" /> <Text span size="xs">by {d.deletedBy}</Text>
              </Table.Td>
              <Table.Td>
                <DateTime value={d.purgeAfter} size="xs" />
              </Table.Td>
              <Table.Td>
                <Group gap="xs" justify="flex-end" wrap="nowrap">
                  <Button size="compact-sm" variant="light" loading={restore.isPending && restore.variables === d.name} data-testid="restore-cluster"
                    onClick={() => restore.mutate(d.name, { onSuccess: () => notifications.show({ color: 'green', title: `${d.name} restored`, message: 'CA, certificates and keys as they were.' }), onError: fail('Could not restore') })}>
                    Restore
                  </Button>
                  <Button size="compact-sm" variant="subtle" color="red" onClick={() => setPurging(d)} data-testid="purge-cluster">
                    Purge now
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <ConfirmByNameDialog
        cluster={purging?.name ?? ''}
        opened={purging !== null}
        title={`Purge ${purging?.name ?? ''} for good?`}
        explanation={<>The CA and every key of {purging?.name} are destroyed: nothing can bring them back.</>}
        confirmLabel="Purge"
        onClose={() => setPurging(null)}
        onConfirmed={() => {
          const name = purging!.name;
          setPurging(null);
          purge.mutate(name, { onSuccess: () => notifications.show({ color: 'orange', title: `${name} purged`, message: 'Its CA and keys are gone.' }), onError: fail('Could not purge') });
        }}
      />
    </Card>
  );
}
