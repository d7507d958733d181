/**
 * What the signed-in role may do, as the UI needs it to hide or disable actions. Pure. The server
 * enforces the same rules (auth.hooks.ts: GET needs viewer, every write operator, users / tokens /
 * audit / backups admin, the CA key admin plus a password re-entry); this only keeps the UI from
 * offering buttons that would answer 403.
 */
import type { Role, SessionInfo } from '@kpki/shared';
// the lists without the schemas: this module is part of every page's first chunk
import { ROLES, roleAtLeast as atLeast } from '@kpki/shared/lists';

export type { Role } from '@kpki/shared';
export { ROLES } from '@kpki/shared/lists';

export interface Permissions {
  /** the signed-in role; null when nobody is signed in */
  role: Role | null;
  /** create, edit and delete clusters, create the CA, issue, distribute, verify, SSH settings, host keys */
  canOperate: boolean;
  /** leaf private keys (`<name>-key.pem`) and bundles without the CA key */
  canDownloadKeys: boolean;
  /** ca-key.pem and the bundles that hold it (after the password is entered again) */
  canDownloadCaKey: boolean;
  /** users, API tokens, the audit log, backups */
  canAdmin: boolean;
}

/** An unknown role string counts as the least one (viewer): the UI never offers more than the server. */
export function parseRole(value: unknown): Role | null {
  if (value === null || value === undefined || value === '') return null;
  return ROLES.includes(value as Role) ? (value as Role) : 'viewer';
}

export const roleAtLeast = (have: Role | null, need: Role) => have !== null && atLeast(have, need);

/** Nothing allowed: signed out, or the session could not be read. */
export const NO_PERMISSIONS: Permissions = {
  role: null,
  canOperate: false,
  canDownloadKeys: false,
  canDownloadCaKey: false,
  canAdmin: false,
};

export function permissionsFor(role: unknown): Permissions {
  const r = parseRole(role);
  if (!r) return NO_PERMISSIONS;
  return {
    role: r,
    canOperate: roleAtLeast(r, 'operator'),
    canDownloadKeys: roleAtLeast(r, 'operator'),
    canDownloadCaKey: r === 'admin',
    canAdmin: r === 'admin',
  };
}

/** From what GET /session said: undefined while unknown, null when signed out. */
export function permissionsFromSession(session: Pick<SessionInfo, 'user'> | null | undefined): Permissions {
  return session ? permissionsFor(session.user.role) : NO_PERMISSIONS;
}

/**
 * Which download links a certificate page offers. The CA key travels in ca-key.pem itself, in the
 * whole-cluster bundle, and in the bundle of every node whose files hold it (holdsCaKey of
 * @kpki/shared over plan.files: the control-plane nodes).
 */
export type DownloadOffer = 'link' | 'reauth' | 'hidden';

export function keyDownloadOffer(p: Permissions, containsCaKey: boolean): DownloadOffer {
  if (containsCaKey) return p.canDownloadCaKey ? 'reauth' : 'hidden';
  return p.canDownloadKeys ? 'link' : 'hidden';
}
