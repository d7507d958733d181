/**
 * The bulk host-key scan (issue 16): one scan of every node with an SSH host (or those named)
 * shown as a review table (node, key type, fingerprint, same as pinned or not), from which the
 * operator pins all or some in one action. The scan pins nothing; pinning is all or none on the
 * server, which scans again and refuses a node that now presents another key.
 */
import { useState } from 'react';
import { Badge, Button, Checkbox, Group, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { HostKeyReviewRow } from '@kpki/shared';
import { ErrorAlert } from '../../../../components/error-alert.tsx';
import { usePermissions } from '../../../../components/permissions.tsx';
import { isCancelled, useElevation } from '../../../../components/use-elevation.tsx';
import { useHostKeyScan, usePinHostKeys } from '../../api/ssh-setup.ts';

const PINNED: Record<HostKeyReviewRow['pinnedMatch'], { color: string; label: string }> = {
  same: { color: 'green', label: 'pinned' },
  different: { color: 'red', label: 'differs from the pinned key' },
  none: { color: 'gray', label: 'not pinned' },
};

/** Rows that can be pinned: a key was seen and it is not the pinned one already. */
export const pinnable = (r: HostKeyReviewRow) => !!r.fingerprint && r.pinnedMatch !== 'same';

export function HostKeyReview({ cluster }: { cluster: string }) {
  const scan = useHostKeyScan(cluster);
  const pin = usePinHostKeys(cluster);
  const elevation = useElevation();
  const { canOperate } = usePermissions();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const rows = scan.data?.items ?? [];
  const candidates = rows.filter(pinnable);

  const start = () => scan.mutate({}, { onSuccess: (r) => (pin.reset(), setSelected(new Set(r.items.filter((i) => pinnable(i) && i.pinnedMatch === 'none').map((i) => i.node)))) });
  const toggle = (node: string, on: boolean) => setSelected((s) => {
    const next = new Set(s);
    if (on) next.add(node);
    else next.delete(node);
    return next;
  });
  const pinSelected = async () => {
    const pins = rows.filter((r) => selected.has(r.node) && r.fingerprint).map((r) => ({ node: r.node, fingerprint: r.fingerprint! }));
    try {
      const answer = await elevation.retry(() => pin.mutateAsync(pins), 'Pinning the host key of a node that receives ca-key.pem');
      notifications.show({ color: 'green', title: 'Host keys pinned', message: `${answer.changed.length} pinned: ${answer.changed.join(', ')}` });
      scan.reset();
      setSelected(new Set());
    } catch (error) {
      if (isCancelled(error)) pin.reset();
    }
  };

  return (
    <Stack gap="xs" data-testid="host-key-review">
      <Group>
        <Button variant="light" onClick={start} loading={scan.isPending} disabled={!canOperate} data-testid="scan-all-host-keys">
          Scan host keys
        </Button>
        <Text size="xs" c="dimmed">
          Reads the key each node presents; pins nothing.
        </Text>
      </Group>
      {scan.error && <ErrorAlert error={scan.error} title="Could not scan" />}
      {rows.length > 0 && (
        <>
          <Table striped withTableBorder data-testid="host-key-review-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>
                  <Checkbox
                    aria-label="Select every key that can be pinned"
                    checked={candidates.length > 0 && candidates.every((r) => selected.has(r.node))}
                    indeterminate={candidates.some((r) => selected.has(r.node)) && !candidates.every((r) => selected.has(r.node))}
                    onChange={(e) => setSelected(e.currentTarget.checked ? new Set(candidates.map((r) => r.node)) : new Set())}
                  />
                </Table.Th>
                <Table.Th>Node</Table.Th>
                <Table.Th>Key type</Table.Th>
                <Table.Th>Fingerprint</Table.Th>
                <Table.Th>Pinned</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.node} data-testid={`review-row-${r.node}`}>
                  <Table.Td>
                    <Checkbox aria-label={`Pin the key of ${r.node}`} disabled={!pinnable(r)} checked={selected.has(r.node)} onChange={(e) => toggle(r.node, e.currentTarget.checked)} />
                  </Table.Td>
                  <Table.Td>{r.node}</Table.Td>
                  <Table.Td ff="monospace">{r.keyType ?? '—'}</Table.Td>
                  <Table.Td ff="monospace" style={{ wordBreak: 'break-all' }}>
                    {r.fingerprint ?? <Text span c="red" size="sm">{r.error?.message ?? 'not scanned'}</Text>}
                  </Table.Td>
                  <Table.Td>
                    {r.fingerprint && <Badge color={PINNED[r.pinnedMatch].color} variant="light">{PINNED[r.pinnedMatch].label}</Badge>}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="xs" c="dimmed">
            Compare each fingerprint with <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code> on the node before pinning it.
          </Text>
          {pin.error && !isCancelled(pin.error) && <ErrorAlert error={pin.error} title="Nothing was pinned" />}
          <Group>
            <Button onClick={pinSelected} loading={pin.isPending} disabled={!canOperate || selected.size === 0} data-testid="pin-selected">
              Pin selected ({selected.size})
            </Button>
          </Group>
        </>
      )}
      {elevation.dialog}
    </Stack>
  );
}
