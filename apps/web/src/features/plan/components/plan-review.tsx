/** The plan before issuing: every certificate with CN, O, SANs (with reasons) and recipients, then the generated files. */
import { Badge, Group, Table, Text, Title } from '@mantine/core';
import type { Plan } from '@kpki/shared';
import { QueryState } from '../../../components/query-state.tsx';
import { usePlan } from '../../../api/get-plan.ts';
import { SanList } from './san-list.tsx';
import { ConfigFilesPlan } from './config-files-plan.tsx';

export function PlanSummary({ plan }: { plan: Plan }) {
  const nodes = Object.entries(plan.files);
  const files = nodes.reduce((sum, [, f]) => sum + f.length, 0);
  return (
    <Text size="sm" data-testid="plan-summary">
      {plan.certificates.length} certificates ({plan.certificates.length * 2} files)
      {plan.kubeconfigs.length > 0 && `, ${plan.kubeconfigs.length} kubeconfigs${plan.encryptionConfig ? ' and the encryption config' : ''}`}; {files} files pushed
      to {nodes.filter(([, f]) => f.length > 0).length} nodes.
    </Text>
  );
}

export function PlanTable({ plan }: { plan: Plan }) {
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table striped verticalSpacing="xs" data-testid="plan-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Certificate and its use</Table.Th>
            <Table.Th>CN / O</Table.Th>
            <Table.Th>SANs and why</Table.Th>
            <Table.Th>Sent to</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {plan.certificates.map((c) => (
            <Table.Tr key={c.name} data-testid={`plan-row-${c.name}`}>
              <Table.Td maw={260} style={{ verticalAlign: 'top' }}>
                <Group gap={6}>
                  <Text fw={600} ff="monospace" size="sm">
                    {c.name}.pem
                  </Text>
                  {c.isCa && (
                    <Badge size="xs" color="violet">
                      CA
                    </Badge>
                  )}
                </Group>
                <Text size="xs">{c.usedBy}</Text>
                <Text size="xs" c="dimmed">
                  {c.usedFor}
                </Text>
              </Table.Td>
              <Table.Td style={{ verticalAlign: 'top' }}>
                <Text size="xs" ff="monospace" data-testid="plan-cn">
                  CN={c.cn}
                </Text>
                <Text size="xs" ff="monospace" data-testid="plan-o">
                  O={c.o || '—'}
                </Text>
              </Table.Td>
              <Table.Td style={{ verticalAlign: 'top' }}>
                <SanList sans={c.sans} />
              </Table.Td>
              <Table.Td style={{ verticalAlign: 'top' }}>
                {c.recipients.length > 0 ? (
                  <Text size="sm" data-testid="plan-recipients">
                    {c.recipients.join(', ')}
                  </Text>
                ) : (
                  <Text size="sm" c="dimmed">
                    download only
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

/** Loads the plan of a cluster and shows it for review. */
export function PlanReview({ cluster }: { cluster: string }) {
  const plan = usePlan(cluster);
  return (
    <QueryState query={plan} label="the plan" isEmpty={(p) => p.certificates.length === 0}>
      {(p) => (
        <div data-testid="plan-review">
          <PlanSummary plan={p} />
          <PlanTable plan={p} />
          <Title order={5} mt="md" mb="xs">
            Kubeconfigs and encryption config
          </Title>
          <ConfigFilesPlan plan={p} />
        </div>
      )}
    </QueryState>
  );
}
