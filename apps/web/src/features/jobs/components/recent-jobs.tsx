/** For the cluster's dashboard: the last jobs, with their outcome and age. */
import { Card, Group, Stack, Text, Title } from '@mantine/core';
import { JobStatusBadge } from '../../../components/job-status-badge.tsx';
import { AnchorLink } from '../../../components/links.tsx';
import { jobTitle } from '../../../lib/job-stream.ts';
import { relativeTime } from '../../../lib/time.ts';
import { useJobs } from '../api/get-jobs.ts';
import { jobScope } from './job-duration.ts';

export function RecentJobs({ cluster, count = 5 }: { cluster: string; count?: number }) {
  const jobs = useJobs(cluster);
  const items = (jobs.data ?? []).slice(0, count);
  return (
    <Card withBorder component="section" aria-labelledby="dash-jobs" data-testid="dashboard-jobs">
      <Title order={2} size="h5" id="dash-jobs" mb="xs">
        Last jobs
      </Title>
      {items.length === 0 ? (
        <Text size="sm">No job yet.</Text>
      ) : (
        <Stack gap={4} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {items.map((j) => (
            <Group key={j.id} component="li" gap={6} wrap="wrap" data-testid="dashboard-job" data-status={j.status}>
              <AnchorLink to="/clusters/$cluster/jobs/$jobId" params={{ cluster, jobId: j.id }} size="sm">
                {jobTitle(j.type)}
                {jobScope(j) ? ` (${jobScope(j)})` : ''}
              </AnchorLink>
              <JobStatusBadge status={j.status} />
              <Text size="xs">{relativeTime(j.createdAt)}</Text>
            </Group>
          ))}
        </Stack>
      )}
      <AnchorLink to="/clusters/$cluster/jobs" params={{ cluster }} size="sm" mt="xs">
        All jobs
      </AnchorLink>
    </Card>
  );
}
