/**
 * Kubeconfigs as a table: file, user and group, the server it reaches (and why), the
 * certificates it embeds with their serials, and its download link for the roles allowed.
 */
import { Table, Text, Tooltip } from '@mantine/core';
import type { KubeconfigSummary } from '@kpki/shared';
import { KubeconfigDownload } from './kubeconfig-download.tsx';

interface KubeconfigsTableProps {
  cluster: string;
  kubeconfigs: KubeconfigSummary[];
  testId?: string;
}

export function KubeconfigsTable({ cluster, kubeconfigs, testId = 'kubeconfigs-table' }: KubeconfigsTableProps) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table verticalSpacing="xs" striped data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>File</Table.Th>
            <Table.Th>User (group)</Table.Th>
            <Table.Th>Server</Table.Th>
            <Table.Th>Embeds</Table.Th>
            <Table.Th>Download</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {kubeconfigs.map((k) => (
            <Table.Tr key={k.name} data-testid={`kubeconfig-row-${k.name}`}>
              <Table.Td>
                <Text ff="monospace" size="sm">
                  {k.file}
                </Text>
                <Text size="xs" c="dimmed">
                  {k.recipients.length ? k.usedBy : `${k.usedBy} (download only)`}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text ff="monospace" size="sm" data-testid="kubeconfig-user">
                  {k.user}
                </Text>
                <Text size="xs" c="dimmed">
                  {k.groups.join(', ')}
                </Text>
              </Table.Td>
              <Table.Td>
                <Tooltip label={k.serverReason} multiline w={300}>
                  <Text ff="monospace" size="sm" tabIndex={0} data-testid="kubeconfig-server">
                    {k.server}
                  </Text>
                </Tooltip>
              </Table.Td>
              <Table.Td>
                {k.embeds.map((e) => (
                  <Text key={e.name} size="xs" ff="monospace">
                    {e.name}.pem {e.serial ? `(serial ${e.serial.slice(0, 12)}…)` : '(not issued)'}
                  </Text>
                ))}
              </Table.Td>
              <Table.Td>
                <KubeconfigDownload cluster={cluster} kubeconfig={k}>
                  download
                </KubeconfigDownload>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
