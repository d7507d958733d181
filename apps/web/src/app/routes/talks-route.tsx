/**
 * Who talks to whom, composed: the plan's matrix (features/plan) with the link check's verdict
 * per kind of connection and the list of links (features/links). Source and time live in the URL.
 */
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { TalksPage } from '../../features/plan/components/talks-page.tsx';
import { useLinks } from '../../features/links/api/get-links.ts';
import { LinksPanel, type LinksView } from '../../features/links/components/links-panel.tsx';
import { RowVerdict } from '../../features/links/components/row-verdict.tsx';

const api = getRouteApi('/clusters/$cluster/talks');

export function TalksRoute() {
  const { cluster } = api.useParams();
  const search = api.useSearch();
  const view: LinksView = { source: search.source ?? 'deployed', inDays: search.inDays ?? 0 };
  const navigate = useNavigate();
  const links = useLinks(cluster, view.source, view.inDays);
  // per kind of connection, counted by the server over every link (the page holds only some of them)
  const rowBadges = links.data?.rows.map((v, i) => <RowVerdict key={i} {...v} />);
  return (
    <TalksPage
      cluster={cluster}
      rowBadges={rowBadges}
      links={<LinksPanel cluster={cluster} view={view} onChange={(next) => navigate({ to: '/clusters/$cluster/talks', params: { cluster }, search: { source: next.source === 'deployed' ? undefined : next.source, inDays: next.inDays || undefined }, replace: true })} />}
    />
  );
}
