/**
 * "Distribute to all", "Distribute with ca-key.pem" (admins), "Verify all" and the offer to verify
 * when states are old: nodes page, node page, overview. A distribution writes ca-key.pem (and
 * admin.kubeconfig, a cluster-admin credential) only when an admin who re-entered the password in
 * the last 5 minutes starts it; that button asks for the password first.
 */
import { Button, Group, Paper, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { NodeSummary } from '@kpki/shared';
import { describeError } from '../../../components/error-alert.tsx';
import { usePermissions } from '../../../components/permissions.tsx';
import { isCancelled, useElevation } from '../../../components/use-elevation.tsx';
import { useDistribute } from '../api/distribute-all.ts';
import { useVerifyAll } from '../api/verify-all.ts';
import { relativeTime } from '../../../lib/time.ts';
import { nodesDue } from './node-state.ts';

const fail = (title: string, error: unknown) => {
  const { code, message } = describeError(error);
  notifications.show({ color: 'red', title, message: `${code}: ${message}` });
};

export function DistributeAllButton({ cluster, onJob, variant = 'filled' }: { cluster: string; onJob: (jobId: string) => void; variant?: 'filled' | 'light' }) {
  const distribute = useDistribute(cluster);
  return (
    <Button
      variant={variant}
      loading={distribute.isPending}
      onClick={() => distribute.mutate(undefined, { onSuccess: ({ jobId }) => onJob(jobId), onError: (e) => fail('Could not start the distribution', e) })}
      data-testid="distribute-all"
    >
      Distribute to all
    </Button>
  );
}

/** For admins: asks for the password unless it was entered in the last minutes, then distributes with ca-key.pem. */
export function DistributeWithCaKeyButton({ cluster, nodes, onJob, variant = 'light' }: { cluster: string; nodes?: string[]; onJob: (jobId: string) => void; variant?: 'filled' | 'light' }) {
  const { canDownloadCaKey } = usePermissions();
  const distribute = useDistribute(cluster);
  const elevation = useElevation();
  if (!canDownloadCaKey) return null;
  const start = async () => {
    try {
      await elevation.ensure('A distribution that writes ca-key.pem');
      distribute.mutate(nodes, { onSuccess: ({ jobId }) => onJob(jobId), onError: (e) => fail('Could not start the distribution', e) });
    } catch (error) {
      if (!isCancelled(error)) fail('Could not start the distribution', error);
    }
  };
  return (
    <>
      <Button variant={variant} color="orange" loading={distribute.isPending} onClick={start} data-testid="distribute-with-ca-key"
        title="Writes ca-key.pem and admin.kubeconfig (the CA key rule) to the control-plane nodes too (asks for your password)">
        {nodes ? 'Redistribute with ca-key.pem' : 'Distribute with ca-key.pem'}
      </Button>
      {elevation.dialog}
    </>
  );
}

/** Starts "verify all": one job that looks at every node it can reach (writes nothing). */
export function VerifyAllButton({ cluster, onJob, variant = 'light' }: { cluster: string; onJob: (jobId: string) => void; variant?: 'filled' | 'light' }) {
  const verify = useVerifyAll(cluster);
  return (
    <Button
      variant={variant}
      loading={verify.isPending}
      onClick={() => verify.mutate(undefined, { onSuccess: ({ jobId }) => onJob(jobId), onError: (e) => fail('Could not start the verification', e) })}
      data-testid="verify-all"
    >
      Verify all
    </Button>
  );
}

/**
 * Shown when the last look at some node is older than the server's setting (or there was none):
 * the states shown are what kpki last saw, so it offers to look again.
 */
export function VerifyOffer({ cluster, nodes, onJob }: { cluster: string; nodes: NodeSummary[]; onJob: (jobId: string) => void }) {
  const { canOperate } = usePermissions();
  const due = nodesDue(nodes);
  if (due.length === 0) return null;
  const looked = due.map((n) => n.status.checkedAt).filter((t): t is string => !!t).sort();
  const never = due.length - looked.length;
  return (
    <Paper withBorder p="sm" data-testid="verify-offer">
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
