/**
 * CA rotation (issue 13): where the rotation stands ("CA rotation: prepared"), both CAs with their
 * fingerprints and expiry (the CA's own thresholds: warning 180 days, critical 30), which nodes
 * are in step with the phase, the restart order with each command and what to check, and the
 * buttons for the phases possible now. Writing the phase's files to the nodes follows the CA key
 * rule: an admin enters the password (ca-key.pem and admin.kubeconfig go too); an operator's
 * distribution leaves them out, and the nodes then say so.
 */
import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Card, Checkbox, Code, Group, List, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { CA_EXPIRY_THRESHOLDS, expiryOf, type CaRotationAction, type CaRotationCa, type CaRotationStatus } from '@kpki/shared';
import { describeError } from '../../../components/error-alert.tsx';
import { ExpiryStateBadge } from '../../../components/expiry-state-badge.tsx';
import { CopyButtonFor } from '../../../components/copy-field.tsx';
import { JobProgress } from '../../../components/job-progress.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { ReadOnlyNote, usePermissions } from '../../../components/permissions.tsx';
import { QueryState } from '../../../components/query-state.tsx';
import { useElevation } from '../../../components/use-elevation.tsx';
import { crossSignedUrl, useCaRotation, useStartCaRotation } from '../api/ca-rotation.ts';
import { phaseLabel } from '../api/ca-rotation-summary.ts';

interface CaRotationPageProps {
  cluster: string;
  jobId?: string;
  onJobChange: (jobId: string | undefined) => void;
}

const ACTIONS: Record<CaRotationAction, { label: string; what: string }> = {
  prepare: { label: 'Prepare: a new CA, trust both', what: 'a new CA; ca.pem and every kubeconfig trust the old and the new CA; the old CA still signs' },
  switch: { label: 'Switch to the new CA', what: 'every certificate re-issued by the new CA (the service-account key kept); the new CA signs; trust stays both' },
  finalize: { label: 'Finalize: trust the new CA only', what: 'ca.pem and every kubeconfig trust the new CA alone; the old CA is retired' },
  abort: { label: 'Abort', what: 'back one phase toward the old CA alone' },
};

function CaRow({ id, role, ca }: { id: 'old' | 'new'; role: string; ca: CaRotationCa }) {
  const { state } = expiryOf(ca.notAfter, new Date(), CA_EXPIRY_THRESHOLDS);
  return (
    <Table.Tr data-testid={`rotation-ca-${id}`} data-signing={String(ca.signing)}>
      <Table.Td>
        <Text size="sm" fw={600}>{role}</Text>
        {ca.signing && <Badge size="sm" variant="light" color="blue">signs</Badge>}
      </Table.Td>
      <Table.Td><Text size="sm" ff="monospace" data-testid={`rotation-ca-${id}-serial`}>{ca.serial}</Text></Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap">
          <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }} data-testid={`rotation-ca-${id}-sha256`}>{ca.sha256}</Text>
          <CopyButtonFor value={ca.sha256} label={`Copy the ${id} CA fingerprint`} />
        </Group>
      </Table.Td>
      <Table.Td><ExpiryStateBadge notAfter={ca.notAfter} state={state} testId={`rotation-ca-${id}-expiry`} /></Table.Td>
    </Table.Tr>
  );
}

function PhaseButtons({ cluster, status, onJob }: { cluster: string; status: CaRotationStatus; onJob: (id: string) => void }) {
  const { canDownloadCaKey } = usePermissions();
  const start = useStartCaRotation(cluster);
  const elevation = useElevation();
  const [distribute, setDistribute] = useState(true);
  const run = async (phase: CaRotationAction) => {
    try {
      // the phase's files include admin.kubeconfig (and ca-key.pem at switch): the CA key rule
      const answer = await elevation.caKeyAction('A CA rotation phase that writes ca-key.pem and admin.kubeconfig', distribute, () => start.mutateAsync({ phase, distribute }));
      if (answer) onJob(answer.jobId);
    } catch (error) {
      const { code, message } = describeError(error);
      notifications.show({ color: 'red', title: `Could not start ${phase}`, message: `${code}: ${message}` });
    }
  };
  const forward = status.next.find((a) => a !== 'abort');
  return (
    <Stack gap="xs" data-testid="rotation-actions">
      <Group gap="sm">
        {status.next.map((a) => (
          <Button
            key={a}
            variant={a === 'abort' ? 'default' : 'filled'}
            color={a === 'abort' ? 'red' : undefined}
            loading={start.isPending}
            disabled={a === forward && a !== 'prepare' && status.blocked !== null}
            onClick={() => void run(a)}
            data-testid={`rotation-${a}`}
            title={ACTIONS[a].what}
          >
            {ACTIONS[a].label}
          </Button>
        ))}
      </Group>
      <Checkbox
        checked={distribute}
        onChange={(e) => setDistribute(e.currentTarget.checked)}
        label={`Write the files the phase changes to every node${canDownloadCaKey ? ' (asks for your password: ca-key.pem and admin.kubeconfig go too)' : ' (ca-key.pem and admin.kubeconfig stay out: an admin sends them)'}`}
        data-testid="rotation-distribute"
      />
      {elevation.dialog}
    </Stack>
  );
}

export function CaRotationPage({ cluster, jobId, onJobChange }: CaRotationPageProps) {
  const { canOperate } = usePermissions();
  const query = useCaRotation(cluster);
  return (
    <>
      <PageHeader
        title="CA rotation"
        description="Replace the CA without downtime: trust both CAs, switch every certificate to the new one, then trust the new one only. Restart the components in order after each phase; the next phase waits until every node holds the current one's files."
      />
      <Stack gap="md">
        {jobId && (
          <Card withBorder data-testid="running-job">
            <JobProgress jobId={jobId} />
          </Card>
        )}
        <QueryState query={query} label="the CA rotation">
          {(s) => (
            <>
              <Alert color={s.phase === 'none' ? 'gray' : 'blue'} data-testid="rotation-phase" data-phase={s.phase} title={phaseLabel(s.phase)}>
                <Text size="sm">
                  {s.phase === 'none' && (s.oldCa ? 'The cluster trusts and signs with one CA.' : 'The cluster has no CA yet: there is nothing to rotate.')}
                  {s.phase === 'prepared' && 'Every node must trust both CAs (ca.pem and the kubeconfigs hold both; the old one still signs). Restart in order, then switch.'}
                  {s.phase === 'switched' && 'Every certificate is issued by the new CA, which signs now; trust is still both. Restart in order, then finalize.'}
                </Text>
                {s.crossSigned && (
                  <Anchor href={crossSignedUrl(cluster)} size="sm" data-testid="cross-signed-download">
                    Download the new CA cross-signed by the old one ({cluster}-ca-cross-signed.pem), for clients kpki does not manage
                  </Anchor>
                )}
              </Alert>
              {canOperate ? (s.next.length > 0 && <PhaseButtons cluster={cluster} status={s} onJob={onJobChange} />) : <ReadOnlyNote what="start a CA rotation phase" />}
              {s.blocked && (
                <Alert color="orange" title="Not every node is in step" data-testid="rotation-blocked">
                  <Text size="sm">{s.blocked}</Text>
                </Alert>
              )}
              {s.oldCa && (
                <Card withBorder>
                  <Title order={2} size="h4" mb="xs">CAs</Title>
                  <Table data-testid="rotation-cas">
                    <Table.Thead>
                      <Table.Tr><Table.Th>CA</Table.Th><Table.Th>serial</Table.Th><Table.Th>SHA-256 fingerprint</Table.Th><Table.Th>expires (warning 180 days, critical 30)</Table.Th></Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      <CaRow id="old" role={s.newCa ? 'Old CA' : 'CA'} ca={s.oldCa} />
                      {s.newCa && <CaRow id="new" role="New CA" ca={s.newCa} />}
                    </Table.Tbody>
                  </Table>
                </Card>
              )}
              {s.nodes.length > 0 && (
                <Card withBorder>
                  <Title order={2} size="h4" mb="xs">Nodes</Title>
                  <Table data-testid="rotation-nodes">
                    <Table.Thead>
                      <Table.Tr><Table.Th>node</Table.Th><Table.Th>in step</Table.Th><Table.Th>what is not</Table.Th></Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {s.nodes.map((n) => (
                        <Table.Tr key={n.node} data-testid={`rotation-node-${n.node}`} data-in-step={String(n.inStep)}>
                          <Table.Td><Text size="sm">{n.node}</Text></Table.Td>
                          <Table.Td><Badge color={n.inStep ? 'green' : 'orange'} variant="light">{n.inStep ? 'in step' : n.state}</Badge></Table.Td>
                          <Table.Td><Text size="sm">{n.notInStep.join(', ') || '—'}</Text></Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Card>
              )}
              <Card withBorder data-testid="restart-order">
                <Title order={2} size="h4" mb="xs">Restart order after each phase</Title>
                <List type="ordered" spacing="sm">
                  {s.restartOrder.map((step) => (
                    <List.Item key={step.step} data-testid={`restart-step-${step.step}`}>
                      <Text size="sm" fw={600}>{step.component}{step.oneAtATime ? ', one node at a time' : ''}: {step.nodes.join(', ')}</Text>
                      <Code block>{step.command}</Code>
                      <Text size="sm">Then check: {step.check}</Text>
                    </List.Item>
                  ))}
                </List>
              </Card>
              {s.history.length > 0 && (
                <Card withBorder>
                  <Title order={2} size="h4" mb="xs">Rotations</Title>
                  <List size="sm" data-testid="rotation-history">
                    {s.history.map((h) => (
                      <List.Item key={h.id}>{h.status} ({h.phase}): CA {h.oldCaSerial.slice(0, 8)}.. to {h.newCaSerial.slice(0, 8)}.., started {h.startedAt}{h.endedAt ? `, ended ${h.endedAt}` : ''}</List.Item>
                    ))}
                  </List>
                </Card>
              )}
            </>
          )}
        </QueryState>
      </Stack>
    </>
  );
}
