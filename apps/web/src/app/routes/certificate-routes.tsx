import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useMemo } from 'react';
import { thresholdsFor } from '@kpki/shared';
import { planFactsOf } from '../../features/certificates/plan-facts.ts';
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
  // the cluster (prefetched by the route's loader) has the expiry thresholds (the CA has its own: 180 and 30 days)
  // and gives what the page reads of the plan (which nodes' bundles hold ca-key.pem, the certificate's kind), computed here rather than downloaded
  const data = useCluster(cluster).data;
  const facts = useMemo(() => (data ? planFactsOf(data, name) : null), [data, name]);
  const thresholds = data ? thresholdsFor(name, data) : undefined;
  return (
    <CertificateDetailPage
      key={`${name}/${serial ?? ''}`}
      cluster={cluster}
      name={name}
      serial={serial}
      caKeyNodes={facts?.caKeyNodes ?? null}
      kind={facts?.kind ?? null}
      thresholds={thresholds}
      kubeconfigs={<KubeconfigsSection cluster={cluster} filter={{ certificate: name }} />}
    />
  );
}
