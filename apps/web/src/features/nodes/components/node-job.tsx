/**
 * A job on the nodes pages and in the guided flow: its live view, and for a distribution that
 * failed on some nodes, "Retry failed nodes" (the same questions as any distribution).
 */
import { Group, Stack, Text } from '@mantine/core';
import { useJobStream } from '../../../api/job-events.ts';
import { JobButton } from '../../../components/job-button.tsx';
import { JobProgressView } from '../../../components/job-progress.tsx';
import { usePermissions } from '../../../components/permissions.tsx';
import { isTerminal } from '../../../lib/job-stream.ts';
import { useDistributeFlow } from './distribute-flow.tsx';

/** Nodes of a finished distribution whose outcome carries an error. */
export function failedNodes(job: { type: string; status: string; result: Record<string, unknown> | null } | undefined): string[] {
  if (!job || job.type !== 'distribution' || !isTerminal(job.status as never)) return [];
  const nodes = (job.result?.nodes ?? {}) as Record<string, { error?: unknown }>;
  return Object.entries(nodes).filter(([, o]) => o.error).map(([n]) => n);
}

export function NodeJob({ cluster, jobId, onJobChange, logHeight }: { cluster: string; jobId: string; onJobChange: (jobId: string) => void; logHeight?: number }) {
  const { canOperate } = usePermissions();
  const stream = useJobStream(jobId);
  const flow = useDistributeFlow(cluster, onJobChange);
  const failed = failedNodes(stream.job);
  const withCaKey = stream.job?.params.caKey === true;
  return (
    <Stack gap="sm">
      <JobProgressView stream={stream} logHeight={logHeight} />
      {canOperate && failed.length > 0 && (
        <Group gap="sm" wrap="wrap" data-testid="retry-failed">
          <Text size="sm">
            {failed.length === 1 ? `${failed[0]} failed` : `${failed.length} nodes failed (${failed.join(', ')})`}: once the cause is fixed, write them again.
          </Text>
          <JobButton variant="filled" pending={flow.pending} onClick={() => flow.start(failed, withCaKey)} data-testid="retry-failed-nodes">
            Retry failed nodes
          </JobButton>
        </Group>
      )}
      {flow.dialogs}
    </Stack>
  );
}
