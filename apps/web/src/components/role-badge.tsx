/** A role as a coloured badge: admin red, operator blue, viewer gray. */
import { Badge } from '@mantine/core';

export const ROLE_COLORS: Record<string, string> = { admin: 'red', operator: 'blue', viewer: 'gray' };

export function RoleBadge({ role, testId }: { role: string; testId?: string }) {
  return (
    <Badge variant="light" color={ROLE_COLORS[role] ?? 'gray'} data-testid={testId} data-role={role}>
      {role}
    </Badge>
  );
}
