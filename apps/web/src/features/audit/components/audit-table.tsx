/**
 * The audit entries: time (UTC + relative), actor (and the API token, if one was used), what was
 * done in words with the CA key flag and the nodes, the raw action and object, address, result
 * coloured. Words never break inside: long tokens wrap only where they must.
 */
import { Badge, Group, Table, Text } from '@mantine/core';
import { auditCaKey, auditNodes, auditSentence } from '@kpki/shared';
import { DateTime } from '../../../components/date-time.tsx';
import type { AuditEntry } from '../api/get-audit.ts';
import { auditOutcome, OUTCOME_COLORS } from './audit-result.ts';

const WRAP = { wordBreak: 'normal', overflowWrap: 'break-word' } as const;

export function AuditTable({ entries }: { entries: AuditEntry[] }) {
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped highlightOnHover verticalSpacing={6} data-testid="audit-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Time</Table.Th>
            <Table.Th>Actor</Table.Th>
            <Table.Th>What</Table.Th>
            <Table.Th>Action and object</Table.Th>
            <Table.Th>Address</Table.Th>
            <Table.Th>Result</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((e) => {
            const outcome = auditOutcome(e.result);
            const caKey = auditCaKey(e);
            const nodes = auditNodes(e);
            return (
              <Table.Tr
                key={e.id}
                data-testid={`audit-row-${e.id}`}
                data-action={e.action}
                data-actor={e.actor}
                data-outcome={outcome}
                data-ca-key={caKey}
                data-nodes={nodes.join(' ')}
              >
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <DateTime value={e.at} size="xs" />
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Text size="sm" fw={600}>
                    {e.actor}
                  </Text>
                  {e.token && (
                    <Text size="xs" c="dimmed" data-testid="audit-token" title={`API token ${e.token.id}`}>
                      token {e.token.name}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td style={{ minWidth: 220 }}>
                  <Text size="sm" style={WRAP} data-testid="audit-what">
                    {auditSentence(e)}
                  </Text>
                  {caKey && (
                    <Group gap={4} mt={2}>
                      <Badge color="orange" variant="light" size="sm" data-testid="audit-ca-key">
                        CA key included
                      </Badge>
                    </Group>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="xs" ff="monospace" style={WRAP}>
                    {e.action}
                  </Text>
                  <Text size="xs" ff="monospace" c="dimmed" style={WRAP}>
                    {e.object}
                  </Text>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Text size="xs" ff="monospace">
                    {e.address}
                  </Text>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
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
