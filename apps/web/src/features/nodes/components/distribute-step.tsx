/**
 * The fourth step of the guided flow: what each node will receive, "Distribute to all nodes"
 * (which starts the job, asking before the CA key goes), the live job with "Retry failed nodes".
 */
import { Button, Group, List, Stack, Text } from '@mantine/core';
import type { NodeRow } from '@kpki/shared';
import { JobButton } from '../../../components/job-button.tsx';
import { AnchorLink } from '../../../components/links.tsx';
import { ReadOnlyNote, usePermissions } from '../../../components/permissions.tsx';
import { LoadingState } from '../../../components/query-state.tsx';
import { useNodes } from '../api/get-nodes.ts';
import { useCaKeyHolders, useDistributeFlow } from './distribute-flow.tsx';
import { NodeJob } from './node-job.tsx';
import { StateBadge } from './node-state-badge.tsx';
import { fileCountLabel } from './node-state.ts';

/** True when every node that must hold files holds the current ones. */
export const allDistributed = (nodes: NodeRow[]) =>
  nodes.some((n) => n.expectedFiles > 0) && nodes.every((n) => n.expectedFiles === 0 || n.status.state === 'in-sync');

interface DistributeStepProps {
  cluster: string;
  /** the distribution being followed (kept in the URL) */
  jobId?: string;
  onJobChange: (jobId: string) => void;
  /** the followed job is over and every node holds its files: leave the step */
  onDone: () => void;
}

export function DistributeStep({ cluster, jobId, onJobChange, onDone }: DistributeStepProps) {
  const { canOperate, canDownloadCaKey } = usePermissions();
  const nodes = useNodes(cluster);
  const flow = useDistributeFlow(cluster, onJobChange);
  const caKeyHolders = useCaKeyHolders(cluster);
  if (!nodes.data) return <LoadingState label="Loading nodes…" />;
  const holders = caKeyHolders();
  const unconfigured = nodes.data.filter((n) => n.expectedFiles > 0 && n.status.state === 'not-configured');
  return (
    <Stack gap="sm">
      <List size="sm" spacing={4} data-testid="distribute-targets">
        {nodes.data.map((n) => (
          <List.Item key={n.name}>
            <Group gap="xs" wrap="wrap">
              <AnchorLink to="/clusters/$cluster/nodes/$node" params={{ cluster, node: n.name }} search={{}} size="sm" fw={600}>
                {n.name}
              </AnchorLink>
              <Text size="sm">{n.expectedFiles > 0 ? fileCountLabel(n) : 'nothing to hold'}</Text>
              {n.expectedFiles > 0 && <StateBadge state={n.status.state} />}
              {holders.includes(n.name) && <Text size="xs">(with ca-key.pem)</Text>}
            </Group>
          </List.Item>
        ))}
      </List>
      {unconfigured.length > 0 && (
        <Text size="sm" data-testid="distribute-unconfigured">
          {unconfigured.map((n) => n.name).join(', ')} {unconfigured.length === 1 ? 'has' : 'have'} no SSH target yet: set the host and pin its key on the node's page,
          or the distribution fails there.
        </Text>
      )}
      {canOperate ? (
        <Group gap="sm" wrap="wrap">
          <JobButton pending={flow.pending} onClick={() => flow.start(undefined, canDownloadCaKey)} data-testid="distribute-step-start">
            Distribute to all nodes
          </JobButton>
          {!canDownloadCaKey && holders.length > 0 && (
            <Text size="sm" data-testid="distribute-ca-key-note">
              ca-key.pem is left out ({holders.join(', ')}): only an admin who re-enters the password sends the CA key.
            </Text>
          )}
        </Group>
      ) : (
        <ReadOnlyNote what="distribute (operators and admins do)" size="sm" />
      )}
      {jobId && <NodeJob cluster={cluster} jobId={jobId} onJobChange={onJobChange} logHeight={240} />}
      {jobId && allDistributed(nodes.data) && (
        <Group gap="sm" data-testid="distribute-done">
          <Text size="sm" fw={600}>
            Every node holds its current files.
          </Text>
          <Button variant="light" onClick={onDone} data-testid="finish-flow">
            Finish
          </Button>
        </Group>
      )}
      {flow.dialogs}
    </Stack>
  );
}
