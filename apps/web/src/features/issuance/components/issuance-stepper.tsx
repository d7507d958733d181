/**
 * The guided flow of a cluster: create the CA, review the plan, issue (live progress), distribute
 * (the fourth step starts the job; its content comes from the nodes feature through `distribute`),
 * then done once every node holds its files. After issuing, the overview stays and offers the next
 * step. Re-issuing asks for confirmation first.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
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
import { activeStep, STEP_DISTRIBUTE, STEP_REVIEW } from './stepper-state.ts';
import { ButtonLink } from '../../../components/links.tsx';
import { useNarrow } from '../../../components/use-narrow.ts';

export interface IssuanceStepperProps {
  cluster: string;
  hasCa: boolean;
  /** nodes that receive files (they go stale on re-issue) */
  recipientNodes: string[];
  /** the plan review, rendered in the "Review the plan" step */
  review: ReactNode;
  /** the distribution (start it, follow it), rendered in the "Distribute" step */
  distribute?: ReactNode;
  /** every node that must hold files holds the current ones */
  distributed?: boolean;
  /** issuance job being followed (kept in the URL) */
  jobId?: string;
  onJobChange: (jobId: string | undefined) => void;
  /** called when an issuance started here succeeds */
  onIssued?: (job: Job) => void;
}

export function IssuanceStepper({ cluster, hasCa, recipientNodes, review, distribute, distributed = false, jobId, onJobChange, onIssued }: IssuanceStepperProps) {
  const { canOperate } = usePermissions();
  const narrow = useNarrow();
  const [reviewing, setReviewing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [startedHere, setStartedHere] = useState<string | null>(null);
  const issuances = useIssuances(cluster);
  const createCa = useCreateCa(cluster);
  const start = useStartIssuance(cluster);
  const distributeStep = useRef<HTMLDivElement>(null);
  const [focusNext, setFocusNext] = useState(false);
  const stream = useJobStream(jobId, {
    startedHere: !!jobId && startedHere === jobId,
    onEnd: (job) => {
      if (job.status === 'succeeded') {
        notifications.show({ color: 'green', title: 'Certificates issued', message: `Issuance of ${cluster} finished. Next: distribute.` });
        setFocusNext(true);
        onIssued?.(job);
      }
    },
  });

  const latest = issuances.data?.find(isLeafIssuance);
  const issued = !!latest;
  const active = activeStep({ hasCa, issued, jobStatus: jobId ? stream.job?.status : null, reviewing, distributed });

  // the Issue step's content (where focus was) is gone: the next step takes focus
  useEffect(() => {
    if (focusNext && active === STEP_DISTRIBUTE) {
      distributeStep.current?.focus();
      setFocusNext(false);
    }
  }, [focusNext, active]);

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

  // after issuing (the Distribute step and the end): read the certificates, or re-issue
  const certificatesLink = (
    <ButtonLink to="/clusters/$cluster/certificates" params={{ cluster }} variant="light" data-testid="open-certificates">
      Open certificates
    </ButtonLink>
  );
  const reissueButton = canOperate && (
    <Button variant="default" onClick={reviewAgain} data-testid="review-again">
      Review the plan and re-issue
    </Button>
  );

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
        orientation={narrow ? 'vertical' : 'horizontal'}
        wrap={!narrow}
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
        <Stepper.Step label="Distribute" description="Each node its files" data-testid="step-distribute">
          <Stack gap="sm" ref={distributeStep} tabIndex={-1} aria-label="Distribute" style={{ outline: 'none' }} data-testid="distribute-step">
            <Text size="sm">
              {latest ? (
                <>
                  Certificates issued <DateTime value={latest.createdAt} />
                  {latest.certificates > 0 && <> (the CA and {latest.certificates} leaf certificates)</>}.
                </>
              ) : (
                'Certificates issued.'
              )}{' '}
              Next: push each node exactly its files over SSH.
            </Text>
            {distribute}
            <Group gap="sm" wrap="wrap">
              {certificatesLink}
              {reissueButton}
            </Group>
          </Stack>
        </Stepper.Step>
        <Stepper.Completed>
          <Stack gap="sm" data-testid="step-done">
            <Text>
              Every node holds its current files
              {latest && (
                <>
                  {' '}
                  (issued <DateTime value={latest.createdAt} />)
                </>
              )}
              .
            </Text>
            <Group gap="sm" wrap="wrap">
              {certificatesLink}
              <ButtonLink to="/clusters/$cluster/nodes" params={{ cluster }} search={{}} variant="light" data-testid="go-distribute">
                Nodes
              </ButtonLink>
              {reissueButton}
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
