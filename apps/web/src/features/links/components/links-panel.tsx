/**
 * "Will it work?" on the matrix page: every link checked with the files of a source, green or
 * red, reasons on hover and in a details panel, a filter for failing links and a search. The
 * server filters and pages (GET /links?failing=&q=&offset=&limit=): one page of links is fetched.
 */
import { useState } from 'react';
import { Alert, Group, SegmentedControl, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import type { LinkSource } from '@kpki/shared';
import { QueryState } from '../../../components/query-state.tsx';
import { DateTime } from '../../../components/date-time.tsx';
import { useLinks } from '../api/get-links.ts';
import { coverageText, reasonLine, SOURCE_HELP } from './links-model.ts';
import { LinksTable } from './links-table.tsx';

export interface LinksView {
  source: LinkSource;
  /** validity checked this many days from now (0: now) */
  inDays: number;
}

const WHEN = [
  { value: '0', label: 'now' },
  { value: '30', label: 'in 30 days' },
  { value: '90', label: 'in 90 days' },
  { value: '365', label: 'in a year' },
];

export function LinksPanel({ cluster, view, onChange }: { cluster: string; view: LinksView; onChange: (next: LinksView) => void }) {
  const [failingOnly, setFailingOnly] = useState(false);
  const [text, setText] = useState('');
  const [q] = useDebouncedValue(text.trim(), 250);
  const [page, setPage] = useState(1);
  const query = useLinks(cluster, view.source, view.inDays, { failing: failingOnly, q, page });
  return (
    <Stack gap="sm" data-testid="links-panel">
      <Group gap="md" wrap="wrap" align="flex-end">
        <SegmentedControl
          value={view.source}
          onChange={(v) => onChange({ ...view, source: v as LinkSource })}
          data={[{ value: 'deployed', label: 'On the nodes' }, { value: 'issued', label: 'Issued' }, { value: 'planned', label: 'Planned' }]}
          aria-label="Which files to check"
          data-testid="links-source"
        />
        <Select
          label="Valid"
          value={String(view.inDays)}
          onChange={(v) => onChange({ ...view, inDays: Number(v ?? 0) })}
          data={WHEN}
          allowDeselect={false}
          w={140}
          data-testid="links-when"
        />
      </Group>
      <Text size="sm" c="dimmed">
        Checked with {SOURCE_HELP[view.source]}, as a Go TLS client and server would: chains, the address dialed, usages, validity, keys, identities.
      </Text>
      <QueryState query={query} label="the link check">
        {(r) => (
          <Stack gap="sm">
            <Group gap="md" wrap="wrap">
              <Text fw={600} c={r.summary.fails ? 'red' : 'green'} data-testid="links-summary" data-fails={r.summary.fails}>
                {r.summary.ok} of {r.summary.total} links work
              </Text>
              {coverageText(r) && (
                <Text size="sm" c="dimmed" data-testid="links-coverage">
                  {coverageText(r)}
                  {r.nodes?.oldestCheck && (
                    <>
                      , oldest look <DateTime value={r.nodes.oldestCheck} size="sm" c="dimmed" />
                    </>
                  )}
                </Text>
              )}
            </Group>
            {r.pendingChange && view.source !== 'planned' && (
              <Alert color="yellow" data-testid="links-pending">
                The saved topology has changes that are not applied yet. These links follow the topology in force; Planned shows what the change breaks until it is applied and distributed.
              </Alert>
            )}
            {r.checks.map((c) => (
              <Text key={c.name} size="sm" c={c.verdict === 'ok' ? undefined : 'red'} data-testid="links-check" data-verdict={c.verdict}>
                {c.name}: {c.verdict === 'ok' ? 'agrees' : c.reasons.map(reasonLine).join('; ')}
              </Text>
            ))}
            <Group gap="md" wrap="wrap">
              <Switch
                checked={failingOnly}
                onChange={(e) => {
                  setFailingOnly(e.currentTarget.checked);
                  setPage(1);
                }}
                label={`Failing links only (${r.summary.fails})`}
                data-testid="links-failing-only"
              />
              <TextInput
                placeholder="Filter: node, component, address, reason"
                value={text}
                onChange={(e) => {
                  setText(e.currentTarget.value);
                  setPage(1);
                }}
                w={320}
                aria-label="Filter links"
                data-testid="links-filter"
              />
              <Text size="sm" c="dimmed" role="status" data-testid="links-matched" data-matched={r.page?.matched ?? r.edges.length} data-updating={query.isPlaceholderData || undefined}>
                {query.isPlaceholderData ? 'Updating…' : `${r.page?.matched ?? r.edges.length} match`}
              </Text>
            </Group>
            <LinksTable edges={r.edges} matched={r.page?.matched ?? r.edges.length} page={page} onPage={setPage} />
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}
