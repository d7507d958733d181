/** The identity table: what Kubernetes makes of each certificate's CN and O. */
import { Table, Text } from '@mantine/core';
import type { PlannedCertificate } from '@kpki/shared';

export function IdentityTable({ certificates }: { certificates: PlannedCertificate[] }) {
  const rows = certificates.filter((c) => !c.isCa);
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped data-testid="identity-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Component</Table.Th>
            <Table.Th>CN</Table.Th>
            <Table.Th>O</Table.Th>
            <Table.Th>Kubernetes identity</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((c) => (
            <Table.Tr key={c.name} data-testid={`identity-row-${c.name}`}>
              <Table.Td>{c.usedBy}</Table.Td>
              <Table.Td ff="monospace">{c.cn}</Table.Td>
              <Table.Td ff="monospace">{c.o || '—'}</Table.Td>
              <Table.Td>
                {c.identity ?? (
                  <Text span size="sm" c="dimmed">
                    {c.usedFor}
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
