/**
 * Edit a cluster's topology. Saving changes the plan; issued certificates stay until re-issued.
 * The save is based on the version the editor was opened with (If-Match): when someone else saved
 * in between, the server keeps theirs (412) and the page shows what each side changed and offers
 * to reapply the person's edits on the current version, to review and save again.
 */
import { useEffect, useState } from 'react';
import { Alert, Button, Group, List, Stack, Text } from '@mantine/core';
import type { Cluster, ClusterConflict, ClusterInput } from '@kpki/shared';
import { ApiError } from '../../../api/client.ts';
import { PageHeader } from '../../../components/page-header.tsx';
import { QueryState } from '../../../components/query-state.tsx';
import { CANCELLED } from '../../../components/use-elevation.tsx';
import { useVersionedCluster } from '../../../api/cluster-version.ts';
import { useUpdateCluster } from '../api/update-cluster.ts';
import { fromClusterInput, type TopologyFormValues } from '../form/form-model.ts';
import { asEdited, describeChanges, reapply } from '../form/conflict.ts';
import { TopologyEditor } from './topology-editor.tsx';
import { useElevation } from '../../../components/use-elevation.tsx';

/** What the editor is based on: the version read (or reapplied on) and the values it shows. */
interface Editing {
  base: Cluster;
  etag: string | null;
  values: TopologyFormValues;
  /** remounts the editor with new values */
  round: number;
  /** set after a reapply: the edits kept over the other writer's */
  overlaps?: string[];
}

interface Conflict {
  mine: ClusterInput;
  current: Cluster;
  etag: string;
}

export function EditClusterPage({ cluster, onSaved, onCancel }: { cluster: string; onSaved: (c: Cluster) => void; onCancel: () => void }) {
  const query = useVersionedCluster(cluster);
  const update = useUpdateCluster(cluster);
  // adding a control-plane node, or changing one's role or SSH target, decides where the CA key goes
  const elevation = useElevation();
  const [editing, setEditing] = useState<Editing | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);

  useEffect(() => {
    if (query.data && !editing) setEditing({ base: query.data.cluster, etag: query.data.etag, values: fromClusterInput(query.data.cluster), round: 0 });
  }, [query.data, editing]);

  const save = async (input: ClusterInput): Promise<Cluster> => {
    try {
      const saved = await elevation.retry(() => update.mutateAsync({ input, ifMatch: editing?.etag }), 'This topology change decides where the CA key goes: it');
      return saved.cluster;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'PRECONDITION_FAILED') {
        const details = error.details as ClusterConflict;
        setConflict({ mine: input, current: details.current, etag: details.etag });
        throw new ApiError(412, CANCELLED, 'shown as a conflict'); // the editor keeps the person's values and shows no second error
      }
      throw error;
    }
  };

  const startOver = (current: Cluster, etag: string, values: TopologyFormValues, overlaps?: string[]) => {
    setEditing((e) => ({ base: current, etag, values, round: (e?.round ?? 0) + 1, overlaps }));
    setConflict(null);
  };

  return (
    <>
      <PageHeader title={`Topology of ${cluster}`} documentTitle={['Topology']} description="Nodes, network, keys and subject defaults." />
      <QueryState query={query} label="the cluster">
        {(data) => (
          <>
            {data.cluster.hasCa && (
              <Alert color="yellow" mb="md" title="Saving changes nothing issued yet">
                After saving you review what the change requires (the Changes page): which certificates are re-issued and which
                files each node receives. Only then, if you apply, are they issued and distributed.
              </Alert>
            )}
            {elevation.dialog}
            {conflict && editing && (
              <ConflictPanel
                base={editing.base}
                conflict={conflict}
                onReapply={() => {
                  const { merged, overlaps } = reapply(asEdited(editing.base), conflict.mine, asEdited(conflict.current));
                  startOver(conflict.current, conflict.etag, fromClusterInput(merged), overlaps);
                }}
                onDiscard={() => startOver(conflict.current, conflict.etag, fromClusterInput(conflict.current))}
              />
            )}
            {editing?.overlaps && !conflict && (
              <Alert color="blue" mb="md" role="status" title="Your changes are reapplied on the current topology" data-testid="reapplied">
                Review them and save again.
                {editing.overlaps.length > 0 && ` Both of you changed ${editing.overlaps.join(', ')}: yours is kept here.`}
              </Alert>
            )}
            {editing && (
              <TopologyEditor
                key={editing.round}
                initialValues={editing.values}
                editing
                submitLabel="Save topology"
                onSubmit={save}
                onSaved={onSaved}
                onCancel={onCancel}
              />
            )}
          </>
        )}
      </QueryState>
    </>
  );
}

function ConflictPanel({ base, conflict, onReapply, onDiscard }: { base: Cluster; conflict: Conflict; onReapply: () => void; onDiscard: () => void }) {
  const from = asEdited(base);
  const theirs = describeChanges(from, asEdited(conflict.current));
  const yours = describeChanges(from, conflict.mine);
  return (
    <Alert color="orange" mb="md" role="alert" title="Someone else saved this topology while you edited it" data-testid="topology-conflict">
      <Stack gap="xs">
        <Text size="sm">
          Nothing of yours was saved: the cluster keeps their version (updated {conflict.current.updatedAt}).
        </Text>
        <Text size="sm" fw={600}>They changed</Text>
        <List size="sm" data-testid="conflict-theirs">
          {theirs.length > 0 ? theirs.map((l) => <List.Item key={l}>{l}</List.Item>) : <List.Item>nothing in the topology (its CA or times)</List.Item>}
        </List>
        <Text size="sm" fw={600}>You changed</Text>
        <List size="sm" data-testid="conflict-yours">
          {yours.length > 0 ? yours.map((l) => <List.Item key={l}>{l}</List.Item>) : <List.Item>nothing</List.Item>}
        </List>
        <Group gap="sm">
          <Button size="xs" onClick={onReapply} data-testid="reapply-changes">
            Reapply my changes on theirs
          </Button>
          <Button size="xs" variant="default" onClick={onDiscard} data-testid="discard-changes">
            Discard mine, load theirs
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
