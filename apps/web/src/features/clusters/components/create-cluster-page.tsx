/** New cluster: the editor, blank or pre-filled with the tutorial's preset. */
import type { Cluster } from '@kpki/shared';
import { PageHeader } from '../../../components/page-header.tsx';
import { QueryState } from '../../../components/query-state.tsx';
import { useCreateCluster } from '../api/create-cluster.ts';
import { usePreset } from '../api/get-preset.ts';
import { blankTopology, fromClusterInput } from '../form/form-model.ts';
import { TopologyEditor } from './topology-editor.tsx';

interface CreateClusterPageProps {
  fromPreset: boolean;
  onCreated: (cluster: Cluster) => void;
  onCancel: () => void;
}

export function CreateClusterPage({ fromPreset, onCreated, onCancel }: CreateClusterPageProps) {
  const preset = usePreset(fromPreset);
  const create = useCreateCluster();
  const header = (
    <PageHeader
      title="New cluster"
      description={fromPreset ? "Starting from the tutorial's preset: change what differs in your cluster." : 'Describe your topology: nodes, network, keys.'}
    />
  );
  if (!fromPreset) {
    return (
      <>
        {header}
        <TopologyEditor initialValues={blankTopology()} editing={false} submitLabel="Create cluster" onSubmit={create.mutateAsync} onSaved={onCreated} onCancel={onCancel} />
      </>
    );
  }
  return (
    <>
      {header}
      <QueryState query={preset} label="the preset">
        {(input) => (
          <TopologyEditor
            initialValues={fromClusterInput(input)}
            editing={false}
            submitLabel="Create cluster"
            onSubmit={create.mutateAsync}
            onSaved={onCreated}
            onCancel={onCancel}
          />
        )}
      </QueryState>
    </>
  );
}
