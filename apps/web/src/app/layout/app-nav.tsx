/** The navbar: clusters, and the pages of the cluster being looked at. */
import { Stack, Text } from '@mantine/core';
import { useParams, useRouterState } from '@tanstack/react-router';
import { NavLinkLink } from '../../components/links.tsx';

const CLUSTER_PAGES = [
  { to: '/clusters/$cluster', label: 'Overview', testId: 'nav-overview', exact: true },
  { to: '/clusters/$cluster/certificates', label: 'Certificates', testId: 'nav-certificates' },
  { to: '/clusters/$cluster/talks', label: 'Who talks to whom', testId: 'nav-talks' },
  { to: '/clusters/$cluster/nodes', label: 'Nodes', testId: 'nav-nodes' },
  { to: '/clusters/$cluster/jobs', label: 'Jobs', testId: 'nav-jobs' },
  { to: '/clusters/$cluster/edit', label: 'Topology', testId: 'nav-topology' },
] as const;

export function AppNav({ onNavigate }: { onNavigate: () => void }) {
  const { cluster } = useParams({ strict: false }) as { cluster?: string };
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  return (
    <Stack gap={2} component="nav" aria-label="Main">
      <NavLinkLink to="/" label="Clusters" active={pathname === '/'} onClick={onNavigate} data-testid="nav-clusters" />
      {cluster && cluster !== 'new' && (
        <>
          <Text size="xs" tt="uppercase" fw={700} c="dimmed" mt="md" mb={4} px="sm" data-testid="nav-cluster-name">
            {cluster}
          </Text>
          {CLUSTER_PAGES.map((page) => {
            const href = page.to.replace('$cluster', encodeURIComponent(cluster));
            const active = 'exact' in page ? pathname === href || pathname === `${href}/` : pathname.startsWith(href);
            return (
              <NavLinkLink
                key={page.to}
                to={page.to}
                params={{ cluster }}
                label={page.label}
                active={active}
                onClick={onNavigate}
                data-testid={page.testId}
              />
            );
          })}
        </>
      )}
    </Stack>
  );
}
