/** Start: how to begin when kpki is empty, and the list of clusters otherwise. */
import { Anchor, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import type { Cluster } from '@kpki/shared';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { ReadOnlyNote, usePermissions } from '../../../components/permissions.tsx';
import { PageHeader, useDocumentTitle } from '../../../components/page-header.tsx';
import { QueryState } from '../../../components/query-state.tsx';
import { useCreateClusterFromPreset } from '../api/create-cluster.ts';
import { useClusters } from '../api/get-clusters.ts';
import { ClusterList } from './cluster-list.tsx';
import { DeletedClustersCard } from './deleted-clusters-card.tsx';
import { ButtonLink } from '../../../components/links.tsx';

function CreateActions({ onCreated, prominent }: { onCreated: (c: Cluster) => void; prominent: boolean }) {
  const { canOperate } = usePermissions();
  const fromPreset = useCreateClusterFromPreset();
  if (!canOperate) return <ReadOnlyNote what="create clusters (operators and admins do)" size="sm" />;
  return (
    <Stack gap="xs">
      <Group gap="sm" wrap="wrap">
        <Button
          size={prominent ? 'md' : 'sm'}
          loading={fromPreset.isPending}
          onClick={() => fromPreset.mutate(undefined, { onSuccess: onCreated })}
          data-testid="create-from-preset"
        >
          Create from the tutorial's preset
        </Button>
        <ButtonLink to="/clusters/new" search={{ from: 'preset' }} variant="light" size={prominent ? 'md' : 'sm'} data-testid="edit-preset">
          Edit the preset first
        </ButtonLink>
        <ButtonLink to="/clusters/new" search={{}} variant="default" size={prominent ? 'md' : 'sm'} data-testid="create-from-scratch">
          Start from scratch
        </ButtonLink>
      </Group>
      {fromPreset.error && <ErrorAlert error={fromPreset.error} title="Could not create the cluster" />}
    </Stack>
  );
}

export function StartPage({ onCreated }: { onCreated: (cluster: Cluster) => void }) {
  const clusters = useClusters();
  useDocumentTitle(['Clusters']);
  return (
    <QueryState query={clusters} label="clusters">
      {(items) =>
        items.length === 0 ? (
          <Stack maw={760} mx="auto" mt="lg">
          <Card withBorder padding="xl" data-testid="start-empty">
            <Stack gap="md">
              <Title order={1} size="h2">Run your cluster's PKI from here</Title>
              <Text>
                kpki creates the certificate authority, issues every component certificate, pushes each node its files over SSH
                and shows who talks to whom. Begin with the tutorial's topology as it is, change it
                first, or describe your own.
              </Text>
              <CreateActions onCreated={onCreated} prominent />
              <Text size="sm" c="dimmed">
                Nothing is issued yet: you will review the plan before anything is signed. See the{' '}
                <Anchor href="/api/docs" target="_blank" rel="noreferrer">
                  API documentation
                </Anchor>{' '}
                for scripting.
              </Text>
            </Stack>
          </Card>
          <DeletedClustersCard />
          </Stack>
        ) : (
          <>
            <PageHeader title="Clusters" description={`${items.length} cluster${items.length === 1 ? '' : 's'}`} />
            <Stack gap="lg">
              <ClusterList clusters={items} />
              <Card withBorder>
                <Text fw={600} mb="xs">
                  Another cluster
                </Text>
                <CreateActions onCreated={onCreated} prominent={false} />
              </Card>
              <DeletedClustersCard />
            </Stack>
          </>
        )
      }
    </QueryState>
  );
}
