/** Every page of a cluster: the expiry banner (when anything is in warning or worse) above the page. */
import { getRouteApi, Outlet } from '@tanstack/react-router';
import { ExpiryBanner } from '../../features/lifecycle/components/expiry-banner.tsx';

const api = getRouteApi('/clusters/$cluster');

export function ClusterFrame() {
  const { cluster } = api.useParams();
  return (
    <>
      <ExpiryBanner cluster={cluster} />
      <Outlet />
    </>
  );
}
