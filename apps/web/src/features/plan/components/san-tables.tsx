/**
 * SAN tables of the API server, etcd and each kubelet: every SAN with its reason. At scale: a
 * table of more than INLINE_SANS SANs is grouped by reason with counts, and more than
 * INLINE_NAMES kubelet certificates are one group (how many SANs each reason gives across them,
 * and a search that opens one node's certificate).
 */
import { Badge, Stack, Table, Text, Title } from '@mantine/core';
import type { CertificateKind, PlannedCertificate } from '@kpki/shared';
import { AnchorLink } from '../../../components/links.tsx';
import { countOf, groupSans, INLINE_NAMES, INLINE_SANS, MAX_SHOWN_NAMES, sanReasonGroup } from './matrix-model.ts';
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

function FlatSans({ cert }: { cert: PlannedCertificate }) {
  return (
    <Table striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={70}>Type</Table.Th>
          <Table.Th>SAN</Table.Th>
          <Table.Th>Why</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {cert.sans.map((s) => (
          <Table.Tr key={`${s.type}:${s.value}`} data-testid="san-row">
            <Table.Td>{s.type.toUpperCase()}</Table.Td>
            <Table.Td ff="monospace">{s.value}</Table.Td>
            <Table.Td>{s.reason}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** One row per reason: how many SANs, and the first MAX_SHOWN_NAMES of them. */
function GroupedSans({ cert }: { cert: PlannedCertificate }) {
  return (
    <Table striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Why</Table.Th>
          <Table.Th w={90}>Type</Table.Th>
          <Table.Th w={70}>SANs</Table.Th>
          <Table.Th>Values</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {groupSans(cert.sans).map((g) => (
          <Table.Tr key={g.reason} data-testid="san-group" data-count={g.values.length}>
            <Table.Td>{g.reason}</Table.Td>
            <Table.Td>{g.type.toUpperCase()}</Table.Td>
            <Table.Td>{g.values.length}</Table.Td>
            <Table.Td ff="monospace" fz="sm">
              {g.values.slice(0, MAX_SHOWN_NAMES).join(', ')}
              {g.values.length > MAX_SHOWN_NAMES && (
                <Text span size="xs" c="dimmed" ff="body">
                  {' '}and {g.values.length - MAX_SHOWN_NAMES} more (each on the certificate's page)
                </Text>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
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
function KubeletSans({ cluster, certs }: { cluster: string; certs: PlannedCertificate[] }) {
  const reasons = new Map<string, { type: string; count: number; certs: number }>();
  for (const c of certs) {
    const seen = new Set<string>();
    for (const s of c.sans) {
      const reason = sanReasonGroup(s.reason);
      const r = reasons.get(reason) ?? { type: s.type, count: 0, certs: 0 };
      r.count++;
      if (r.type !== s.type) r.type = 'ip and dns';
      if (!seen.has(reason)) {
        seen.add(reason);
        r.certs++;
      }
      reasons.set(reason, r);
    }
  }
  return (
    <Stack gap={4} data-testid="san-group-kubelet">
      <Title order={3} size="h4">
        kubelet: {countOf(certs.length, 'certificate')}{' '}
        <Badge variant="light" size="sm">
          {certs.reduce((n, c) => n + c.sans.length, 0)} SANs
        </Badge>
      </Title>
      <Text size="sm" c="dimmed">
        Each kubelet certificate names its own node. Search a node to open its certificate and every SAN with its reason.
      </Text>
      <Table.ScrollContainer minWidth={480}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Why</Table.Th>
              <Table.Th w={90}>Type</Table.Th>
              <Table.Th w={110}>SANs</Table.Th>
              <Table.Th w={160}>Certificates</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {[...reasons].map(([reason, r]) => (
              <Table.Tr key={reason} data-testid="san-group" data-count={r.count}>
                <Table.Td>{reason}</Table.Td>
                <Table.Td>{r.type.toUpperCase()}</Table.Td>
                <Table.Td>{r.count}</Table.Td>
                <Table.Td>
                  {r.certs} of {certs.length}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <NameGroup names={certs.map((c) => c.name)} noun="kubelet certificate" render={(name) => <CertLink cluster={cluster} name={name} />} />
    </Stack>
  );
}

export function SanTables({ cluster, certificates }: { cluster: string; certificates: PlannedCertificate[] }) {
  const kubelets = certificates.filter((c) => c.kind === 'kubelet');
  const groupKubelets = kubelets.length > INLINE_NAMES;
  return (
    <Stack gap="lg">
      {SERVER_KINDS.map((kind) =>
        kind === 'kubelet' && groupKubelets ? (
          <KubeletSans key={kind} cluster={cluster} certs={kubelets} />
        ) : (
          certificates.filter((c) => c.kind === kind).map((c) => <SanTable key={c.name} cluster={cluster} cert={c} />)
        ),
      )}
    </Stack>
  );
}
