/** Table of clusters with their size and whether the CA exists. */
import { Badge, Table } from '@mantine/core';
import type { Cluster, ClusterListItem } from '@kpki/shared';
import { DateTime } from '../../../components/date-time.tsx';
import { ExpiryStateBadge } from '../../../components/expiry-state-badge.tsx';
import { AnchorLink } from '../../../components/links.tsx';

const count = (c: Cluster, role: string) => c.nodes.filter((n) => n.role === role).length;

export function ClusterList({ clusters }: { clusters: ClusterListItem[] }) {
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table striped highlightOnHover data-testid="cluster-list">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Nodes</Table.Th>
            <Table.Th>Service CIDR</Table.Th>
            <Table.Th>CA</Table.Th>
            <Table.Th>Soonest expiry</Table.Th>
            <Table.Th>Created</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {clusters.map((c) => (
            <Table.Tr key={c.name} data-testid={`cluster-row-${c.name}`}>
              <Table.Td>
                <AnchorLink to="/clusters/$cluster" params={{ cluster: c.name }} search={{}} fw={600}>
                  {c.name}
                </AnchorLink>
              </Table.Td>
              <Table.Td>
                {c.nodes.length} ({count(c, 'control-plane')} control-plane, {count(c, 'worker')} worker, {count(c, 'load-balancer')} lb)
              </Table.Td>
              <Table.Td>{c.serviceCidr}</Table.Td>
              <Table.Td>
                <Badge color={c.hasCa ? 'green' : 'gray'} variant="light">
                  {c.hasCa ? 'created' : 'none yet'}
                </Badge>
              </Table.Td>
              <Table.Td>
                {c.soonestExpiry ? (
                  <span title={`${c.soonestExpiry.name}${c.soonestExpiry.node ? ` on ${c.soonestExpiry.node}` : ''}`}>
                    <ExpiryStateBadge notAfter={c.soonestExpiry.notAfter} state={c.soonestExpiry.state} testId="soonest-expiry" />{' '}
                    {c.soonestExpiry.name}
                  </span>
                ) : (
                  '—'
                )}
              </Table.Td>
              <Table.Td>
                <DateTime value={c.createdAt} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
