/** Recent jobs of a cluster: type, status, progress, start, duration. */
import { Text } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';
import type { Job } from '@kpki/shared';
import { DataTable } from '../../../components/data-table.tsx';
import { DateTime } from '../../../components/date-time.tsx';
import { JobStatusBadge } from '../../../components/job-status-badge.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { QueryState } from '../../../components/query-state.tsx';
import { useJobs } from '../api/get-jobs.ts';
import { jobDuration, jobScope } from './job-duration.ts';
import { AnchorLink } from '../../../components/links.tsx';

const col = createColumnHelper<Job>();

const columns = (cluster: string) => [
  col.accessor('id', {
    header: 'Job',
    cell: (i) => (
      <AnchorLink to="/clusters/$cluster/jobs/$jobId" params={{ cluster, jobId: i.getValue() }} ff="monospace" size="sm">
        {i.getValue().slice(0, 8)}
      </AnchorLink>
    ),
  }),
  col.accessor('type', {
    header: 'Type',
    cell: (i) => (
      <Text size="sm">
        {i.getValue()}
        {jobScope(i.row.original) && (
          <Text span size="xs" c="dimmed">
            {' '}
            ({jobScope(i.row.original)})
          </Text>
        )}
      </Text>
    ),
  }),
  col.accessor('status', { header: 'Status', cell: (i) => <JobStatusBadge status={i.getValue()} /> }),
  col.accessor((j) => `${j.progress.done} / ${j.progress.total}`, { id: 'progress', header: 'Progress', enableSorting: false }),
  col.accessor('createdAt', { header: 'Created', cell: (i) => <DateTime value={i.getValue()} size="xs" /> }),
  col.accessor((j) => jobDuration(j), { id: 'duration', header: 'Duration', enableSorting: false }),
  col.accessor((j) => j.error?.code ?? '', { id: 'error', header: 'Error', cell: (i) => <Text size="xs" c="red">{i.getValue()}</Text> }),
];

export function JobsPage({ cluster }: { cluster: string }) {
  const jobs = useJobs(cluster);
  return (
    <>
      <PageHeader title="Jobs" description="Issuances and distributions, newest first. Open one for its log." />
      <QueryState query={jobs} label="jobs" isEmpty={(items) => items.length === 0}>
        {(items) => (
          <DataTable
            data={items}
            columns={columns(cluster)}
            testId="jobs-table"
            cardFirst={['type', 'status', 'createdAt']}
            rowProps={(j) => ({ 'data-testid': `job-row-${j.id}`, 'data-status': j.status })}
          />
        )}
      </QueryState>
    </>
  );
}
