/**
 * The issuance wizard of a cluster: create the CA, review the plan, issue (live progress),
 * then land on the certificates. Re-issuing asks for confirmation first.
 */
import { useState, type ReactNode } from 'react';
import { Button, Group, Stack, Stepper, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Job } from '@kpki/shared';
import { useJobStream } from '../../../api/job-events.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { ReadOnlyNote, usePermissions } from '../../../components/permissions.tsx';
import { JobProgressView } from '../../../components/job-progress.tsx';
import { DateTime } from '../../../components/date-time.tsx';
import { LoadingState } from '../../../components/query-state.tsx';
import { useCreateCa } from '../api/create-ca.ts';
import { isLeafIssuance, useIssuances } from '../api/get-issuances.ts';
import { useStartIssuance } from '../api/start-issuance.ts';
import { ReissueDialog } from './reissue-dialog.tsx';
import { activeStep, STEP_REVIEW } from './stepper-state.ts';
import { ButtonLink } from '../../../components/links.tsx';

export interface IssuanceStepperProps {
  cluster: string;
  hasCa: boolean;
  /** nodes that receive files (they go stale on re-issue) */
  recipientNodes: string[];
  /** the plan review, rendered in the "Review the plan" step */
  review: ReactNode;
  /** issuance job being followed (kept in the URL) */
  jobId?: string;
  onJobChange: (jobId: string | undefined) => void;
  /** called when an issuance started here succeeds */
  onIssued: (job: Job) => void;
}

export function IssuanceStepper({ cluster, hasCa, recipientNodes, review, jobId, onJobChange, onIssued }: IssuanceStepperProps) {
  const { canOperate } = usePermissions();
  const [reviewing, setReviewing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [startedHere, setStartedHere] = useState<string | null>(null);
  const issuances = useIssuances(cluster);
  const createCa = useCreateCa(cluster);
  const start = useStartIssuance(cluster);
  const stream = useJobStream(jobId, {
    startedHere: !!jobId && startedHere === jobId,
    onEnd: (job) => {
      if (job.status === 'succeeded') {
        notifications.show({ color: 'green', title: 'Certificates issued', message: `Issuance of ${cluster} finished.` });
        onIssued(job);
      }
    },
  });

  const latest = issuances.data?.find(isLeafIssuance);
  const issued = !!latest;
  const active = activeStep({ hasCa, issued, jobStatus: jobId ? stream.job?.status : null, reviewing });

  const issue = () =>
    start.mutate(undefined, {
      onSuccess: ({ jobId: id }) => {
        setConfirming(false);
        setReviewing(false);
        setStartedHere(id);
        onJobChange(id);
      },
    });

  const reviewAgain = () => {
    setReviewing(true);
    onJobChange(undefined);
  };

  if (hasCa && issuances.isPending) return <LoadingState label="Loading issuances…" />;
  if (issuances.error) return <ErrorAlert error={issuances.error} title="Could not load the issuances" />;

  return (
    <>
      <Stepper
        active={active}
        onStepClick={(step) => {
          if (step === STEP_REVIEW && hasCa) reviewAgain();
        }}
        allowNextStepsSelect={false}
        orientation="horizontal"
        wrap
        data-testid="issuance-stepper"
        data-active-step={active}
      >
        <Stepper.Step label="Create the CA" description="The root of trust" data-testid="step-ca">
          <Stack gap="sm" maw={640}>
            <Text size="sm">
              The CA (CN=Kubernetes, OU=CA) signs every certificate below. Its private key never leaves kpki except to the
              control-plane nodes, as in the tutorial.
            </Text>
            {createCa.error && <ErrorAlert error={createCa.error} title="Could not create the CA" />}
            {canOperate ? (
              <Group>
                <Button onClick={() => createCa.mutate()} loading={createCa.isPending} data-testid="create-ca">
                  Create CA
                </Button>
              </Group>
            ) : (
              <ReadOnlyNote what="create the CA (operators and admins do)" size="sm" />
            )}
          </Stack>
        </Stepper.Step>
        <Stepper.Step label="Review the plan" description="Every certificate, before signing" data-testid="step-review">
          <Stack gap="md">
            {review}
            {start.error && <ErrorAlert error={start.error} title="Could not start the issuance" />}
            {canOperate ? (
            <Group justify="flex-end">
              {reviewing && issued && (
                <Button variant="default" onClick={() => setReviewing(false)}>
                  Keep the current certificates
                </Button>
              )}
              <Button
                onClick={() => (issued ? setConfirming(true) : issue())}
                loading={start.isPending && !confirming}
                data-testid="issue-certificates"
              >
                {issued ? 'Re-issue certificates' : 'Issue certificates'}
              </Button>
            </Group>
            ) : (
              <Group justify="flex-end">
                {reviewing && issued && (
                  <Button variant="default" onClick={() => setReviewing(false)}>
                    Back
                  </Button>
                )}
                <ReadOnlyNote what="issue certificates (operators and admins do)" size="sm" />
              </Group>
            )}
          </Stack>
        </Stepper.Step>
        <Stepper.Step label="Issue" description="Live progress" data-testid="step-issue">
          <Stack gap="sm">
            <JobProgressView stream={stream} />
            {canOperate && stream.job && ['failed', 'interrupted'].includes(stream.job.status) && (
              <Group>
                <Button variant="light" onClick={reviewAgain}>
                  Back to the plan
                </Button>
              </Group>
            )}
          </Stack>
        </Stepper.Step>
        <Stepper.Completed>
          <Stack gap="sm" data-testid="step-done">
            <Text>
              {latest ? (
                <>
                  Certificates issued <DateTime value={latest.createdAt} />
                  {latest.certificates > 0 && <> ({latest.certificates} certificates)</>}.
                </>
              ) : (
                'Certificates issued.'
              )}{' '}
              Next: push each node its files.
            </Text>
            <Group gap="sm" wrap="wrap">
              <ButtonLink to="/clusters/$cluster/certificates" params={{ cluster }} data-testid="open-certificates">
                Open certificates
              </ButtonLink>
              {canOperate && (
                <>
                  <ButtonLink to="/clusters/$cluster/nodes" params={{ cluster }} search={{}} variant="light" data-testid="go-distribute">
                    Distribute to nodes
                  </ButtonLink>
                  <Button variant="default" onClick={reviewAgain} data-testid="review-again">
                    Review the plan and re-issue
                  </Button>
                </>
              )}
            </Group>
          </Stack>
        </Stepper.Completed>
      </Stepper>
      <ReissueDialog
        opened={confirming}
        onClose={() => setConfirming(false)}
        onConfirm={issue}
        loading={start.isPending}
        currentCount={latest ? latest.certificates : null}
        lastIssuedAt={latest?.createdAt ?? null}
        nodes={recipientNodes}
      />
    </>
  );
}
