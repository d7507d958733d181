import { getRouteApi } from '@tanstack/react-router';
import { CertificateDetailPage } from '../../features/certificates/components/certificate-detail-page.tsx';
import { CertificatesPage } from '../../features/certificates/components/certificates-page.tsx';

const listApi = getRouteApi('/clusters/$cluster/certificates');
const detailApi = getRouteApi('/clusters/$cluster/certificates/$name');

export function CertificatesRoute() {
  const { cluster } = listApi.useParams();
  return <CertificatesPage cluster={cluster} />;
}

export function CertificateRoute() {
  const { cluster, name } = detailApi.useParams();
  const { serial } = detailApi.useSearch();
  return <CertificateDetailPage key={`${name}/${serial ?? ''}`} cluster={cluster} name={name} serial={serial} />;
}
