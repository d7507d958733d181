/**
 * Every page of a cluster: the expiry banner (when anything is in warning or worse) and the CA
 * rotation's phase (while one is in progress) above the page. Both read a summary of a few hundred
 * bytes (?view=summary), never the expiry report or the rotation's full answer, and neither imports
 * the page it links to.
 */
import { getRouteApi, Outlet } from '@tanstack/react-router';
import { ExpiryBanner } from '../../features/lifecycle/components/expiry-banner.tsx';
import { CaRotationBanner } from '../../features/ca-rotation/components/ca-rotation-banner.tsx';
import { AnchorLink } from '../../components/links.tsx';

const api = getRouteApi('/clusters/$cluster');

export function ClusterFrame() {
  const { cluster } = api.useParams();
  return (
    <>
      <ExpiryBanner cluster={cluster} />
      <CaRotationBanner
        cluster={cluster}
        link={(label) => (
          <AnchorLink to="/clusters/$cluster/ca-rotation" params={{ cluster }} search={{}} size="sm" data-testid="rotation-banner-link">
            {label}
          </AnchorLink>
        )}
      />
      <Outlet />
    </>
  );
}
