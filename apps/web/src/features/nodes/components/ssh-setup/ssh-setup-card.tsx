/** SSH set-up for many nodes at once (issue 16): the cluster's defaults, the import, the bulk host-key review, the first address as host. */
import { useState } from 'react';
import { Button, Card, Divider, Group, Stack, Title } from '@mantine/core';
import type { NodeRow } from '@kpki/shared';
import { usePermissions } from '../../../../components/permissions.tsx';
import { SshDefaultsForm } from './ssh-defaults-form.tsx';
import { SshImportDialog } from './ssh-import-dialog.tsx';
import { HostKeyReview } from './host-key-review.tsx';
import { FirstAddressAction } from './first-address-action.tsx';

export function SshSetupCard({ cluster, nodes }: { cluster: string; nodes: NodeRow[] }) {
  const [importing, setImporting] = useState(false);
  const { canOperate } = usePermissions();
  return (
    <Card withBorder data-testid="ssh-setup">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4">SSH set-up</Title>
          {canOperate && (
            <Button variant="light" onClick={() => setImporting(true)} data-testid="open-ssh-import">
              Import from ~/.ssh/config
            </Button>
          )}
        </Group>
        <SshDefaultsForm cluster={cluster} />
        <Divider />
        <HostKeyReview cluster={cluster} />
        <Divider />
        <FirstAddressAction cluster={cluster} nodes={nodes} />
      </Stack>
      {importing && <SshImportDialog cluster={cluster} opened={importing} onClose={() => setImporting(false)} />}
    </Card>
  );
}
