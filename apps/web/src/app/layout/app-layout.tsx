/** The shell: header with the product name, a navbar (a drawer on narrow screens), the page. */
import { Anchor, AppShell, Burger, Group, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Outlet } from '@tanstack/react-router';
import { AppNav } from './app-nav.tsx';
import { UserMenu } from '../../features/session/components/user-menu.tsx';
import { SessionBanner } from './session-banner.tsx';
import { AnchorLink } from '../../components/links.tsx';

export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure(false);
  return (
    <AppShell header={{ height: 52 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" gap="sm">
          <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={opened ? 'Close navigation' : 'Open navigation'} />
          <AnchorLink to="/" underline="never" c="inherit">
            <Text fw={800} size="lg">
              kpki
            </Text>
          </AnchorLink>
          <Text size="sm" c="dimmed" visibleFrom="md" style={{ flex: 1 }}>
            the PKI of a Kubernetes cluster built the hard way
          </Text>
          <Group ml="auto">
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <AppNav onNavigate={close} />
      </AppShell.Navbar>
      <AppShell.Main>
        <SessionBanner />
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
