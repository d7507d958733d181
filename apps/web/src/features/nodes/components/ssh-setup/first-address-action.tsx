/**
 * "Use each node's first address as its SSH host" (issue 16): a deliberate action for the nodes
 * the operator picks, never implicit. A key pinned for another host is dropped by the server.
 */
import { useState } from 'react';
import { Button, Group, MultiSelect, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { NodeRow } from '@kpki/shared';
import { ErrorAlert } from '../../../../components/error-alert.tsx';
import { usePermissions } from '../../../../components/permissions.tsx';
import { isCancelled, useElevation } from '../../../../components/use-elevation.tsx';
import { useFirstAddress } from '../../api/ssh-setup.ts';

/** Options the node list shows at a time. */
export const FIRST_ADDRESS_SHOWN = 50;

export function FirstAddressAction({ cluster, nodes }: { cluster: string; nodes: NodeRow[] }) {
  const [picked, setPicked] = useState<string[]>([]);
  const action = useFirstAddress(cluster);
  const elevation = useElevation();
  const { canOperate } = usePermissions();
  const withoutHost = nodes.filter((n) => !n.ssh?.host).map((n) => n.name);
  const run = async () => {
    try {
      const answer = await elevation.retry(() => action.mutateAsync(picked), 'Changing the SSH host of a node that receives ca-key.pem');
      notifications.show({ color: 'green', title: 'SSH hosts set', message: `${answer.changed.length} changed, ${answer.unchanged.length} already so` });
      setPicked([]);
    } catch (error) {
      if (isCancelled(error)) action.reset();
    }
  };
  if (!canOperate) return null;
  return (
    <Stack gap="xs" data-testid="first-address-action">
      <Group align="flex-end" wrap="wrap">
        <MultiSelect
          label="Nodes"
          placeholder="Pick nodes"
          data={nodes.map((n) => ({ value: n.name, label: `${n.name} (${n.addresses[0]})` }))}
          value={picked}
          onChange={setPicked}
          searchable
          clearable
          // a fleet has hundreds of nodes: no option is in the page until the list opens, then at most
          // FIRST_ADDRESS_SHOWN at a time (typing narrows them), instead of 1,000 hidden options on every render
          limit={FIRST_ADDRESS_SHOWN}
          comboboxProps={{ keepMounted: false }}
          nothingFoundMessage="No node matches"
          maxDropdownHeight={240}
          miw={280}
          data-testid="first-address-nodes"
        />
        <Button variant="default" onClick={() => setPicked(withoutHost)} disabled={withoutHost.length === 0}>
          Pick the {withoutHost.length} without an SSH host
        </Button>
        <Button onClick={run} loading={action.isPending} disabled={picked.length === 0} data-testid="first-address-run">
          Use first address as SSH host ({picked.length})
        </Button>
      </Group>
      <Text size="xs" c="dimmed">Only the nodes picked change; a host key pinned for another host is unpinned.</Text>
      {action.error && !isCancelled(action.error) && <ErrorAlert error={action.error} title="Nothing changed" />}
      {elevation.dialog}
    </Stack>
  );
}
