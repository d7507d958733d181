/** The certificates of a cluster: sortable and filterable, expiry coloured, superseded ones on request. */
import { Badge, Group, Text } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';
import type { CertificateSummary } from '@kpki/shared';
import { DataTable } from '../../../components/data-table.tsx';
import { ExpiryBadge } from './expiry-badge.tsx';
import { AnchorLink } from '../../../components/links.tsx';

const col = createColumnHelper<CertificateSummary>();

const columns = (cluster: string) => [
  col.accessor('name', {
    header: 'Name',
    cell: (info) => {
      const c = info.row.original;
      return (
        <AnchorLink
          to="/clusters/$cluster/certificates/$name"
          params={{ cluster, name: c.name }}
          search={c.status === 'current' ? {} : { serial: c.serial }}
          fw={600}
          size="sm"
        >
          {c.name}
        </AnchorLink>
      );
    },
  }),
  col.accessor('cn', { header: 'CN', cell: (i) => <Text size="xs" ff="monospace">{i.getValue()}</Text> }),
  col.accessor('o', { header: 'O', cell: (i) => <Text size="xs" ff="monospace">{i.getValue() || '—'}</Text> }),
  col.accessor('keyAlgorithm', { header: 'Key', cell: (i) => <Text size="sm" style={{ whiteSpace: 'nowrap' }}>{i.getValue()}</Text> }),
  col.accessor('notAfter', {
    header: 'Expires in',
    cell: (i) => (
      <Group gap={4} wrap="nowrap">
        <ExpiryBadge notAfter={i.getValue()} state={i.row.original.expiryState} />
        {i.row.original.notAfterCapped && (
          <Badge size="xs" color="orange" variant="outline" title="its validity would have passed the CA's notAfter: it ends with the CA" data-testid="capped">
            capped at CA
          </Badge>
        )}
      </Group>
    ),
    enableGlobalFilter: false,
  }),
  col.accessor((c) => c.recipients.join(' '), {
    id: 'recipients',
    header: 'Recipients',
    cell: (i) =>
      i.row.original.recipients.length ? (
        <Group gap={4}>
          {i.row.original.recipients.map((n) => (
            <Badge key={n} size="sm" variant="light">
              {n}
            </Badge>
          ))}
        </Group>
      ) : (
        <Text size="sm" c="dimmed">
          download only
        </Text>
      ),
  }),
  col.accessor('status', {
    header: 'Status',
    cell: (i) => (
      <Badge color={i.getValue() === 'current' ? 'green' : i.getValue() === 'retired' ? 'red' : 'gray'} variant={i.getValue() === 'current' ? 'light' : 'outline'}>
        {i.getValue()}
      </Badge>
    ),
  }),
];

export function CertificatesTable({ cluster, items, filter }: { cluster: string; items: CertificateSummary[]; filter: string }) {
  return (
    <DataTable
      data={items}
      columns={columns(cluster)}
      globalFilter={filter}
      initialSorting={[]}
      testId="certificates-table"
      cardFirst={['name', 'notAfter', 'status']}
      emptyMessage="No certificate matches."
      rowProps={(c) => ({
        'data-testid': c.status === 'current' ? `cert-row-${c.name}` : `cert-row-${c.name}-${c.serial}`,
        'data-status': c.status,
      })}
    />
  );
}
