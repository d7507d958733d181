/** /audit (admin): the append-only audit log, newest first, filtered (in the URL) and exported, with "load older", the backup button, retention and archives. */
import { Button, Card, Group, Stack, Text } from '@mantine/core';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { EmptyState, QueryState } from '../../../components/query-state.tsx';
import { useAudit, useAuditCounts, type AuditFilter } from '../api/get-audit.ts';
import { AuditCounts, formatCount } from './audit-counts.tsx';
import { AuditFilters } from './audit-filters.tsx';
import { AuditTable } from './audit-table.tsx';
import { BackupCard } from './backup-card.tsx';
import { ArchivesCard } from './archives-card.tsx';

interface AuditPageProps {
  pageSize?: number;
  filter?: AuditFilter;
  onFilterChange?: (filter: AuditFilter) => void;
}

export function AuditPage({ pageSize, filter = {}, onFilterChange = () => {} }: AuditPageProps) {
  const audit = useAudit(pageSize, filter);
  const counts = useAuditCounts(filter);
  const entries = audit.data?.pages.flat();
  // how many lines the filter keeps: the count of its result, or all of them
  const kept = counts.data && !counts.isPlaceholderData ? (filter.result ? counts.data.byResult[filter.result] : counts.data.total) : undefined;
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Sign-ins, key downloads, issuances, distributions, topology and user changes: who, what, which object, when, from where, with what result. Append-only."
        actions={
          <Button
            variant="default"
            onClick={() => {
              void audit.refetch();
              void counts.refetch();
            }}
            loading={audit.isRefetching && !audit.isFetchingNextPage}
            data-testid="audit-refresh"
          >
            Refresh
          </Button>
        }
      />
      <Stack gap="lg">
        <AuditCounts counts={counts.data} stale={counts.isPlaceholderData} error={counts.isError} filter={filter} onChange={onFilterChange} />
        <AuditFilters filter={filter} onChange={onFilterChange} counts={counts.isPlaceholderData ? undefined : counts.data} />
        <QueryState
          query={{ data: entries, error: audit.isFetchNextPageError ? null : audit.error, isPending: audit.isPending }}
          label="the audit log"
          isEmpty={(items) => items.length === 0}
          empty={<EmptyState title={Object.values(filter).some(Boolean) ? 'No audit entry matches the filters' : 'No audit entries yet'} />}
        >
          {(items) => (
            <Card withBorder padding="xs">
              <AuditTable entries={items} />
              <Group justify="space-between" mt="sm" px="xs">
                <Text size="xs" c="dimmed" data-testid="audit-count">
                  {kept === undefined ? `${formatCount(items.length)} entries shown` : `${formatCount(items.length)} of ${formatCount(kept)} entries shown`}, times in UTC
                </Text>
                {audit.hasNextPage ? (
                  <Button size="xs" variant="light" onClick={() => audit.fetchNextPage()} loading={audit.isFetchingNextPage} data-testid="audit-load-older">
                    Load older
                  </Button>
                ) : (
                  <Text size="xs" c="dimmed" data-testid="audit-end">
                    The oldest entry is shown.
                  </Text>
                )}
              </Group>
              {audit.isFetchNextPageError && <ErrorAlert error={audit.error} title="Could not load older entries" />}
            </Card>
          )}
        </QueryState>
        <BackupCard />
        <ArchivesCard />
      </Stack>
    </>
  );
}
