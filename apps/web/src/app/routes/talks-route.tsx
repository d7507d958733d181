import { getRouteApi } from '@tanstack/react-router';
import { TalksPage } from '../../features/plan/components/talks-page.tsx';

const api = getRouteApi('/clusters/$cluster/talks');

export function TalksRoute() {
  const { cluster } = api.useParams();
  return <TalksPage cluster={cluster} />;
}
