/** SANs grouped by type (IP addresses, DNS names), each with the reason it is there. */
import { SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { SanEntry } from '@kpki/shared';

function Group({ title, sans, testId }: { title: string; sans: SanEntry[]; testId: string }) {
  return (
    <Stack gap={4} data-testid={testId}>
      <Title order={3} size="h5">
        {title} ({sans.length})
      </Title>
      {sans.length === 0 ? (
        <Text size="sm" c="dimmed">
          none
        </Text>
      ) : (
        <Table verticalSpacing={4}>
          <Table.Tbody>
            {sans.map((s) => (
              <Table.Tr key={s.value} data-testid="san-row">
                <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                  {s.value}
                </Table.Td>
                <Table.Td>
                  <Text size="xs" c="dimmed">
                    {s.reason}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

export function SanGroups({ sans }: { sans: SanEntry[] }) {
  if (sans.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="sans">
        No Subject Alternative Names: this certificate is a client identity (or the CA), not a server name.
      </Text>
    );
  }
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} data-testid="sans" data-count={sans.length}>
      <Group title="IP addresses" sans={sans.filter((s) => s.type === 'ip')} testId="sans-ip" />
      <Group title="DNS names" sans={sans.filter((s) => s.type === 'dns')} testId="sans-dns" />
    </SimpleGrid>
  );
}
