/** SAN tables of the API server, etcd and each kubelet: every SAN with its reason. */
import { Badge, Stack, Table, Title } from '@mantine/core';
import type { CertificateKind, PlannedCertificate } from '@kpki/shared';
import { AnchorLink } from '../../../components/links.tsx';

const SERVER_KINDS: CertificateKind[] = ['kube-apiserver', 'etcd', 'kubelet'];
const KIND_TITLES: Partial<Record<CertificateKind, string>> = {
  'kube-apiserver': 'API server',
  etcd: 'etcd',
  kubelet: 'kubelet',
};

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
      <Table.ScrollContainer minWidth={480}>
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
      </Table.ScrollContainer>
    </Stack>
  );
}

export function SanTables({ cluster, certificates }: { cluster: string; certificates: PlannedCertificate[] }) {
  const servers = SERVER_KINDS.flatMap((kind) => certificates.filter((c) => c.kind === kind));
  return (
    <Stack gap="lg">
      {servers.map((c) => (
        <SanTable key={c.name} cluster={cluster} cert={c} />
      ))}
    </Stack>
  );
}
