import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { tableSearch } from '../../lib/table-query.ts';
import { NODE_TABLE_KEYS } from '../table-keys.ts';
import { NodePage } from '../../features/nodes/components/node-page.tsx';
import { NodesPage } from '../../features/nodes/components/nodes-page.tsx';
import { NodeLinks } from '../../features/links/components/node-links.tsx';
import { KubeconfigsSection } from '../../features/kubeconfigs/components/kubeconfigs-section.tsx';

const listApi = getRouteApi('/clusters/$cluster/nodes');
const nodeApi = getRouteApi('/clusters/$cluster/nodes/$node');

export function NodesRoute() {
  const { cluster } = listApi.useParams();
  const { job, ...query } = listApi.useSearch();
  const navigate = useNavigate();
  return (
    <NodesPage
      cluster={cluster}
      jobId={job}
      onJobChange={(id) => navigate({ to: '/clusters/$cluster/nodes', params: { cluster }, search: (prev) => ({ ...prev, job: id }) })}
      query={query}
      onQueryChange={(q) => navigate({ to: '/clusters/$cluster/nodes', params: { cluster }, search: { ...tableSearch(q, NODE_TABLE_KEYS), job }, replace: true })}
    />
  );
}

export function NodeRoute() {
  const { cluster, node } = nodeApi.useParams();
  const { job } = nodeApi.useSearch();
  const navigate = useNavigate();
  return (
    <NodePage
      key={node}
      cluster={cluster}
      node={node}
      jobId={job}
      onJobChange={(id) => navigate({ to: '/clusters/$cluster/nodes/$node', params: { cluster, node }, search: { job: id } })}
      links={<NodeLinks cluster={cluster} node={node} />}
      kubeconfigs={<KubeconfigsSection cluster={cluster} filter={{ node }} />}
    />
  );
}
