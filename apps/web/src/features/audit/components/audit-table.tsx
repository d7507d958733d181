/** The audit entries: time (UTC + relative), actor (and the API token, if one was used), action, object, address, result coloured. */
import { Badge, Code, Table, Text } from '@mantine/core';
import { DateTime } from '../../../components/date-time.tsx';
import type { AuditEntry } from '../api/get-audit.ts';
import { auditOutcome, OUTCOME_COLORS } from './audit-result.ts';

export function AuditTable({ entries }: { entries: AuditEntry[] }) {
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped highlightOnHover verticalSpacing={6} data-testid="audit-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Time</Table.Th>
            <Table.Th>Actor</Table.Th>
            <Table.Th>Action</Table.Th>
            <Table.Th>Object</Table.Th>
            <Table.Th>Address</Table.Th>
            <Table.Th>Result</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((e) => {
            const outcome = auditOutcome(e.result);
            return (
              <Table.Tr key={e.id} data-testid={`audit-row-${e.id}`} data-action={e.action} data-actor={e.actor} data-outcome={outcome}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <DateTime value={e.at} size="xs" />
                </Table.Td>
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {e.actor}
                  </Text>
                  {e.token && (
                    <Text size="xs" c="dimmed" data-testid="audit-token" title={`API token ${e.token.id}`}>
                      token {e.token.name}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Code>{e.action}</Code>
                </Table.Td>
                <Table.Td>
                  <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
                    {e.object}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="xs" ff="monospace">
                    {e.address}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge color={OUTCOME_COLORS[outcome]} variant="light" data-testid="audit-result">
                    {e.result}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
