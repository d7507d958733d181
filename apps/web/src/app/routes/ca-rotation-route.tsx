/** CA rotation of a cluster (issue 13): a thin route that reads params and search. */
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { CaRotationPage } from '../../features/ca-rotation/components/ca-rotation-page.tsx';

const api = getRouteApi('/clusters/$cluster/ca-rotation');

export function CaRotationRoute() {
  const { cluster } = api.useParams();
  const { job } = api.useSearch();
  const navigate = useNavigate();
  return <CaRotationPage cluster={cluster} jobId={job} onJobChange={(id) => navigate({ to: '/clusters/$cluster/ca-rotation', params: { cluster }, search: { job: id } })} />;
}
