/** The topology editor's routes: new cluster and edit (a lazy chunk: it carries the schema validator). */
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { CreateClusterPage } from '../../features/clusters/components/create-cluster-page.tsx';
import { EditClusterPage } from '../../features/clusters/components/edit-cluster-page.tsx';

const newApi = getRouteApi('/clusters/new');
const editApi = getRouteApi('/clusters/$cluster/edit');

export function NewClusterRoute() {
  const { from } = newApi.useSearch();
  const navigate = useNavigate();
  return (
    <CreateClusterPage
      key={from ?? 'blank'}
      fromPreset={from === 'preset'}
      onCreated={(c) => navigate({ to: '/clusters/$cluster', params: { cluster: c.name }, search: {} })}
      onCancel={() => navigate({ to: '/' })}
    />
  );
}

export function EditClusterRoute() {
  const { cluster } = editApi.useParams();
  const navigate = useNavigate();
  const back = () => navigate({ to: '/clusters/$cluster', params: { cluster }, search: {} });
  // with certificates issued, a saved edit lands on what it requires: the changes to review and apply
  const saved = (c: { hasCa: boolean }) => (c.hasCa ? navigate({ to: '/clusters/$cluster/changes', params: { cluster }, search: {} }) : back());
  return <EditClusterPage cluster={cluster} onSaved={saved} onCancel={back} />;
}
