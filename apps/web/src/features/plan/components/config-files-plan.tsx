/** The plan's generated files: each kubeconfig with its user, server and why, and the encryption config. */
import { Stack, Table, Text } from '@mantine/core';
import type { Plan } from '@kpki/shared';

export function ConfigFilesPlan({ plan }: { plan: Plan }) {
  if (plan.kubeconfigs.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="plan-no-config-files">
        No kubeconfigs and no encryption config: this cluster's settings turn the generated files off (certificates only).
      </Text>
    );
  }
  return (
    <Stack gap="xs" data-testid="plan-config-files">
      <Table.ScrollContainer minWidth={820}>
        <Table striped verticalSpacing="xs" data-testid="plan-kubeconfigs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Kubeconfig and why</Table.Th>
              <Table.Th>User</Table.Th>
              <Table.Th>Server and why</Table.Th>
              <Table.Th>Sent to</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {plan.kubeconfigs.map((k) => (
              <Table.Tr key={k.name} data-testid={`plan-kubeconfig-${k.name}`}>
                <Table.Td maw={320} style={{ verticalAlign: 'top' }}>
                  <Text fw={600} ff="monospace" size="sm">
                    {k.file}
                  </Text>
                  <Text size="xs">{k.usedBy}</Text>
                  <Text size="xs" c="dimmed">
                    {k.reason}
                  </Text>
                </Table.Td>
                <Table.Td style={{ verticalAlign: 'top' }}>
                  <Text size="xs" ff="monospace">
                    {k.user}
                  </Text>
                  <Text size="xs" c="dimmed">
                    embeds {k.embeds.map((e) => `${e}.pem`).join(' + ')}
                  </Text>
                </Table.Td>
                <Table.Td maw={320} style={{ verticalAlign: 'top' }}>
                  <Text size="xs" ff="monospace">
                    {k.server}
                  </Text>
                  <Text size="xs" c="dimmed" data-testid="plan-server-reason">
                    {k.serverReason}
                  </Text>
                </Table.Td>
                <Table.Td style={{ verticalAlign: 'top' }}>
                  <Text size="sm" c={k.recipients.length ? undefined : 'dimmed'}>
                    {k.recipients.length ? k.recipients.join(', ') : 'download only'}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {plan.encryptionConfig && (
        <Text size="sm" data-testid="plan-encryption-config">
          <Text span ff="monospace" fw={600}>
            {plan.encryptionConfig.file}
          </Text>{' '}
          to {plan.encryptionConfig.recipients.join(', ')}: {plan.encryptionConfig.reason}.
        </Text>
      )}
    </Stack>
  );
}
