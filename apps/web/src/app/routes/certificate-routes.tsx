import { getRouteApi } from '@tanstack/react-router';
import { useCluster } from '../../features/clusters/api/get-cluster.ts';
import { CertificateDetailPage } from '../../features/certificates/components/certificate-detail-page.tsx';
import { CertificatesPage } from '../../features/certificates/components/certificates-page.tsx';
import { nodeBundleHasCaKey } from '../../lib/permissions.ts';

const listApi = getRouteApi('/clusters/$cluster/certificates');
const detailApi = getRouteApi('/clusters/$cluster/certificates/$name');

export function CertificatesRoute() {
  const { cluster } = listApi.useParams();
  return <CertificatesPage cluster={cluster} />;
}

export function CertificateRoute() {
  const { cluster, name } = detailApi.useParams();
  const { serial } = detailApi.useSearch();
  // the cluster is prefetched by the parent route: its control-plane nodes get ca-key.pem in their bundle
  const nodes = useCluster(cluster).data?.nodes;
  const caKeyNodes = nodes ? nodes.filter((n) => nodeBundleHasCaKey(n.role)).map((n) => n.name) : null;
  return <CertificateDetailPage key={`${name}/${serial ?? ''}`} cluster={cluster} name={name} serial={serial} caKeyNodes={caKeyNodes} />;
}
