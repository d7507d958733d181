/**
 * Live view of one job: status, progress bar, error and log, fed by the job's event stream. Its
 * outcome is announced in a status region (role="status") when it ends.
 */
import { Group, Progress, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { Job, JobLogLine } from '@kpki/shared';
import { useJobStream, type JobStreamResult } from '../api/job-events.ts';
import { JobLog } from './job-log.tsx';
import { JobNodes } from './job-nodes.tsx';
import { jobNodeRows } from '../lib/job-nodes.ts';
import { JobStatusBadge } from './job-status-badge.tsx';
import { ErrorAlert } from './error-alert.tsx';
import { LoadingState } from './query-state.tsx';
import { AnchorLink } from './links.tsx';
import { isTerminal, jobAnnouncement, jobTitle } from '../lib/job-stream.ts';

interface JobProgressProps {
  jobId: string;
  onEnd?: (job: Job) => void;
  startedHere?: boolean;
  /** show a link to the job's own page */
  withLink?: boolean;
  logHeight?: number;
}

/** A job on more nodes than this shows its log folded (its nodes table says what happened). */
export const LOG_OPEN_UP_TO = 10;

/** Follows the job live and shows it. */
export function JobProgress({ jobId, onEnd, startedHere, withLink, logHeight }: JobProgressProps) {
  const stream = useJobStream(jobId, { onEnd, startedHere });
  return <JobProgressView stream={stream} withLink={withLink} logHeight={logHeight} />;
}

/** The log in a disclosure, open at first when `open`; its lines are rendered only while it is open (a long log costs nothing folded). */
function FoldedLog({ lines, maxHeight, open: initiallyOpen }: { lines: JobLogLine[]; maxHeight?: number; open: boolean }) {
  const [open, setOpen] = useState(initiallyOpen);
  return (
    <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)} data-testid="job-log-details">
      <summary>
        <Text span size="sm" fw={600}>
          Log ({lines.length} line{lines.length === 1 ? '' : 's'})
        </Text>
      </summary>
      {open && <JobLog lines={lines} maxHeight={maxHeight} />}
    </details>
  );
}

/** Shows a job followed elsewhere (see useJobStream). */
export function JobProgressView({ stream, withLink = true, logHeight }: { stream: JobStreamResult; withLink?: boolean; logHeight?: number }) {
  const { job, error, isLoading, live } = stream;
  if (error && !job) return <ErrorAlert error={error} title="Could not load the job" />;
  if (isLoading || !job) return <LoadingState label="Loading job…" />;
  const { done, total } = job.progress;
  const pct = total > 0 ? Math.round((done / total) * 100) : job.status === 'succeeded' ? 100 : 0;
  return (
    <Stack gap="sm" data-testid="job-progress" data-job-id={job.id} data-status={job.status}>
      <Group justify="space-between" wrap="wrap">
        <Group gap="xs">
          <Text fw={600}>{jobTitle(job.type)}</Text>
          <JobStatusBadge status={job.status} />
          {live && (
            <Text size="xs" c="dimmed">
              live
            </Text>
          )}
        </Group>
        {withLink && (
          <AnchorLink to="/clusters/$cluster/jobs/$jobId" params={{ cluster: job.cluster, jobId: job.id }} size="sm">
            Job {job.id.slice(0, 8)}
          </AnchorLink>
        )}
      </Group>
      <Progress
        value={pct}
        animated={!isTerminal(job.status)}
        color={job.status === 'failed' ? 'red' : job.status === 'succeeded' ? 'green' : 'blue'}
        aria-label={`Progress: ${done} of ${total}`}
      />
      <Text size="xs" c="dimmed" data-testid="job-progress-count">
        {done} / {total} steps
      </Text>
      <Text size="sm" role="status" aria-live="polite" fw={600} data-testid="job-announcement">
        {jobAnnouncement(job)}
      </Text>
      {/* the status region above announces the failure; the box is not an alert on top of it */}
      {job.error && <ErrorAlert error={job.error} title="The job failed" live={false} />}
      <JobNodes job={job} />
      {/* a job on many nodes reads from the table above: its log is there, folded */}
      <FoldedLog lines={job.log} maxHeight={logHeight} open={(jobNodeRows(job)?.length ?? 0) <= LOG_OPEN_UP_TO} />
    </Stack>
  );
}
