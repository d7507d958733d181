/**
 * One table of everything that expires: the issued certificates, the CA, and the versions the
 * nodes hold (as of their last verify), coloured by state, soonest first. A 1,000-node cluster
 * holds thousands of these: counts by state at the top (buttons that filter), a search, filters by
 * state and by where it is, sorting, and 50 rows a page (components/filtered-table.tsx), the
 * query in the page's URL.
 */
import { Badge, Group, Text } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';
import type { ExpiryReport, ExpiryState } from '@kpki/shared';
import { FilteredTable } from '../../../components/filtered-table.tsx';
import { ExpiryStateBadge } from '../../../components/expiry-state-badge.tsx';
import { AnchorLink } from '../../../components/links.tsx';
import { EXPIRY_COLORS } from '../../../lib/expiry.ts';
import type { TableFilter, TableQuery } from '../../../lib/table-query.ts';
import { formatUtc } from '../../../lib/time.ts';
import { RenewOneButton } from './renew-actions.tsx';

export interface ExpiryRow {
  key: string;
  name: string;
  /** "issued", "CA" or the node that holds it */
  where: string;
  file: string;
  serial: string;
  notAfter: string;
  residualSeconds: number;
  state: ExpiryState;
  note: string;
  /** a leaf kpki can renew (issued, in the plan) */
  renewable: boolean;
  testId: string;
}

/** The report's three lists as rows, soonest first (the order when no column is sorted). */
export function expiryRows(report: ExpiryReport): ExpiryRow[] {
  const issued = report.certificates.map((c) => ({
    key: `c-${c.name}`, name: c.name, where: 'issued', file: `${c.name}.pem`, serial: c.serial, notAfter: c.notAfter,
    residualSeconds: c.residualSeconds, state: c.state, note: c.notAfterCapped ? "capped at the CA's notAfter" : c.kind === null ? 'not in the plan any more' : '',
    renewable: c.kind !== null, testId: `expiry-row-${c.name}`,
  }));
  const ca = report.ca
    ? [{ key: 'ca', name: 'ca', where: 'CA', file: 'ca.pem', serial: report.ca.serial, notAfter: report.ca.notAfter, residualSeconds: report.ca.residualSeconds,
      state: report.ca.state, note: 'renewing a CA is a CA rotation', renewable: false, testId: 'expiry-row-ca' }]
    : [];
  const deployed = report.deployed.map((d) => ({
    key: `d-${d.node}-${d.file}`, name: d.name, where: d.node, file: d.file, serial: d.serial, notAfter: d.notAfter, residualSeconds: d.residualSeconds,
    state: d.state, note: d.message ?? (d.current ? 'current version' : ''), renewable: false, testId: `deployed-row-${d.node}-${d.file}`,
  }));
  return [...issued, ...ca, ...deployed].sort((a, b) => a.residualSeconds - b.residualSeconds);
}

/** Where a row is, as the "Where" filter groups it: issued, CA, or held by a node. */
const placeOf = (r: ExpiryRow) => (r.where === 'issued' || r.where === 'CA' ? r.where : 'on a node');

export const EXPIRY_FILTERS: TableFilter<ExpiryRow>[] = [
  { id: 'state', label: 'State', value: (r) => r.state, order: ['expired', 'critical', 'warning', 'ok'] },
  { id: 'where', label: 'Where', value: placeOf, order: ['issued', 'CA', 'on a node'] },
];

/** What a search looks in: the certificate, the node that holds it, its file, serial and note. */
const expirySearchText = (r: ExpiryRow) => `${r.name} ${r.where} ${r.file} ${r.serial} ${r.note}`;

const col = createColumnHelper<ExpiryRow>();

function columns(cluster: string, actions: { canOperate: boolean; distribute: boolean; onJob: (id: string) => void }) {
  return [
    col.accessor('name', {
      header: 'Certificate',
      cell: (i) => (
        <AnchorLink to="/clusters/$cluster/certificates/$name" params={{ cluster, name: i.getValue() }} search={{ serial: i.row.original.serial }} fw={600} size="sm">
          {i.getValue()}
        </AnchorLink>
      ),
    }),
    col.accessor('where', {
      header: 'Where',
      cell: (i) => (
        <Badge variant={i.getValue() === 'issued' || i.getValue() === 'CA' ? 'light' : 'outline'} color={i.getValue() === 'CA' ? 'grape' : 'blue'}>
          {i.getValue() === 'issued' || i.getValue() === 'CA' ? i.getValue() : `on ${i.getValue()}`}
        </Badge>
      ),
    }),
    col.accessor('serial', { header: 'Serial', cell: (i) => <Text size="xs" ff="monospace" title={i.getValue()}>{i.getValue().slice(0, 12)}…</Text> }),
    col.accessor('residualSeconds', {
      header: 'Expires',
      cell: (i) => <ExpiryStateBadge notAfter={i.row.original.notAfter} state={i.row.original.state} />,
      enableGlobalFilter: false,
    }),
    col.accessor('notAfter', { header: 'notAfter (UTC)', cell: (i) => <Text size="xs">{formatUtc(i.getValue())}</Text> }),
    col.accessor('note', {
      header: 'Note',
      enableSorting: false,
      cell: (i) => (
        <Group gap="xs" wrap="nowrap">
          <Text size="xs" c={i.row.original.state === 'ok' ? 'dimmed' : undefined} data-testid="expiry-note">
            {i.getValue()}
          </Text>
          {actions.canOperate && i.row.original.renewable && (
            <RenewOneButton cluster={cluster} name={i.row.original.name} distribute={actions.distribute} onJob={actions.onJob} />
          )}
        </Group>
      ),
    }),
  ];
}

interface ExpiryTableProps {
  cluster: string;
  rows: ExpiryRow[];
  canOperate: boolean;
  /** per-row renewals also redistribute */
  distribute: boolean;
  onJob: (jobId: string) => void;
  /** the table's search, filters (state, where), sort and page (the URL's) */
  query?: TableQuery;
  onQueryChange?: (query: TableQuery) => void;
}

export function ExpiryTable({ cluster, rows, canOperate, distribute, onJob, query, onQueryChange }: ExpiryTableProps) {
  return (
    <FilteredTable
      noun="certificates and copies"
      data={rows}
      columns={columns(cluster, { canOperate, distribute, onJob })}
      filters={EXPIRY_FILTERS}
      countsBy="state"
      countColors={EXPIRY_COLORS}
      searchText={expirySearchText}
      searchPlaceholder="name, node, file or serial"
      query={query}
      onQueryChange={onQueryChange}
      testId="expiry-table"
      emptyMessage="Nothing issued yet."
      rowProps={(r) => ({ 'data-testid': r.testId, 'data-state': r.state, 'data-serial': r.serial })}
    />
  );
}
