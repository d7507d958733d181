/**
 * The shell: header with the product name and the signed-in user, a navbar (a drawer on narrow
 * screens), the page. The sign-in page gets the header only. The role's permissions are provided
 * here to every page (features read them with usePermissions()).
 */
import { AppShell, Burger, Group, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Outlet, useRouterState } from '@tanstack/react-router';
import { AppNav } from './app-nav.tsx';
import { AuthWatch } from './auth-watch.tsx';
import { MAIN_ID, SkipLink } from './skip-link.tsx';
import { useSession } from '../../features/session/api/get-session.ts';
import { UserMenu } from '../../features/session/components/user-menu.tsx';
import { AnchorLink } from '../../components/links.tsx';
import { PermissionsProvider } from '../../components/permissions.tsx';
import { permissionsFromSession } from '../../lib/permissions.ts';

function Brand() {
  return (
    <>
      <AnchorLink to="/" underline="never" c="inherit">
        <Text fw={800} size="lg">
          kpki
        </Text>
      </AnchorLink>
      <Text size="sm" c="dimmed" visibleFrom="md" style={{ flex: 1 }}>
        the PKI of a Kubernetes cluster built the hard way
      </Text>
    </>
  );
}

export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure(false);
  const onSignIn = useRouterState({ select: (s) => s.location.pathname === '/sign-in' });
  const session = useSession();
  const permissions = permissionsFromSession(session.data);

  if (onSignIn) {
    return (
      <AppShell header={{ height: 52 }} padding="md">
        <AuthWatch />
        <SkipLink />
        <AppShell.Header>
          <Group h="100%" px="md" gap="sm">
            <Brand />
          </Group>
        </AppShell.Header>
        <AppShell.Main id={MAIN_ID} tabIndex={-1}>
          <Outlet />
        </AppShell.Main>
      </AppShell>
    );
  }

  return (
    <PermissionsProvider value={permissions}>
      <AuthWatch />
      <SkipLink />
      <AppShell header={{ height: 52 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
        <AppShell.Header>
          <Group h="100%" px="md" gap="sm">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={opened ? 'Close navigation' : 'Open navigation'} />
            <Brand />
            <Group ml="auto">
              <UserMenu />
            </Group>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="xs">
          <AppNav onNavigate={close} />
        </AppShell.Navbar>
        <AppShell.Main id={MAIN_ID} tabIndex={-1}>
          <Outlet />
        </AppShell.Main>
      </AppShell>
    </PermissionsProvider>
  );
}
