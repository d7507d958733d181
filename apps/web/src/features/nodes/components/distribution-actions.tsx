/**
 * "Distribute to all", "Distribute with ca-key.pem" (admins), "Verify all" and the offer to verify
 * when states are old: nodes page, node page, overview. A distribution writes ca-key.pem (and
 * admin.kubeconfig, a cluster-admin credential) only when an admin who re-entered the password in
 * the last 5 minutes starts it; whenever it would, the flow (distribute-flow.tsx) asks first. Job
 * buttons keep focus (components/job-button.tsx).
 */
import { Group, Paper, Text } from '@mantine/core';
import type { NodeRow } from '@kpki/shared';
import { JobButton } from '../../../components/job-button.tsx';
import { usePermissions } from '../../../components/permissions.tsx';
import { useVerifyAll } from '../api/verify-all.ts';
import { failNotice, useDistributeFlow } from './distribute-flow.tsx';
import { relativeTime } from '../../../lib/time.ts';
import { nodesDue } from './node-state.ts';

export function DistributeAllButton({ cluster, onJob, variant = 'filled' }: { cluster: string; onJob: (jobId: string) => void; variant?: 'filled' | 'light' }) {
  const flow = useDistributeFlow(cluster, onJob);
  return (
    <>
      <JobButton variant={variant} pending={flow.pending} onClick={() => flow.start(undefined, false)} data-testid="distribute-all">
        Distribute to all
      </JobButton>
      {flow.dialogs}
    </>
  );
}

/** For admins: asks before sending the CA key and for the password, then distributes with ca-key.pem. */
export function DistributeWithCaKeyButton({ cluster, nodes, onJob, variant = 'light' }: { cluster: string; nodes?: string[]; onJob: (jobId: string) => void; variant?: 'filled' | 'light' }) {
  const { canDownloadCaKey } = usePermissions();
  const flow = useDistributeFlow(cluster, onJob);
  if (!canDownloadCaKey) return null;
  return (
    <>
      <JobButton variant={variant} color="orange" pending={flow.pending} onClick={() => flow.start(nodes, true)} data-testid="distribute-with-ca-key"
        title="Writes ca-key.pem and admin.kubeconfig (the CA key rule) to the control-plane nodes too (asks for your password)">
        {nodes ? 'Redistribute with ca-key.pem' : 'Distribute with ca-key.pem'}
      </JobButton>
      {flow.dialogs}
    </>
  );
}

/** Starts "verify all": one job that looks at every node it can reach (writes nothing). */
export function VerifyAllButton({ cluster, onJob, variant = 'light' }: { cluster: string; onJob: (jobId: string) => void; variant?: 'filled' | 'light' }) {
  const verify = useVerifyAll(cluster);
  return (
    <JobButton
      variant={variant}
      pending={verify.isPending}
      onClick={() => verify.mutate(undefined, { onSuccess: ({ jobId }) => onJob(jobId), onError: (e) => failNotice('Could not start the verification', e) })}
      data-testid="verify-all"
    >
      Verify all
    </JobButton>
  );
}

/**
 * Shown when the last look at some node is older than the server's setting (or there was none):
 * the states shown are what kpki last saw, so it offers to look again.
 */
export function VerifyOffer({ cluster, nodes, onJob, compact = false }: { cluster: string; nodes: NodeRow[]; onJob: (jobId: string) => void; compact?: boolean }) {
  const { canOperate } = usePermissions();
  const due = nodesDue(nodes);
  if (due.length === 0) return null;
  const looked = due.map((n) => n.status.checkedAt).filter((t): t is string => !!t).sort();
  const never = due.length - looked.length;
  return (
    <Paper withBorder={!compact} p={compact ? 0 : 'sm'} data-testid="verify-offer">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Text size="sm">
          {looked.length > 0 && (
            <>
              The last look at {looked.length === 1 ? '1 node' : `${looked.length} nodes`} is old (oldest: checked {relativeTime(looked[0])}).{' '}
            </>
          )}
          {never > 0 && <>{never === 1 ? '1 node was' : `${never} nodes were`} never checked. </>}
          States show what kpki last saw; files may have changed on the nodes since.
        </Text>
        {canOperate && <VerifyAllButton cluster={cluster} onJob={onJob} variant="filled" />}
      </Group>
    </Paper>
  );
}
