/**
 * "Distribute to all", "Distribute with ca-key.pem" (admins) and "Verify all": used on the nodes
 * page and on each node page. A distribution writes ca-key.pem only when an admin who re-entered
 * the password in the last 5 minutes starts it; the second button asks for the password first.
 */
import { useState } from 'react';
import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { NodeSummary } from '@kpki/shared';
import { describeError } from '../../../components/error-alert.tsx';
import { usePermissions } from '../../../components/permissions.tsx';
import { isCancelled, useElevation } from '../../../components/use-elevation.tsx';
import { useDistribute } from '../api/distribute-all.ts';
import { useVerifyNode } from '../api/verify-node.ts';

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
        title="Writes ca-key.pem to the control-plane nodes too (asks for your password)">
        {nodes ? 'Redistribute with ca-key.pem' : 'Distribute with ca-key.pem'}
      </Button>
      {elevation.dialog}
    </>
  );
}

/** Verifies every node that has an SSH host, one after the other. */
export function VerifyAllButton({ cluster, nodes }: { cluster: string; nodes: NodeSummary[] }) {
  const verify = useVerifyNode(cluster);
  const [running, setRunning] = useState(false);
  const targets = nodes.filter((n) => n.ssh?.host);
  const run = async () => {
    setRunning(true);
    const failed: string[] = [];
    for (const node of targets) {
      try {
        await verify.mutateAsync(node.name);
      } catch {
        failed.push(node.name);
      }
    }
    setRunning(false);
    if (failed.length) fail('Some nodes could not be verified', new Error(failed.join(', ')));
  };
  return (
    <Button variant="light" loading={running} disabled={targets.length === 0} onClick={run} data-testid="verify-all">
      Verify all
    </Button>
  );
}
