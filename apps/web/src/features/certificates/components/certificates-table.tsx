/**
 * The certificates of a cluster: counts by expiry state (the server's, of the status shown),
 * search by name, CN, O, recipient or serial, filters by status (current unless asked) and expiry
 * state, sorted by any column, 50 rows a page; superseded and retired ones on request.
 */
import { Badge, Group, Text } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';
import type { CertificateRow } from '@kpki/shared';
import { FilteredTable } from '../../../components/filtered-table.tsx';
import { EXPIRY_COLORS } from '../../../lib/expiry.ts';
import { searchTextOf, type TableFilter, type TableQuery } from '../../../lib/table-query.ts';
import { ExpiryBadge } from './expiry-badge.tsx';
import { AnchorLink } from '../../../components/links.tsx';

const col = createColumnHelper<CertificateRow>();

/** A certificate every node receives (ca, kube-proxy) names this many of them, then "and 995 more" (the search finds any). */
export const RECIPIENTS_SHOWN = 5;

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
        <Group gap={4} data-testid="cert-recipients" data-count={i.row.original.recipients.length}>
          {i.row.original.recipients.slice(0, RECIPIENTS_SHOWN).map((n) => (
            <Badge key={n} size="sm" variant="light">
              {n}
            </Badge>
          ))}
          {i.row.original.recipients.length > RECIPIENTS_SHOWN && (
            <Text span size="xs" c="dimmed" data-testid="cert-recipients-more">
              and {i.row.original.recipients.length - RECIPIENTS_SHOWN} more
            </Text>
          )}
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

export const CERTIFICATE_FILTERS: TableFilter<CertificateRow>[] = [
  { id: 'status', label: 'Status', value: (c) => c.status, order: ['current', 'superseded', 'retired'], defaultValue: 'current' },
  { id: 'expiry', label: 'Expiry', value: (c) => c.expiryState, order: ['expired', 'critical', 'warning', 'ok'] },
];

/** What a search looks in: name, CN, O, recipients, serial and key algorithm. */
export const certificateSearchText = (c: CertificateRow) => searchTextOf(c.name, c.cn, c.o, c.recipients, c.serial, c.keyAlgorithm);

interface CertificatesTableProps {
  cluster: string;
  items: CertificateRow[];
  query?: TableQuery;
  onQueryChange?: (q: TableQuery) => void;
  /** rows a page (50) */
  pageSize?: number;
}

export function CertificatesTable({ cluster, items, query, onQueryChange, pageSize }: CertificatesTableProps) {
  return (
    <FilteredTable
      noun="certificates"
      pageSize={pageSize}
      query={query}
      onQueryChange={onQueryChange}
      filters={CERTIFICATE_FILTERS}
      countsBy="expiry"
      countWithin={['status']}
      countColors={EXPIRY_COLORS}
      countsLabel={(n, q) => {
        const status = (q.status as string | undefined) ?? 'current';
        return `${n} ${status === 'all' ? '' : `${status} `}certificates:`;
      }}
      searchText={certificateSearchText}
      searchPlaceholder="name, CN, O, node, serial"
      data={items}
      columns={columns(cluster)}
      testId="certificates-table"
      cardFirst={['name', 'notAfter', 'status']}
      emptyMessage="No certificate matches."
      rowProps={(c) => ({
        'data-testid': c.status === 'current' ? `cert-row-${c.name}` : `cert-row-${c.name}-${c.serial}`,
        'data-status': c.status,
        'data-expiry': c.expiryState,
      })}
    />
  );
}
