/**
 * Recent jobs of a cluster (the newest JOBS_SHOWN): kind, status, who started it, progress, start,
 * duration; counts by status, search by id, kind, person, node or error, filters by kind and
 * status, sorted, 50 rows a page; the query in the URL (/clusters/{c}/jobs?kind=&status=&q=).
 */
import { Text } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';
import type { Job } from '@kpki/shared';
import { FilteredTable } from '../../../components/filtered-table.tsx';
import { searchTextOf, type TableFilter, type TableQuery } from '../../../lib/table-query.ts';
import { JOBS_SHOWN } from '../../../app/table-keys.ts';
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
  col.accessor((j) => j.startedBy ?? '', { id: 'startedBy', header: 'Started by', cell: (i) => <Text size="sm" data-testid="job-started-by">{i.getValue() || 'not recorded'}</Text> }),
  col.accessor((j) => `${j.progress.done} / ${j.progress.total}`, { id: 'progress', header: 'Progress', enableSorting: false }),
  col.accessor('createdAt', { header: 'Created', cell: (i) => <DateTime value={i.getValue()} size="xs" /> }),
  col.accessor((j) => jobDuration(j), { id: 'duration', header: 'Duration', enableSorting: false }),
  col.accessor((j) => j.error?.code ?? '', { id: 'error', header: 'Error', cell: (i) => <Text size="xs" c="red">{i.getValue()}</Text> }),
];

const KINDS = ['issuance', 'distribution', 'verification', 'renewal', 'apply', 'ca-rotation'];


const STATUS_COLORS: Record<string, string> = { queued: 'gray', running: 'blue', succeeded: 'green', failed: 'red', interrupted: 'orange' };

export const JOB_FILTERS: TableFilter<Job>[] = [
  { id: 'kind', label: 'Kind', value: (j) => j.type, order: KINDS },
  { id: 'status', label: 'Status', value: (j) => j.status, order: ['failed', 'interrupted', 'running', 'queued', 'succeeded'] },
];

/** What a search looks in: id, kind, who started it, the nodes and certificates it is about, the error. */
export const jobSearchText = (j: Job) => searchTextOf(j.id, j.type, j.startedBy, j.params?.nodes, j.params?.certificates, j.error?.code, j.error?.message);

interface JobsPageProps {
  cluster: string;
  /** the table's search, filters (kind, status), sort and page (the URL's) */
  query?: TableQuery;
  onQueryChange?: (query: TableQuery) => void;
  /** rows a page (50) */
  pageSize?: number;
}

export function JobsPage({ cluster, query, onQueryChange, pageSize }: JobsPageProps) {
  const jobs = useJobs(cluster, { limit: JOBS_SHOWN });
  return (
    <>
      <PageHeader title="Jobs" description="Issuances, distributions and verifications, newest first, with who started them. Open one for its progress by node and its log." />
      <QueryState query={jobs} label="jobs" isEmpty={(items) => items.length === 0}>
        {(items) => (
          <FilteredTable
            noun="jobs"
            pageSize={pageSize}
            query={query}
            onQueryChange={onQueryChange}
            filters={JOB_FILTERS}
            countsBy="status"
            countColors={STATUS_COLORS}
            countsLabel={(n) => (items.length >= JOBS_SHOWN ? `The last ${n} jobs:` : `${n} jobs:`)}
            searchText={jobSearchText}
            searchPlaceholder="id, kind, person, node, error"
            data={items}
            columns={columns(cluster)}
            testId="jobs-table"
            cardFirst={['type', 'status', 'startedBy', 'createdAt']}
            emptyMessage="No job matches."
            rowProps={(j) => ({ 'data-testid': `job-row-${j.id}`, 'data-status': j.status, 'data-kind': j.type })}
          />
        )}
      </QueryState>
    </>
  );
}
