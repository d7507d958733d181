/** Edit a cluster's topology. Saving changes the plan; issued certificates stay until re-issued. */
import { Alert } from '@mantine/core';
import type { Cluster } from '@kpki/shared';
import { PageHeader } from '../../../components/page-header.tsx';
import { QueryState } from '../../../components/query-state.tsx';
import { useCluster } from '../api/get-cluster.ts';
import { useUpdateCluster } from '../api/update-cluster.ts';
import { fromClusterInput } from '../form/form-model.ts';
import { TopologyEditor } from './topology-editor.tsx';

export function EditClusterPage({ cluster, onSaved, onCancel }: { cluster: string; onSaved: (c: Cluster) => void; onCancel: () => void }) {
  const query = useCluster(cluster);
  const update = useUpdateCluster(cluster);
  return (
    <>
      <PageHeader title={`Topology of ${cluster}`} description="Nodes, network, keys and subject defaults." />
      <QueryState query={query} label="the cluster">
        {(data) => (
          <>
            {data.hasCa && (
              <Alert color="yellow" mb="md" title="Changes apply at the next issuance">
                Certificates already issued keep their names and SANs until you re-issue from the overview.
              </Alert>
            )}
            <TopologyEditor
              initialValues={fromClusterInput(data)}
              editing
              submitLabel="Save topology"
              onSubmit={update.mutateAsync}
              onSaved={onSaved}
              onCancel={onCancel}
            />
          </>
        )}
      </QueryState>
    </>
  );
}
