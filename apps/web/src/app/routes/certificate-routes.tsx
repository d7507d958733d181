import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { holdsCaKey, thresholdsFor } from '@kpki/shared';
import { usePlan } from '../../api/get-plan.ts';
import { tableSearch } from '../../lib/table-query.ts';
import { CERTIFICATE_TABLE_KEYS } from '../table-keys.ts';
import { useCluster } from '../../features/clusters/api/get-cluster.ts';
import { CertificateDetailPage } from '../../features/certificates/components/certificate-detail-page.tsx';
import { CertificatesPage } from '../../features/certificates/components/certificates-page.tsx';
import { KubeconfigsSection } from '../../features/kubeconfigs/components/kubeconfigs-section.tsx';

const listApi = getRouteApi('/clusters/$cluster/certificates');
const detailApi = getRouteApi('/clusters/$cluster/certificates/$name');

export function CertificatesRoute() {
  const { cluster } = listApi.useParams();
  const query = listApi.useSearch();
  const navigate = useNavigate();
  return (
    <CertificatesPage
      cluster={cluster}
      query={query}
      onQueryChange={(q) => navigate({ to: '/clusters/$cluster/certificates', params: { cluster }, search: tableSearch(q, CERTIFICATE_TABLE_KEYS), replace: true })}
    />
  );
}

export function CertificateRoute() {
  const { cluster, name } = detailApi.useParams();
  const { serial } = detailApi.useSearch();
  // the nodes whose bundle holds ca-key.pem, as the plan's files say
  const files = usePlan(cluster).data?.files;
  const caKeyNodes = files ? Object.keys(files).filter((n) => holdsCaKey(files[n])) : null;
  // the cluster (prefetched by the parent route) has the expiry thresholds; the CA has its own (180 and 30 days)
  const data = useCluster(cluster).data;
  const thresholds = data ? thresholdsFor(name, data) : undefined;
  return (
    <CertificateDetailPage
      key={`${name}/${serial ?? ''}`}
      cluster={cluster}
      name={name}
      serial={serial}
      caKeyNodes={caKeyNodes}
      thresholds={thresholds}
      kubeconfigs={<KubeconfigsSection cluster={cluster} filter={{ certificate: name }} />}
    />
  );
}
