/**
 * Every node: role, address, SSH target, state and "N / M files"; counts by state on top (the
 * server's states, judged when the list was read), search by name, address or SSH target,
 * filters by state and role, sorted by any column, 50 rows a page.
 */
import { Text } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';
import type { NodeRow } from '@kpki/shared';
import { FilteredTable } from '../../../components/filtered-table.tsx';
import type { TableFilter, TableQuery } from '../../../lib/table-query.ts';
import { StateAge } from './state-age.tsx';
import { StateBadge } from './node-state-badge.tsx';
import { fileCount, fileCountLabel, NODE_STATE_ORDER, STATE_COLORS, withheldFiles } from './node-state.ts';
import { AnchorLink } from '../../../components/links.tsx';

const col = createColumnHelper<NodeRow>();

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
  col.accessor(sshTarget, {
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

/** The SSH target in force: the node's own settings with the cluster's defaults (effectiveSsh, derived by the server). */
const sshTarget = ({ effectiveSsh: s }: NodeRow) => (s?.host ? `${s.user ?? 'root'}@${s.host}:${s.port ?? 22}` : '');

export const NODE_FILTERS: TableFilter<NodeRow>[] = [
  { id: 'state', label: 'State', value: (n) => n.status.state, order: NODE_STATE_ORDER },
  { id: 'role', label: 'Role', value: (n) => n.role },
];

/** What a search looks in: name, role, addresses and SSH target. */
export const nodeSearchText = (n: NodeRow) => `${n.name} ${n.role} ${n.addresses.join(' ')} ${sshTarget(n)}`;

export function NodesTable({ cluster, nodes, query, onQueryChange }: { cluster: string; nodes: NodeRow[]; query?: TableQuery; onQueryChange?: (q: TableQuery) => void }) {
  return (
    <FilteredTable
      noun="nodes"
      query={query}
      onQueryChange={onQueryChange}
      filters={NODE_FILTERS}
      countsBy="state"
      countColors={STATE_COLORS}
      searchText={nodeSearchText}
      searchPlaceholder="name, address or SSH target"
      data={nodes}
      columns={columns(cluster)}
      testId="nodes-table"
      cardFirst={['name', 'state', 'files', 'checkedAt']}
      emptyMessage="This cluster has no nodes."
      rowProps={(n) => ({ 'data-testid': `node-row-${n.name}`, 'data-state': n.status.state })}
    />
  );
}
