/** Who is signed in and with which role (a link to /account), and sign out; nothing on a server without sign-in. */
import { Button, Group, Tooltip } from '@mantine/core';
import { AnchorLink } from '../../../components/links.tsx';
import { ROLE_COLORS } from '../../../components/role-badge.tsx';
import { useSession } from '../api/get-session.ts';
import { useSignOut } from '../api/sign-in.ts';

export function UserMenu() {
  const session = useSession();
  const signOut = useSignOut();
  const user = session.data?.user;
  if (!user) return null;
  return (
    <Group gap="xs" wrap="nowrap">
      <Tooltip label="Account: your role, change your password">
        <AnchorLink
          to="/account"
          size="sm"
          c="inherit"
          visibleFrom="xs"
          data-testid="signed-in-user"
          data-role={user.role}
          style={{ borderBottom: `2px solid var(--mantine-color-${ROLE_COLORS[user.role] ?? 'gray'}-5)` }}
          underline="never"
        >
          {user.username} ({user.role})
        </AnchorLink>
      </Tooltip>
      <Button size="compact-sm" variant="subtle" onClick={() => signOut.mutate()} loading={signOut.isPending} data-testid="sign-out">
        Sign out
      </Button>
    </Group>
  );
}
