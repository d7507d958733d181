/**
 * SAN tables of the API server, etcd and each kubelet: every SAN with its reason, from the plan's
 * talks view. At scale: a table of more than INLINE_SANS SANs is grouped by reason with counts,
 * and more than INLINE_NAMES kubelet certificates are one group (how many SANs each reason gives
 * across them, counted by the server over every kubelet, and a search that opens one node's
 * certificate).
 */
import type { ReactNode } from 'react';
import { Badge, Stack, Table, Text, Title, type TableTdProps } from '@mantine/core';
import type { CertificateKind, PlannedCertificate, PlanTalksView } from '@kpki/shared';
import { AnchorLink } from '../../../components/links.tsx';
import { countOf, groupSans, INLINE_NAMES, INLINE_SANS, MAX_SHOWN_NAMES } from './matrix-model.ts';
import { NameGroup } from './name-group.tsx';

const SERVER_KINDS: CertificateKind[] = ['kube-apiserver', 'etcd', 'kubelet'];
const KIND_TITLES: Partial<Record<CertificateKind, string>> = {
  'kube-apiserver': 'API server',
  etcd: 'etcd',
  kubelet: 'kubelet',
};

function CertLink({ cluster, name }: { cluster: string; name: string }) {
  return (
    <AnchorLink to="/clusters/$cluster/certificates/$name" params={{ cluster, name }} search={{}} ff="monospace" size="sm">
      {name}
    </AnchorLink>
  );
}

interface SanColumn {
  label: string;
  w?: number;
  /** props of this column's cells */
  td?: TableTdProps;
}

interface SanRow {
  key: string;
  cells: ReactNode[];
  /** SANs the row stands for (data-count of a group row) */
  count?: number;
}

/** The table every SAN view draws: its columns, one row per SAN (`san-row`) or per group of SANs (`san-group`). */
function SanGrid({ columns, rows, rowTestId }: { columns: SanColumn[]; rows: SanRow[]; rowTestId: 'san-row' | 'san-group' }) {
  return (
    <Table striped>
      <Table.Thead>
        <Table.Tr>
          {columns.map((c) => (
            <Table.Th key={c.label} w={c.w}>
              {c.label}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.key} data-testid={rowTestId} data-count={r.count}>
            {r.cells.map((cell, i) => (
              <Table.Td key={columns[i].label} {...columns[i].td}>
                {cell}
              </Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function FlatSans({ cert }: { cert: PlannedCertificate }) {
  return (
    <SanGrid
      columns={[{ label: 'Type', w: 70 }, { label: 'SAN', td: { ff: 'monospace' } }, { label: 'Why' }]}
      rowTestId="san-row"
      rows={cert.sans.map((s) => ({ key: `${s.type}:${s.value}`, cells: [s.type.toUpperCase(), s.value, s.reason] }))}
    />
  );
}

/** One row per reason: how many SANs, and the first MAX_SHOWN_NAMES of them. */
function GroupedSans({ cert }: { cert: PlannedCertificate }) {
  return (
    <SanGrid
      columns={[{ label: 'Why' }, { label: 'Type', w: 90 }, { label: 'SANs', w: 70 }, { label: 'Values', td: { ff: 'monospace', fz: 'sm' } }]}
      rowTestId="san-group"
      rows={groupSans(cert.sans).map((g) => ({
        key: g.reason,
        count: g.values.length,
        cells: [
          g.reason,
          g.type.toUpperCase(),
          g.values.length,
          <>
            {g.values.slice(0, MAX_SHOWN_NAMES).join(', ')}
            {g.values.length > MAX_SHOWN_NAMES && (
              <Text span size="xs" c="dimmed" ff="body">
                {' '}and {g.values.length - MAX_SHOWN_NAMES} more (each on the certificate's page)
              </Text>
            )}
          </>,
        ],
      }))}
    />
  );
}

function SanTable({ cluster, cert }: { cluster: string; cert: PlannedCertificate }) {
  return (
    <Stack gap={4} data-testid={`san-table-${cert.name}`}>
      <Title order={3} size="h4">
        {KIND_TITLES[cert.kind]}:{' '}
        <AnchorLink to="/clusters/$cluster/certificates/$name" params={{ cluster, name: cert.name }} search={{}} ff="monospace">
          {cert.name}.pem
        </AnchorLink>{' '}
        <Badge variant="light" size="sm">
          {cert.sans.length} SANs
        </Badge>
      </Title>
      <Table.ScrollContainer minWidth={480}>{cert.sans.length > INLINE_SANS ? <GroupedSans cert={cert} /> : <FlatSans cert={cert} />}</Table.ScrollContainer>
    </Stack>
  );
}

/** The kubelet certificates as one group: per reason, how many SANs across them all; a search finds one. */
function KubeletSans({ cluster, kubelets }: { cluster: string; kubelets: PlanTalksView['kubelets'] }) {
  return (
    <Stack gap={4} data-testid="san-group-kubelet">
      <Title order={3} size="h4">
        kubelet: {countOf(kubelets.names.length, 'certificate')}{' '}
        <Badge variant="light" size="sm">
          {kubelets.sans} SANs
        </Badge>
      </Title>
      <Text size="sm" c="dimmed">
        Each kubelet certificate names its own node. Search a node to open its certificate and every SAN with its reason.
      </Text>
      <Table.ScrollContainer minWidth={480}>
        <SanGrid
          columns={[{ label: 'Why' }, { label: 'Type', w: 90 }, { label: 'SANs', w: 110 }, { label: 'Certificates', w: 160 }]}
          rowTestId="san-group"
          rows={kubelets.sanGroups.map((g) => ({ key: g.reason, count: g.sans, cells: [g.reason, g.type.toUpperCase(), g.sans, `${g.certificates} of ${kubelets.names.length}`] }))}
        />
      </Table.ScrollContainer>
      <NameGroup names={kubelets.names} noun="kubelet certificate" render={(name) => <CertLink cluster={cluster} name={name} />} />
    </Stack>
  );
}

export function SanTables({ cluster, plan }: { cluster: string; plan: Pick<PlanTalksView, 'certificates' | 'kubelets'> }) {
  const { certificates, kubelets } = plan;
  const groupKubelets = kubelets.names.length > INLINE_NAMES;
  return (
    <Stack gap="lg">
      {SERVER_KINDS.map((kind) =>
        kind === 'kubelet' && groupKubelets ? (
          <KubeletSans key={kind} cluster={cluster} kubelets={kubelets} />
        ) : (
          certificates.filter((c) => c.kind === kind).map((c) => <SanTable key={c.name} cluster={cluster} cert={c} />)
        ),
      )}
    </Stack>
  );
}
