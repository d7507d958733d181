/** Expiry at a glance: what expires when (issued, CA, on the nodes), and renewal in one click. */
import { useMemo, useState } from 'react';
import { Card, Group, Stack, Switch, Text } from '@mantine/core';
import { needsAttention } from '@kpki/shared';
import { JobProgress } from '../../../components/job-progress.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { ReadOnlyNote, usePermissions } from '../../../components/permissions.tsx';
import { QueryState } from '../../../components/query-state.tsx';
import type { TableQuery } from '../../../lib/table-query.ts';
import { useExpiry } from '../api/get-expiry.ts';
import { RenewDueButtons } from './renew-actions.tsx';
import { ExpiryTable, expiryRows } from './expiry-table.tsx';

interface ExpiryPageProps {
  cluster: string;
  jobId?: string;
  onJobChange: (jobId: string | undefined) => void;
  /** the table's query (the URL's) */
  query?: TableQuery;
  onQueryChange?: (query: TableQuery) => void;
}

export function ExpiryPage({ cluster, jobId, onJobChange, query: tableQuery, onQueryChange }: ExpiryPageProps) {
  const { canOperate } = usePermissions();
  const query = useExpiry(cluster);
  const [distribute, setDistribute] = useState(false);
  const rows = useMemo(() => (query.data ? expiryRows(query.data) : []), [query.data]);
  const due = query.data?.certificates.filter((c) => c.kind !== null && needsAttention(c.state)).length ?? 0;
  return (
    <>
      <PageHeader
        title="Expiry"
        description={
          query.data
            ? `Warning under ${query.data.thresholds.warningDays} days left, critical under ${query.data.thresholds.criticalDays} (the cluster's settings); the CA under ${query.data.caThresholds.warningDays} and ${query.data.caThresholds.criticalDays} days (replacing it is a CA rotation). What the nodes hold is as of their last verify.`
            : 'What expires when.'
        }
        actions={canOperate ? <RenewDueButtons cluster={cluster} onJob={onJobChange} dueCount={due} /> : <ReadOnlyNote what="renew" />}
      />
      <Stack gap="md">
        {jobId && (
          <Card withBorder data-testid="running-job">
            <JobProgress jobId={jobId} />
          </Card>
        )}
        {canOperate && (
          <Group>
            <Switch
              checked={distribute}
              onChange={(e) => setDistribute(e.currentTarget.checked)}
              label="Renew buttons of single certificates also redistribute to the nodes that hold them"
              data-testid="renew-one-distribute"
            />
          </Group>
        )}
        <QueryState query={query} label="expiry">
          {() => (
            <>
              <ExpiryTable
                cluster={cluster}
                rows={rows}
                canOperate={canOperate}
                distribute={distribute}
                onJob={onJobChange}
                query={tableQuery}
                onQueryChange={onQueryChange}
              />
              <Text size="xs" c="dimmed">
                Renewing takes subject, SANs and usages from the current plan, with a new serial and validity; keys are new except the
                service-account pair (a new key would invalidate every service-account token). Earlier versions stay downloadable.
              </Text>
            </>
          )}
        </QueryState>
      </Stack>
    </>
  );
}
