/** Nodes of a cluster: state at a glance, distribution to all, the deploy key, the running job. */
import { Card, Stack, Text } from '@mantine/core';
import { ReadOnlyNote, usePermissions } from '../../../components/permissions.tsx';
import { NodeJob } from './node-job.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { QueryState } from '../../../components/query-state.tsx';
import { useNodes } from '../api/get-nodes.ts';
import { DeployKeyCard } from './deploy-key-card.tsx';
import { DistributeAllButton, DistributeWithCaKeyButton, VerifyAllButton, VerifyOffer } from './distribution-actions.tsx';
import { NodesTable } from './nodes-table.tsx';
import { SshSetupCard } from './ssh-setup/ssh-setup-card.tsx';
import type { TableQuery } from '../../../lib/table-query.ts';

interface NodesPageProps {
  cluster: string;
  jobId?: string;
  onJobChange: (jobId: string | undefined) => void;
  /** the table's search, filters, sort and page (the URL's) */
  query?: TableQuery;
  onQueryChange?: (query: TableQuery) => void;
}

export function NodesPage({ cluster, jobId, onJobChange, query, onQueryChange }: NodesPageProps) {
  const { canOperate } = usePermissions();
  const nodes = useNodes(cluster);
  const items = nodes.data ?? [];
  return (
    <>
      <PageHeader
        title="Nodes"
        description="Each node receives only the files of the components it runs. A state compares the SHA-256 and mode of each file kpki last saw on the node with what it must hold now."
        actions={
          canOperate ? (
            <>
              <VerifyAllButton cluster={cluster} onJob={onJobChange} />
              <DistributeAllButton cluster={cluster} onJob={onJobChange} />
              <DistributeWithCaKeyButton cluster={cluster} onJob={onJobChange} />
            </>
          ) : (
            <ReadOnlyNote what="verify or distribute" />
          )
        }
      />
      <Stack gap="lg">
        {!jobId && <VerifyOffer cluster={cluster} nodes={items} onJob={onJobChange} />}
        <QueryState query={nodes} label="nodes">
          {(list) => (
            <>
              <NodesTable cluster={cluster} nodes={list} query={query} onQueryChange={onQueryChange} />
              <Text size="xs" c="dimmed">
                Files: expected files found in sync on the node, against the count the node must hold.
              </Text>
            </>
          )}
        </QueryState>
        {jobId && (
          <Card withBorder data-testid="running-job">
            <NodeJob cluster={cluster} jobId={jobId} onJobChange={onJobChange} />
          </Card>
        )}
        {nodes.data && <SshSetupCard cluster={cluster} nodes={nodes.data} />}
        <DeployKeyCard cluster={cluster} />
      </Stack>
    </>
  );
}
