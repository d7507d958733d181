/** Recent jobs of a cluster: kind, status, who started it, progress, start, duration; filtered by kind and status. */
import { useState } from 'react';
import { Group, Select, Text } from '@mantine/core';
import { JOB_STATUSES } from '@kpki/shared';
import { createColumnHelper } from '@tanstack/react-table';
import type { Job } from '@kpki/shared';
import { DataTable } from '../../../components/data-table.tsx';
import { DateTime } from '../../../components/date-time.tsx';
import { JobStatusBadge } from '../../../components/job-status-badge.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { QueryState } from '../../../components/query-state.tsx';
import { useJobs, type JobsFilter } from '../api/get-jobs.ts';
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
  col.accessor((j) => j.startedBy ?? '', { id: 'startedBy', header: 'Started by', cell: (i) => <Text size="sm" data-testid="job-started-by">{i.getValue() || 'not recorded'}</Text> }),
  col.accessor((j) => `${j.progress.done} / ${j.progress.total}`, { id: 'progress', header: 'Progress', enableSorting: false }),
  col.accessor('createdAt', { header: 'Created', cell: (i) => <DateTime value={i.getValue()} size="xs" /> }),
  col.accessor((j) => jobDuration(j), { id: 'duration', header: 'Duration', enableSorting: false }),
  col.accessor((j) => j.error?.code ?? '', { id: 'error', header: 'Error', cell: (i) => <Text size="xs" c="red">{i.getValue()}</Text> }),
];

const KINDS = ['issuance', 'distribution', 'verification', 'renewal', 'apply', 'ca-rotation'];

export function JobsPage({ cluster }: { cluster: string }) {
  const [filter, setFilter] = useState<JobsFilter>({});
  const jobs = useJobs(cluster, filter);
  return (
    <>
      <PageHeader title="Jobs" description="Issuances, distributions and verifications, newest first, with who started them. Open one for its log." />
      <Group gap="sm" mb="sm" data-testid="jobs-filters">
        <Select label="Kind" placeholder="any kind" data={KINDS} value={filter.type ?? null} onChange={(v) => setFilter({ ...filter, type: v ?? undefined })} clearable w={180} data-testid="jobs-filter-type" />
        <Select label="Status" placeholder="any status" data={[...JOB_STATUSES]} value={filter.status ?? null} onChange={(v) => setFilter({ ...filter, status: v ?? undefined })} clearable w={180} data-testid="jobs-filter-status" />
      </Group>
      <QueryState query={jobs} label="jobs" isEmpty={(items) => items.length === 0}>
        {(items) => (
          <DataTable
            data={items}
            columns={columns(cluster)}
            testId="jobs-table"
            cardFirst={['type', 'status', 'startedBy', 'createdAt']}
            rowProps={(j) => ({ 'data-testid': `job-row-${j.id}`, 'data-status': j.status })}
          />
        )}
      </QueryState>
    </>
  );
}
