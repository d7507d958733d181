/** Who is signed in, with a sign-out button; nothing on a server without sign-in. */
import { Button, Group, Text } from '@mantine/core';
import { useSession } from '../api/get-session.ts';
import { useSignOut } from '../api/sign-in.ts';

export function UserMenu() {
  const session = useSession();
  const signOut = useSignOut();
  const user = session.data?.user;
  if (!user) return null;
  return (
    <Group gap="xs" wrap="nowrap">
      <Text size="sm" visibleFrom="xs" data-testid="signed-in-user">
        {user.username} ({user.role})
      </Text>
      <Button size="compact-sm" variant="subtle" onClick={() => signOut.mutate()} loading={signOut.isPending}>
        Sign out
      </Button>
    </Group>
  );
}
