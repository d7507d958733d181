/** Expiry and changes of a cluster (issue 10): thin routes that read params and search. */
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { tableSearch } from '../../lib/table-query.ts';
import { EXPIRY_TABLE_KEYS } from '../table-keys.ts';
import { ChangesPage } from '../../features/lifecycle/components/changes-page.tsx';
import { ExpiryPage } from '../../features/lifecycle/components/expiry-page.tsx';

const expiryApi = getRouteApi('/clusters/$cluster/expiry');
const changesApi = getRouteApi('/clusters/$cluster/changes');

export function ExpiryRoute() {
  const { cluster } = expiryApi.useParams();
  const { job, ...query } = expiryApi.useSearch();
  const navigate = useNavigate();
  return (
    <ExpiryPage
      cluster={cluster}
      jobId={job}
      onJobChange={(id) => navigate({ to: '/clusters/$cluster/expiry', params: { cluster }, search: (prev) => ({ ...prev, job: id }) })}
      query={query}
      onQueryChange={(q) => navigate({ to: '/clusters/$cluster/expiry', params: { cluster }, search: { ...tableSearch(q, EXPIRY_TABLE_KEYS), job }, replace: true })}
    />
  );
}

export function ChangesRoute() {
  const { cluster } = changesApi.useParams();
  const { job } = changesApi.useSearch();
  const navigate = useNavigate();
  return <ChangesPage cluster={cluster} jobId={job} onJobChange={(id) => navigate({ to: '/clusters/$cluster/changes', params: { cluster }, search: { job: id } })} />;
}
