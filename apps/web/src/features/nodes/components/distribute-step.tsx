/**
 * The fourth step of the guided flow: what each node will receive, "Distribute to all nodes"
 * (which starts the job, asking before the CA key goes), the live job with "Retry failed nodes".
 * Up to LIST_UP_TO nodes, each node is a line; past that (a fleet), the nodes that receive files
 * are counted by state, each count a link to the nodes page filtered to it, so the step never
 * prints hundreds of names.
 */
import { Button, Group, List, Stack, Text } from '@mantine/core';
import type { NodeRow } from '@kpki/shared';
import { JobButton } from '../../../components/job-button.tsx';
import { AnchorLink } from '../../../components/links.tsx';
import { ReadOnlyNote, usePermissions } from '../../../components/permissions.tsx';
import { LoadingState } from '../../../components/query-state.tsx';
import { someNames } from '../../../lib/names.ts';
import { useNodes } from '../api/get-nodes.ts';
import { useCaKeyHolders, useDistributeFlow } from './distribute-flow.tsx';
import { NodeJob } from './node-job.tsx';
import { StateCountLinks } from './node-counts.tsx';
import { StateBadge } from './node-state-badge.tsx';
import { fileCountLabel } from './node-state.ts';

/** Past this many nodes the step counts them instead of listing them. */
export const LIST_UP_TO = 10;

/** The nodes that receive files (the plan gives them at least one: expectedFiles), in the list's order. */
export const receivingNodeRows = (nodes: NodeRow[]) => nodes.filter((n) => n.expectedFiles > 0);

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
      {nodes.data.length > LIST_UP_TO ? (
        <TargetCounts cluster={cluster} nodes={nodes.data} holders={holders} />
      ) : (
        <List size="sm" spacing={4} data-testid="distribute-targets" data-count={nodes.data.length}>
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
      )}
      {unconfigured.length > 0 && (
        <Text size="sm" data-testid="distribute-unconfigured" data-count={unconfigured.length}>
          {someNames(unconfigured.map((n) => n.name))} {unconfigured.length === 1 ? 'has' : 'have'} no SSH target yet:{' '}
          {unconfigured.length > 1 ? (
            <>
              set them up together on the{' '}
              <AnchorLink to="/clusters/$cluster/nodes" params={{ cluster }} search={{ state: 'not-configured' }} size="sm">
                nodes page
              </AnchorLink>{' '}
              (SSH set-up),
            </>
          ) : (
            "set the host and pin its key on the node's page,"
          )}{' '}
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

/** A fleet's targets: how many nodes receive files, by state, and which receive ca-key.pem. */
function TargetCounts({ cluster, nodes, holders }: { cluster: string; nodes: NodeRow[]; holders: string[] }) {
  const receiving = receivingNodeRows(nodes);
  const idle = nodes.length - receiving.length;
  return (
    <Stack gap={6} data-testid="distribute-targets" data-count={nodes.length}>
      <Text size="sm">
        {receiving.length} of {nodes.length} nodes receive their files{idle > 0 ? ` (${idle} hold nothing)` : ''}; where they stand:
      </Text>
      <StateCountLinks cluster={cluster} nodes={receiving} testId="distribute-count" />
      {holders.length > 0 && (
        <Text size="sm" data-testid="distribute-ca-key-holders">
          With ca-key.pem: {someNames(holders)}
        </Text>
      )}
      <AnchorLink to="/clusters/$cluster/nodes" params={{ cluster }} search={{}} size="sm">
        Each node on the nodes page
      </AnchorLink>
    </Stack>
  );
}
