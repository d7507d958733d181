/**
 * The nodes of a job at a glance: how many failed, are waiting, were not reached, are done
 * (buttons that filter), failures first with their error, searchable and paged: a job on 1,000
 * nodes reads as a summary, not as one long log.
 */
import { Badge, Text } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';
import type { Job } from '@kpki/shared';
import { StateBadge } from '../features/nodes/components/node-state-badge.tsx';
import { jobNodeRows, NODE_PROGRESS_ORDER, type JobNodeRow } from '../lib/job-nodes.ts';
import type { TableFilter } from '../lib/table-query.ts';
import { FilteredTable } from './filtered-table.tsx';
import { AnchorLink } from './links.tsx';

const PROGRESS_COLORS: Record<string, string> = { failed: 'red', 'not-reached': 'orange', waiting: 'blue', done: 'green' };
const PROGRESS_LABELS: Record<string, string> = { failed: 'failed', 'not-reached': 'not reached', waiting: 'waiting', done: 'done' };

const FILTERS: TableFilter<JobNodeRow>[] = [
  { id: 'progress', label: 'Progress', value: (r) => r.progress, order: NODE_PROGRESS_ORDER, optionLabel: (v) => PROGRESS_LABELS[v] ?? v },
  { id: 'state', label: 'State after', value: (r) => r.outcome?.state ?? '—' },
];

const col = createColumnHelper<JobNodeRow>();
const columns = (cluster: string) => [
  col.accessor('node', {
    header: 'Node',
    cell: (i) => (
      <AnchorLink to="/clusters/$cluster/nodes/$node" params={{ cluster, node: i.getValue() }} search={{}} size="sm" fw={600}>
        {i.getValue()}
      </AnchorLink>
    ),
  }),
  col.accessor((r) => NODE_PROGRESS_ORDER.indexOf(r.progress), {
    id: 'progress',
    header: 'Progress',
    cell: (i) => (
      <Badge color={PROGRESS_COLORS[i.row.original.progress]} variant="light" style={{ textTransform: 'none' }} data-testid="job-node-progress">
        {PROGRESS_LABELS[i.row.original.progress]}
      </Badge>
    ),
  }),
  col.accessor((r) => r.outcome?.state ?? '', {
    id: 'state',
    header: 'State after',
    cell: (i) => (i.row.original.outcome ? <StateBadge state={i.row.original.outcome.state} testId="job-node-state" /> : <Text size="sm" c="dimmed">—</Text>),
  }),
  col.accessor((r) => r.outcome?.uploaded?.length ?? -1, {
    id: 'written',
    header: 'Files written',
    cell: (i) => <Text size="sm">{i.row.original.outcome?.uploaded ? i.row.original.outcome.uploaded.length : '—'}</Text>,
  }),
  col.accessor((r) => r.outcome?.error?.message ?? r.outcome?.caKeyWithheld ?? '', {
    id: 'error',
    header: 'Error or note',
    enableSorting: false,
    cell: (i) => {
      const o = i.row.original.outcome;
      if (o?.error) return <Text size="xs" c="red" style={{ overflowWrap: 'anywhere' }} data-testid="job-node-error">{o.error.message}</Text>;
      if (o?.caKeyWithheld) return <Text size="xs" c="orange">ca-key.pem left out: {o.caKeyWithheld}</Text>;
      return null;
    },
  }),
];

/** null for a job that does not work node by node. */
export function JobNodes({ job, pageSize = 20 }: { job: Pick<Job, 'cluster' | 'params' | 'result' | 'status'>; pageSize?: number }) {
  const rows = jobNodeRows(job);
  if (!rows) return null;
  return (
    <section aria-label="Nodes of the job" data-testid="job-nodes-section">
      <FilteredTable
        noun="nodes of the job"
        data={rows}
        columns={columns(job.cluster)}
        filters={FILTERS}
        countsBy="progress"
        countColors={PROGRESS_COLORS}
        countsLabel={(n) => `${n} node${n === 1 ? '' : 's'}:`}
        searchText={(r) => `${r.node} ${r.outcome?.state ?? ''} ${r.outcome?.error?.message ?? ''}`}
        searchPlaceholder="node or error"
        pageSize={pageSize}
        testId="job-nodes"
        cardFirst={['node', 'progress', 'state']}
        emptyMessage="No node matches."
        rowProps={(r) => ({ 'data-testid': `job-node-${r.node}`, 'data-progress': r.progress })}
      />
    </section>
  );
}
