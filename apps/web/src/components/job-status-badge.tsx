import { Badge } from '@mantine/core';
import type { JobStatus } from '@kpki/shared';

const COLORS: Record<JobStatus, string> = {
  queued: 'gray',
  running: 'blue',
  succeeded: 'green',
  failed: 'red',
  interrupted: 'orange',
};

export function JobStatusBadge({ status }: { status: JobStatus }) {
  return (
    <Badge color={COLORS[status] ?? 'gray'} variant="light" data-testid="job-status" data-status={status}>
      {status}
    </Badge>
  );
}
