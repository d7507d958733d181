/**
 * The signed-in role's permissions for every feature, without features reading the session
 * themselves: the app layout provides them (from GET /session), features call usePermissions().
 * Outside a provider nothing is allowed (tests wrap components in the role they test). The server
 * enforces the roles anyway; the UI only avoids offering dead buttons.
 */
import { createContext, useContext, type ReactNode } from 'react';
import { Text, type TextProps } from '@mantine/core';
import { NO_PERMISSIONS, type Permissions } from '../lib/permissions.ts';

const PermissionsContext = createContext<Permissions>(NO_PERMISSIONS);

export function PermissionsProvider({ value, children }: { value: Permissions; children: ReactNode }) {
  return <PermissionsContext.Provider value={value}>{children}</PermissionsContext.Provider>;
}

export const usePermissions = () => useContext(PermissionsContext);

/** A short line where an action is not offered to this role, e.g. "The CA key is for admins." */
export function RoleNote({ children, testId = 'role-note', ...props }: { children: ReactNode; testId?: string } & TextProps) {
  return (
    <Text size="xs" c="dimmed" data-testid={testId} {...props}>
      {children}
    </Text>
  );
}

/** "viewer" -> "Your role (viewer) is read-only." */
export function ReadOnlyNote({ what, ...props }: { what?: string } & TextProps) {
  const { role } = usePermissions();
  return (
    <RoleNote testId="read-only-note" {...props}>
      Read-only: your role{role ? ` (${role})` : ''} cannot {what ?? 'change anything here'}.
    </RoleNote>
  );
}
