/** The clusters: name, whether the CA exists and when it expires, the soonest expiry, size, service CIDR, creation. Cards in a narrow window. */
import { Badge, Text } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';
import type { Cluster, ClusterListItem } from '@kpki/shared';
import { DataTable } from '../../../components/data-table.tsx';
import { ExpiryStateBadge } from '../../../components/expiry-state-badge.tsx';
import { AnchorLink } from '../../../components/links.tsx';
import { formatDay, relativeTime } from '../../../lib/time.ts';

const count = (c: Cluster, role: string) => c.nodes.filter((n) => n.role === role).length;
const col = createColumnHelper<ClusterListItem>();

const columns = [
  col.accessor('name', {
    header: 'Name',
    cell: (i) => (
      <AnchorLink to="/clusters/$cluster" params={{ cluster: i.getValue() }} search={{}} fw={600}>
        {i.getValue()}
      </AnchorLink>
    ),
  }),
  col.accessor((c) => (c.hasCa ? 'created' : 'none yet'), {
    id: 'ca',
    header: 'CA',
    cell: (i) => (
      <Badge color={i.row.original.hasCa ? 'green' : 'gray'} variant="light" data-testid="cluster-ca">
        CA {i.getValue()}
      </Badge>
    ),
  }),
  col.accessor((c) => c.caNotAfter ?? '', {
    id: 'caNotAfter',
    header: 'CA expires',
    cell: (i) =>
      i.getValue() ? (
        <Text size="sm" data-testid="cluster-ca-expiry" style={{ whiteSpace: 'nowrap' }}>
          {relativeTime(i.getValue())} ({formatDay(i.getValue())})
        </Text>
      ) : (
        <Text size="sm" c="dimmed">
          —
        </Text>
      ),
  }),
  col.accessor((c) => c.soonestExpiry?.notAfter ?? '', {
    id: 'soonestExpiry',
    header: 'Soonest expiry',
    cell: (i) => {
      const s = i.row.original.soonestExpiry;
      if (!s) return '—';
      return (
        <span title={`${s.name}${s.node ? ` on ${s.node}` : ''}`}>
          <ExpiryStateBadge notAfter={s.notAfter} state={s.state} testId="soonest-expiry" /> {s.name}
        </span>
      );
    },
  }),
  col.accessor((c) => c.nodes.length, {
    id: 'nodes',
    header: 'Nodes',
    cell: (i) => {
      const c = i.row.original;
      return `${c.nodes.length} (${count(c, 'control-plane')} control-plane, ${count(c, 'worker')} worker, ${count(c, 'load-balancer')} load balancer)`;
    },
  }),
  col.accessor('serviceCidr', { header: 'Service CIDR' }),
  col.accessor('createdAt', { header: 'Created', cell: (i) => `${formatDay(i.getValue())} (${relativeTime(i.getValue())})` }),
];

export function ClusterList({ clusters }: { clusters: ClusterListItem[] }) {
  return (
    <DataTable
      data={clusters}
      columns={columns}
      testId="cluster-list"
      cardFirst={['name', 'ca', 'caNotAfter', 'soonestExpiry']}
      rowProps={(c) => ({ 'data-testid': `cluster-row-${c.name}` })}
    />
  );
}
