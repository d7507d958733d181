/** Adopting an existing PKI into a cluster (issue 14): a thin route that reads params and search. */
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useCluster } from '../../features/clusters/api/get-cluster.ts';
import { ImportPage } from '../../features/imports/components/import-page.tsx';
import { verifyAll } from '../../features/nodes/api/verify-all.ts';

const api = getRouteApi('/clusters/$cluster/import');

export function ImportRoute() {
  const { cluster } = api.useParams();
  const search = api.useSearch();
  const navigate = useNavigate();
  const { data: topology } = useCluster(cluster);
  const go = (next: { import?: string; job?: string }) => navigate({ to: '/clusters/$cluster/import', params: { cluster }, search: next });
  return (
    <ImportPage
      cluster={cluster}
      importId={search.import}
      jobId={search.job}
      onImport={(id) => go({ import: id })}
      onJob={(id) => go({ import: search.import, job: id })}
      onVerify={() => verifyAll(cluster)}
      thresholds={topology}
    />
  );
}
