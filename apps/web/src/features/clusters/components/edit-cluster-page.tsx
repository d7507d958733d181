/** Edit a cluster's topology. Saving changes the plan; issued certificates stay until re-issued. */
import { Alert } from '@mantine/core';
import type { Cluster } from '@kpki/shared';
import { PageHeader } from '../../../components/page-header.tsx';
import { QueryState } from '../../../components/query-state.tsx';
import { useCluster } from '../api/get-cluster.ts';
import { useUpdateCluster } from '../api/update-cluster.ts';
import { fromClusterInput } from '../form/form-model.ts';
import { TopologyEditor } from './topology-editor.tsx';
import { useElevation } from '../../../components/use-elevation.tsx';

export function EditClusterPage({ cluster, onSaved, onCancel }: { cluster: string; onSaved: (c: Cluster) => void; onCancel: () => void }) {
  const query = useCluster(cluster);
  const update = useUpdateCluster(cluster);
  // adding a control-plane node, or changing one's role or SSH target, decides where the CA key goes
  const elevation = useElevation();
  return (
    <>
      <PageHeader title={`Topology of ${cluster}`} documentTitle={['Topology']} description="Nodes, network, keys and subject defaults." />
      <QueryState query={query} label="the cluster">
        {(data) => (
          <>
            {data.hasCa && (
              <Alert color="yellow" mb="md" title="Saving changes nothing issued yet">
                After saving you review what the change requires (the Changes page): which certificates are re-issued and which
                files each node receives. Only then, if you apply, are they issued and distributed.
              </Alert>
            )}
            {elevation.dialog}
            <TopologyEditor
              initialValues={fromClusterInput(data)}
              editing
              submitLabel="Save topology"
              onSubmit={(input) => elevation.retry(() => update.mutateAsync(input), 'This topology change decides where the CA key goes: it')}
              onSaved={onSaved}
              onCancel={onCancel}
            />
          </>
        )}
      </QueryState>
    </>
  );
}
