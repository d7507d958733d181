/** The audit page's filters (actor, action, cluster, node, from, to) and the export of what they keep (CSV, JSON). */
import { Button, Group, Paper, Select, TextInput } from '@mantine/core';
import { auditExportUrl, useAuditFacets, type AuditFilter } from '../api/get-audit.ts';

/** "POST /api/v1/clusters/:cluster/distributions" reads as "POST /clusters/:cluster/distributions". */
const actionLabel = (action: string) => action.replace(' /api/v1/', ' /');

interface AuditFiltersProps {
  filter: AuditFilter;
  onChange: (filter: AuditFilter) => void;
}

export function AuditFilters({ filter, onChange }: AuditFiltersProps) {
  const facets = useAuditFacets();
  const set = (key: keyof AuditFilter) => (value: string | null) => onChange({ ...filter, [key]: value || undefined });
  const text = (key: keyof AuditFilter) => (e: React.ChangeEvent<HTMLInputElement>) => set(key)(e.currentTarget.value.trim());
  const active = Object.values(filter).some(Boolean);
  return (
    <Paper withBorder p="sm" component="section" aria-label="Filters and export" data-testid="audit-filters">
      <Group gap="sm" align="flex-end" wrap="wrap">
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
        <TextInput label="Cluster" placeholder="any" defaultValue={filter.cluster ?? ''} onBlur={text('cluster')} onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()} w={140} data-testid="audit-filter-cluster" />
        <TextInput label="Node" placeholder="any" defaultValue={filter.node ?? ''} onBlur={text('node')} onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()} w={140} data-testid="audit-filter-node" />
        <TextInput label="From (UTC)" type="date" value={filter.since ?? ''} onChange={text('since')} w={160} data-testid="audit-filter-since" />
        <TextInput label="To (UTC)" type="date" value={filter.until ?? ''} onChange={text('until')} w={160} data-testid="audit-filter-until" />
        {active && (
          <Button variant="subtle" onClick={() => onChange({})} data-testid="audit-filter-clear">
            Clear filters
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
