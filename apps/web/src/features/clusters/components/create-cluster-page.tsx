/** New cluster: the editor, blank or pre-filled with the tutorial's preset. */
import type { Cluster } from '@kpki/shared';
import { PageHeader } from '../../../components/page-header.tsx';
import { QueryState } from '../../../components/query-state.tsx';
import { useCreateCluster } from '../api/create-cluster.ts';
import { usePreset } from '../api/get-preset.ts';
import { blankTopology, fromClusterInput } from '../form/form-model.ts';
import { TopologyEditor } from './topology-editor.tsx';
import { useElevation } from '../../../components/use-elevation.tsx';

interface CreateClusterPageProps {
  fromPreset: boolean;
  onCreated: (cluster: Cluster) => void;
  onCancel: () => void;
}

export function CreateClusterPage({ fromPreset, onCreated, onCancel }: CreateClusterPageProps) {
  const preset = usePreset(fromPreset);
  const create = useCreateCluster();
  // a control-plane node with an SSH host decides where the CA key goes
  const elevation = useElevation();
  const submit = (input: Parameters<typeof create.mutateAsync>[0]) => elevation.retry(() => create.mutateAsync(input), 'A control-plane node with an SSH host decides where the CA key goes: it');
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
        {elevation.dialog}
        <TopologyEditor initialValues={blankTopology()} editing={false} submitLabel="Create cluster" onSubmit={submit} onSaved={onCreated} onCancel={onCancel} />
      </>
    );
  }
  return (
    <>
      {header}
      {elevation.dialog}
      <QueryState query={preset} label="the preset">
        {(input) => (
          <TopologyEditor
            initialValues={fromClusterInput(input)}
            editing={false}
            submitLabel="Create cluster"
            onSubmit={submit}
            onSaved={onCreated}
            onCancel={onCancel}
          />
        )}
      </QueryState>
    </>
  );
}
