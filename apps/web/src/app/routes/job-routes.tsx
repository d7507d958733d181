import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { tableSearch } from '../../lib/table-query.ts';
import { JOB_TABLE_KEYS } from '../table-keys.ts';
import { JobPage } from '../../features/jobs/components/job-page.tsx';
import { JobsPage } from '../../features/jobs/components/jobs-page.tsx';

const listApi = getRouteApi('/clusters/$cluster/jobs');
const jobApi = getRouteApi('/clusters/$cluster/jobs/$jobId');

export function JobsRoute() {
  const { cluster } = listApi.useParams();
  const query = listApi.useSearch();
  const navigate = useNavigate();
  return (
    <JobsPage
      cluster={cluster}
      query={query}
      onQueryChange={(q) => navigate({ to: '/clusters/$cluster/jobs', params: { cluster }, search: tableSearch(q, JOB_TABLE_KEYS), replace: true })}
    />
  );
}

export function JobRoute() {
  const { cluster, jobId } = jobApi.useParams();
  return <JobPage key={jobId} cluster={cluster} jobId={jobId} />;
}
