/**
 * The navbar: clusters, the pages of the cluster being looked at, and the administration pages
 * (admins only). The router marks the current link (aria-current="page"), which Mantine's NavLink
 * styles as active.
 */
import { Stack, Text } from '@mantine/core';
import { useParams } from '@tanstack/react-router';
import { NavLinkLink } from '../../components/links.tsx';
import { usePermissions } from '../../components/permissions.tsx';

const CLUSTER_PAGES = [
  { to: '/clusters/$cluster', label: 'Overview', testId: 'nav-overview', exact: true },
  { to: '/clusters/$cluster/certificates', label: 'Certificates', testId: 'nav-certificates', exact: false },
  { to: '/clusters/$cluster/talks', label: 'Who talks to whom', testId: 'nav-talks', exact: false },
  { to: '/clusters/$cluster/nodes', label: 'Nodes', testId: 'nav-nodes', exact: false },
  { to: '/clusters/$cluster/expiry', label: 'Expiry', testId: 'nav-expiry', exact: false },
  { to: '/clusters/$cluster/changes', label: 'Changes', testId: 'nav-changes', exact: false },
  { to: '/clusters/$cluster/ca-rotation', label: 'CA rotation', testId: 'nav-ca-rotation', exact: false },
  { to: '/clusters/$cluster/import', label: 'Adopt existing PKI', testId: 'nav-import', exact: false },
  { to: '/clusters/$cluster/jobs', label: 'Jobs', testId: 'nav-jobs', exact: false },
  { to: '/clusters/$cluster/edit', label: 'Topology', testId: 'nav-topology', exact: false },
] as const;

function Heading({ children, testId }: { children: string; testId?: string }) {
  return (
    <Text size="xs" tt="uppercase" fw={700} c="dimmed" mt="md" mb={4} px="sm" data-testid={testId}>
      {children}
    </Text>
  );
}

export function AppNav({ onNavigate }: { onNavigate: () => void }) {
  const { cluster } = useParams({ strict: false }) as { cluster?: string };
  const { canAdmin, role } = usePermissions();
  return (
    <Stack gap={2} component="nav" aria-label="Main">
      <NavLinkLink to="/" label="Clusters" activeOptions={{ exact: true }} onClick={onNavigate} data-testid="nav-clusters" />
      {cluster && (
        <>
          <Heading testId="nav-cluster-name">{cluster}</Heading>
          {CLUSTER_PAGES.map((page) => (
            <NavLinkLink
              key={page.to}
              to={page.to}
              params={{ cluster }}
              label={page.label}
              activeOptions={{ exact: page.exact, includeSearch: false }}
              onClick={onNavigate}
              data-testid={page.testId}
            />
          ))}
        </>
      )}
      {role && (
        <>
          <Heading>{canAdmin ? 'Administration' : 'You'}</Heading>
          {canAdmin && (
            <>
              <NavLinkLink to="/users" label="Users" onClick={onNavigate} data-testid="nav-users" />
              <NavLinkLink to="/audit" label="Audit" onClick={onNavigate} data-testid="nav-audit" />
            </>
          )}
          <NavLinkLink to="/account" label="Account" onClick={onNavigate} data-testid="nav-account" />
        </>
      )}
    </Stack>
  );
}
