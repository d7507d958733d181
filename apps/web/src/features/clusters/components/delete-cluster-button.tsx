/**
 * Deletes a cluster (admins): the name typed and the password re-entered. The cluster, its CA and
 * every key are kept restorable (Deleted clusters on the start page) until the purge time.
 */
import { useState } from 'react';
import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { describeError } from '../../../components/error-alert.tsx';
import { usePermissions } from '../../../components/permissions.tsx';
import { formatUtc } from '../../../lib/time.ts';
import { useDeleteCluster } from '../api/delete-cluster.ts';
import { ConfirmByNameDialog } from './confirm-by-name-dialog.tsx';

export function DeleteClusterButton({ cluster, onDeleted }: { cluster: string; onDeleted: () => void }) {
  const { canAdmin } = usePermissions();
  const [opened, setOpened] = useState(false);
  const del = useDeleteCluster();
  if (!canAdmin) return null;
  return (
    <>
      <Button variant="subtle" color="red" onClick={() => setOpened(true)} loading={del.isPending} data-testid="delete-cluster">
        Delete cluster
      </Button>
      <ConfirmByNameDialog
        cluster={cluster}
        opened={opened}
        title={`Delete ${cluster}?`}
        explanation={
          <>
            {cluster}, its CA, every certificate and key and its SSH settings leave every page. An admin can restore it, intact, until it is
            purged (after the retention period, 7 days unless configured). Files already on the nodes stay there.
          </>
        }
        confirmLabel="Delete"
        onClose={() => setOpened(false)}
        onConfirmed={() => {
          setOpened(false);
          del.mutate(cluster, {
            onSuccess: (d) => {
              notifications.show({ color: 'orange', title: `${cluster} deleted`, message: `Restorable until ${formatUtc(d.purgeAfter)} (Deleted clusters on the start page).` });
              onDeleted();
            },
            onError: (e) => {
              const { code, message } = describeError(e);
              notifications.show({ color: 'red', title: 'Could not delete', message: `${code}: ${message}` });
            },
          });
        }}
      />
    </>
  );
}
