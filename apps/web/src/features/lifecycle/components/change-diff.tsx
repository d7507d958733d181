/** The reviewable diff of a change set: one block per certificate that changes, then what each node receives. */
import { Badge, Card, Code, Group, Stack, Table, Text } from '@mantine/core';
import type { CertificateChange, ChangeSet, FieldDifference } from '@kpki/shared';

const CHANGE_COLORS = { new: 'green', outdated: 'yellow', retired: 'red', unchanged: 'gray' } as const;
const MARK = { added: '+', removed: '-', changed: '~' } as const;
const LINE_COLORS = { added: 'green', removed: 'red', changed: 'orange' } as const;

function DiffLine({ d }: { d: FieldDifference }) {
  return (
    <Text size="sm" ff="monospace" c={LINE_COLORS[d.change]} data-testid="diff-line" data-change={d.change} data-field={d.field}>
      {MARK[d.change]} {d.reason}
    </Text>
  );
}

function CertificateBlock({ c }: { c: CertificateChange }) {
  return (
    <Card withBorder padding="sm" data-testid={`change-row-${c.name}`} data-change={c.change}>
      <Group gap="xs" mb={4}>
        <Text fw={600}>{c.name}</Text>
        <Badge color={CHANGE_COLORS[c.change]} variant="light" data-testid="change-kind">
          {c.change}
        </Badge>
        {c.serial && (
          <Text size="xs" c="dimmed" ff="monospace">
            serial {c.serial.slice(0, 12)}…
          </Text>
        )}
        {c.change === 'outdated' && !c.newKey && (
          <Badge size="sm" variant="outline" color="gray" title="re-issued with its current key">
            keeps its key
          </Badge>
        )}
      </Group>
      {c.differences.length ? (
        <Stack gap={2}>
          {c.differences.map((d, i) => (
            <DiffLine key={i} d={d} />
          ))}
        </Stack>
      ) : (
        <Text size="sm" c="dimmed">
          {c.reason}
        </Text>
      )}
    </Card>
  );
}

export function ChangeDiff({ changes }: { changes: ChangeSet }) {
  const changed = changes.certificates.filter((c) => c.change !== 'unchanged');
  const unchanged = changes.certificates.filter((c) => c.change === 'unchanged');
  return (
    <Stack gap="md">
      <Stack gap="xs" data-testid="change-certificates">
        {changed.map((c) => (
          <CertificateBlock key={c.name} c={c} />
        ))}
        <Text size="sm" c="dimmed" data-testid="unchanged-certificates">
          Unchanged ({unchanged.length}): {unchanged.map((c) => c.name).join(', ') || 'none'}
          {changes.ca.change === 'unchanged' ? '; the CA matches the plan' : ''}.
        </Text>
      </Stack>
      <Stack gap="xs">
        <Text fw={600}>Files a distribution writes</Text>
        {changes.nodes.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="node-writes-none">
            No node receives a file.
          </Text>
        ) : (
          <Table withTableBorder data-testid="node-writes">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Node</Table.Th>
                <Table.Th>Files</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {changes.nodes.map((n) => (
                <Table.Tr key={n.node} data-testid={`node-writes-${n.node}`} data-files={n.files.length}>
                  <Table.Td fw={600}>{n.node}</Table.Td>
                  <Table.Td>
                    <Group gap={6}>
                      {n.files.map((f) => (
                        <Code key={f.file} title={f.reason} data-testid="node-write">
                          {f.file}
                        </Code>
                      ))}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Stack>
  );
}
