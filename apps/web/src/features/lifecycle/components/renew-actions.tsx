/**
 * Renewal buttons: "Renew due certificates", "Renew due and redistribute" (one click: renew
 * every certificate in warning or worse, then write to the nodes that hold them), and a
 * per-certificate "Renew". A job starts (onJob), or the server says there is nothing to renew.
 */
import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { LifecycleAnswer, RenewalRequest } from '@kpki/shared';
import { describeError } from '../../../components/error-alert.tsx';
import { useStartRenewal } from '../api/start-renewal.ts';

export interface RenewProps {
  cluster: string;
  onJob: (jobId: string) => void;
}

/** Starts a renewal; a job goes to onJob, an answer without a job is shown as a notification. */
function useRenew({ cluster, onJob }: RenewProps) {
  const renew = useStartRenewal(cluster);
  const start = (body: RenewalRequest) =>
    renew.mutate(body, {
      onSuccess: (a: LifecycleAnswer) => {
        if (a.jobId) onJob(a.jobId);
        else notifications.show({ color: 'blue', title: 'Nothing to renew', message: a.message, id: 'lifecycle-message' });
      },
      onError: (e) => {
        const { code, message } = describeError(e);
        notifications.show({ color: 'red', title: 'Could not start the renewal', message: `${code}: ${message}` });
      },
    });
  return { start, pending: renew.isPending };
}

export function RenewDueButtons(props: RenewProps & { dueCount: number }) {
  const { start, pending } = useRenew(props);
  return (
    <>
      <Button variant="light" loading={pending} onClick={() => start({})} data-testid="renew-due">
        Renew due certificates{props.dueCount ? ` (${props.dueCount})` : ''}
      </Button>
      <Button loading={pending} onClick={() => start({ distribute: true })} data-testid="renew-due-distribute">
        Renew due and redistribute
      </Button>
    </>
  );
}

/** "Renew" on one certificate's row; with `distribute`, then writes to the nodes that hold it. */
export function RenewOneButton(props: RenewProps & { name: string; distribute: boolean }) {
  const { start, pending } = useRenew(props);
  return (
    <Button
      size="compact-xs"
      variant="light"
      loading={pending}
      onClick={() => start({ certificates: [props.name], distribute: props.distribute })}
      aria-label={`Renew ${props.name}`}
      data-testid={`renew-${props.name}`}
    >
      Renew
    </Button>
  );
}
