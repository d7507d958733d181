/** The audit page's search and filters (result, actor, action, cluster, node, from, to) and the export of what they keep (CSV, JSON). */
import { Button, Group, NativeSelect, Paper, Select, TextInput } from '@mantine/core';
import type { AuditCounts } from '@kpki/shared';
import { SearchBox } from '../../../components/filtered-table.tsx';
import { auditExportUrl, useAuditFacets, type AuditFilter } from '../api/get-audit.ts';
import { AUDIT_OUTCOMES, type AuditOutcome } from './audit-result.ts';
import { formatCount } from './audit-counts.tsx';

/** "POST /api/v1/clusters/:cluster/distributions" reads as "POST /clusters/:cluster/distributions". */
const actionLabel = (action: string) => action.replace(' /api/v1/', ' /');

interface AuditFiltersProps {
  filter: AuditFilter;
  onChange: (filter: AuditFilter) => void;
  /** the server's counts for the filter (the result left aside), shown beside each result */
  counts?: AuditCounts;
}

export function AuditFilters({ filter, onChange, counts }: AuditFiltersProps) {
  const facets = useAuditFacets();
  const set = (key: keyof AuditFilter) => (value: string | null) => onChange({ ...filter, [key]: value || undefined });
  const text = (key: keyof AuditFilter) => (e: React.ChangeEvent<HTMLInputElement>) => set(key)(e.currentTarget.value.trim());
  const active = Object.values(filter).some(Boolean);
  const counted = (n: number | undefined) => (n === undefined ? '' : ` (${formatCount(n)})`);
  return (
    <Paper withBorder p="sm" component="section" aria-label="Search, filters and export" data-testid="audit-filters">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <SearchBox
          value={filter.q ?? ''}
          onChange={(q) => set('q')(q)}
          label="Search the audit log"
          placeholder="user, action, cluster, node, address, details"
          testId="audit-search"
        />
        <NativeSelect
          label="Result"
          value={filter.result ?? ''}
          onChange={(e) => set('result')(e.currentTarget.value)}
          data={[
            { value: '', label: `any${counted(counts?.total)}` },
            ...AUDIT_OUTCOMES.map((o: AuditOutcome) => ({ value: o, label: `${o}${counted(counts?.byResult[o])}` })),
          ]}
          w={150}
          data-testid="audit-filter-result"
        />
        <Select label="Actor" placeholder="anyone" data={facets.data?.actors ?? []} value={filter.actor ?? null} onChange={set('actor')} clearable searchable w={160} data-testid="audit-filter-actor" />
        <Select
          label="Action"
          placeholder="any action"
          data={(facets.data?.actions ?? []).map((a) => ({ value: a, label: actionLabel(a) }))}
          value={filter.action ?? null}
          onChange={set('action')}
          clearable
          searchable
          w={300}
          data-testid="audit-filter-action"
        />
        {/* keyed by their value: a filter changed elsewhere (a link, Back, Clear) shows in them */}
        <TextInput key={`cluster:${filter.cluster ?? ''}`} label="Cluster" placeholder="any" defaultValue={filter.cluster ?? ''} onBlur={text('cluster')} onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()} w={140} data-testid="audit-filter-cluster" />
        <TextInput key={`node:${filter.node ?? ''}`} label="Node" placeholder="any" defaultValue={filter.node ?? ''} onBlur={text('node')} onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()} w={140} data-testid="audit-filter-node" />
        <TextInput label="From (UTC)" type="date" value={filter.since ?? ''} onChange={text('since')} w={160} data-testid="audit-filter-since" />
        <TextInput label="To (UTC)" type="date" value={filter.until ?? ''} onChange={text('until')} w={160} data-testid="audit-filter-until" />
        {active && (
          <Button variant="subtle" onClick={() => onChange({})} data-testid="audit-filter-clear">
            Clear search and filters
          </Button>
        )}
        <Group gap="xs" ml="auto">
          <Button component="a" href={auditExportUrl('csv', filter)} download variant="default" data-testid="audit-export-csv">
            Export CSV
          </Button>
          <Button component="a" href={auditExportUrl('json', filter)} download variant="default" data-testid="audit-export-json">
            Export JSON
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}
