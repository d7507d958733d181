/** Every node: role, address, SSH target, state and "N / M files". */
import { Text } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';
import type { NodeSummary } from '@kpki/shared';
import { DataTable } from '../../../components/data-table.tsx';
import { StateAge } from './state-age.tsx';
import { StateBadge } from './node-state-badge.tsx';
import { fileCount, fileCountLabel, withheldFiles } from './node-state.ts';
import { AnchorLink } from '../../../components/links.tsx';

const col = createColumnHelper<NodeSummary>();

const columns = (cluster: string) => [
  col.accessor('name', {
    header: 'Node',
    cell: (i) => (
      <AnchorLink to="/clusters/$cluster/nodes/$node" params={{ cluster, node: i.getValue() }} search={{}} fw={600} data-testid="node-link">
        {i.getValue()}
      </AnchorLink>
    ),
  }),
  col.accessor((n) => n.status.state, { id: 'state', header: 'State', cell: (i) => <StateBadge state={i.getValue()} /> }),
  col.accessor((n) => fileCount(n).inSync, {
    id: 'files',
    header: 'Files',
    cell: (i) => (
      <>
        <Text size="sm" data-testid="node-files" style={{ whiteSpace: 'nowrap' }}>
          {fileCountLabel(i.row.original)}
        </Text>
        {i.row.original.status.caKeyWithheld && (
          <Text size="xs" c="orange" data-testid="node-ca-key-withheld" title={i.row.original.status.caKeyWithheld.reason} style={{ whiteSpace: 'nowrap' }}>
            {withheldFiles(i.row.original.status.caKeyWithheld)} left out
          </Text>
        )}
      </>
    ),
  }),
  col.accessor('role', { header: 'Role' }),
  col.accessor((n) => n.addresses.join(', '), { id: 'addresses', header: 'Address' }),
  col.accessor((n) => (n.ssh?.host ? `${n.ssh.user ?? 'root'}@${n.ssh.host}:${n.ssh.port ?? 22}` : ''), {
    id: 'ssh',
    header: 'SSH',
    cell: (i) =>
      i.getValue() ? (
        <Text size="sm" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
          {i.getValue()}
        </Text>
      ) : (
        <Text size="sm" c="dimmed">
          not set
        </Text>
      ),
  }),
  col.accessor((n) => n.status.checkedAt ?? '', {
    id: 'checkedAt',
    header: 'Checked',
    cell: (i) => <StateAge status={i.row.original.status} size="xs" />,
  }),
];

export function NodesTable({ cluster, nodes }: { cluster: string; nodes: NodeSummary[] }) {
  return (
    <DataTable
      data={nodes}
      columns={columns(cluster)}
      testId="nodes-table"
      cardFirst={['name', 'state', 'files', 'checkedAt']}
      emptyMessage="This cluster has no nodes."
      rowProps={(n) => ({ 'data-testid': `node-row-${n.name}`, 'data-state': n.status.state })}
    />
  );
}
