/**
 * One sortable table of everything that expires: the issued certificates, the CA, and the
 * versions the nodes hold (as of their last verify), coloured by state, soonest first.
 */
import { Badge, Group, Text } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';
import type { ExpiryReport, ExpiryState } from '@kpki/shared';
import { DataTable } from '../../../components/data-table.tsx';
import { ExpiryStateBadge } from '../../../components/expiry-state-badge.tsx';
import { AnchorLink } from '../../../components/links.tsx';
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

/** The report's three lists as rows. */
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
  return [...issued, ...ca, ...deployed];
}

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
}

export function ExpiryTable({ cluster, rows, canOperate, distribute, onJob }: ExpiryTableProps) {
  return (
    <DataTable
      data={rows}
      columns={columns(cluster, { canOperate, distribute, onJob })}
      initialSorting={[{ id: 'residualSeconds', desc: false }]}
      testId="expiry-table"
      emptyMessage="Nothing issued yet."
      rowProps={(r) => ({ 'data-testid': r.testId, 'data-state': r.state, 'data-serial': r.serial })}
    />
  );
}
