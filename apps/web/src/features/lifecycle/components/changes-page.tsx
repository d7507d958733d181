/**
 * Changes: what the topology change requires, as a diff to review before anything happens (like
 * a plan before an apply), then Apply (issue only what changed) or Apply and distribute (and
 * write only to the nodes whose files changed).
 */
import { Alert, Button, Card, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { LifecycleAnswer } from '@kpki/shared';
import { describeError } from '../../../components/error-alert.tsx';
import { JobProgress } from '../../../components/job-progress.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { ReadOnlyNote, usePermissions } from '../../../components/permissions.tsx';
import { QueryState } from '../../../components/query-state.tsx';
import { useApplyChanges } from '../api/apply-changes.ts';
import { useChanges } from '../api/get-changes.ts';
import { ChangeDiff } from './change-diff.tsx';

interface ChangesPageProps {
  cluster: string;
  jobId?: string;
  onJobChange: (jobId: string | undefined) => void;
}

function ApplyButtons({ cluster, disabled, onJob }: { cluster: string; disabled: boolean; onJob: (id: string) => void }) {
  const apply = useApplyChanges(cluster);
  const start = (distribute: boolean) =>
    apply.mutate({ distribute }, {
      onSuccess: (a: LifecycleAnswer) => {
        if (a.jobId) onJob(a.jobId);
        else notifications.show({ color: 'blue', title: 'Applied', message: a.message, id: 'lifecycle-message' });
      },
      onError: (e) => {
        const { code, message } = describeError(e);
        notifications.show({ color: 'red', title: 'Could not apply', message: `${code}: ${message}` });
      },
    });
  return (
    <>
      <Button variant="light" disabled={disabled} loading={apply.isPending} onClick={() => start(false)} data-testid="apply-changes">
        Apply
      </Button>
      <Button disabled={disabled} loading={apply.isPending} onClick={() => start(true)} data-testid="apply-distribute">
        Apply and distribute
      </Button>
    </>
  );
}

export function ChangesPage({ cluster, jobId, onJobChange }: ChangesPageProps) {
  const { canOperate } = usePermissions();
  const query = useChanges(cluster);
  const idle = query.data ? query.data.nothingToDo && query.data.nodes.length === 0 : true;
  return (
    <>
      <PageHeader
        title="Changes"
        description="The current certificates compared with the plan of the topology: what an apply issues and which files each node receives. Nothing happens until you apply."
        actions={canOperate ? <ApplyButtons cluster={cluster} disabled={idle} onJob={onJobChange} /> : <ReadOnlyNote what="apply changes" />}
      />
      <Stack gap="md">
        {jobId && (
          <Card withBorder data-testid="running-job">
            <JobProgress jobId={jobId} />
          </Card>
        )}
        <QueryState query={query} label="the changes">
          {(changes) => (
            <>
              <Alert color={changes.nothingToDo ? 'green' : 'blue'} data-testid="changes-summary" data-nothing={String(changes.nothingToDo)}>
                <Text size="sm">{changes.nothingToDo ? `Nothing to re-issue: every certificate matches the plan. ${changes.summary}` : changes.summary}</Text>
              </Alert>
              {changes.ca.change === 'rotation-required' && (
                <Alert color="red" title="The CA itself differs from the plan" data-testid="ca-rotation">
                  <Text size="sm">{changes.ca.message}</Text>
                  {changes.ca.differences.map((d, i) => (
                    <Text key={i} size="sm" ff="monospace">
                      ~ {d.reason}
                    </Text>
                  ))}
                </Alert>
              )}
              <ChangeDiff changes={changes} />
            </>
          )}
        </QueryState>
      </Stack>
    </>
  );
}
