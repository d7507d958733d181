/** One job: live progress and log, its parameters and result. */
import type { ReactNode } from 'react';
import { Card, Code, SimpleGrid, Stack, Table, Title } from '@mantine/core';
import type { Job } from '@kpki/shared';
import { useJobStream } from '../../../api/job-events.ts';
import { DateTime } from '../../../components/date-time.tsx';
import { JobProgressView } from '../../../components/job-progress.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { jobDuration, jobScope } from './job-duration.ts';
import { AnchorLink } from '../../../components/links.tsx';

function Facts({ job }: { job: Job }) {
  const rows: Array<[string, ReactNode]> = [
    ['Type', `${job.type}${jobScope(job) ? ` (${jobScope(job)})` : ''}`],
    ['Created', <DateTime value={job.createdAt} />],
    ['Started', <DateTime value={job.startedAt} />],
    ['Finished', <DateTime value={job.finishedAt} />],
    ['Duration', jobDuration(job)],
  ];
  return (
    <Table>
      <Table.Tbody>
        {rows.map(([label, value]) => (
          <Table.Tr key={label}>
            <Table.Th w={120}>{label}</Table.Th>
            <Table.Td>{value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function JobPage({ cluster, jobId }: { cluster: string; jobId: string }) {
  const stream = useJobStream(jobId);
  const job = stream.job;
  return (
    <>
      <PageHeader
        title={`Job ${jobId.slice(0, 8)}`}
        documentTitle={[`Job ${jobId.slice(0, 8)}`, 'Jobs']}
        description={
          <AnchorLink to="/clusters/$cluster/jobs" params={{ cluster }} size="sm">
            ← All jobs
          </AnchorLink>
        }
      />
      <Stack gap="md">
        <Card withBorder>
          <JobProgressView stream={stream} withLink={false} logHeight={560} />
        </Card>
        {job && (
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Card withBorder>
              <Title order={2} size="h4" mb="xs">
                Facts
              </Title>
              <Facts job={job} />
            </Card>
            <Card withBorder>
              <Title order={2} size="h4" mb="xs">
                Result
              </Title>
              <Code block data-testid="job-result">
                {JSON.stringify(job.result ?? job.params ?? {}, null, 2)}
              </Code>
            </Card>
          </SimpleGrid>
        )}
      </Stack>
    </>
  );
}
