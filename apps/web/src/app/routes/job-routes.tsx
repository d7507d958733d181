import { getRouteApi } from '@tanstack/react-router';
import { JobPage } from '../../features/jobs/components/job-page.tsx';
import { JobsPage } from '../../features/jobs/components/jobs-page.tsx';

const listApi = getRouteApi('/clusters/$cluster/jobs');
const jobApi = getRouteApi('/clusters/$cluster/jobs/$jobId');

export function JobsRoute() {
  const { cluster } = listApi.useParams();
  return <JobsPage cluster={cluster} />;
}

export function JobRoute() {
  const { cluster, jobId } = jobApi.useParams();
  return <JobPage key={jobId} cluster={cluster} jobId={jobId} />;
}
