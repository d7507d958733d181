/**
 * Users, API tokens and everyone's own password, without HTTP: the password rules, who may change
 * whom (nobody disables themselves or drops their own admin role, so the admin who acts is never
 * the one who locks the last admin out), who may revoke which token, and how long a token lives.
 * Making someone an admin follows the CA key rule (an admin can download the CA key): the route
 * passes that rule for its request as `requireCaKey`.
 */
import { TOKEN_LIFETIME_DAYS, type ApiToken, type Role, type User } from '@kpki/shared';
import type { Deps } from '../context.ts';
import { AppError } from '../lib/errors.ts';
import { checkPasswordRules, hashPassword, verifyPassword } from '../auth/passwords.ts';
import { knownDeviceValue } from '../auth/sign-in-backoff.ts';

const DAY_MS = 86_400_000;

/** The CA key rule of the request that asks; throws to refuse `action`. */
export type RequireCaKey = (action: string) => void;

/** Who asks: the signed-in user (a browser session's `sessionId` stays open when the password changes). */
export interface Actor {
  id: number;
  username: string;
  role: Role;
}

const isoNow = (deps: Deps) => deps.now().toISOString();

export function findUser(deps: Deps, id: number): User {
  const u = deps.users.get(id);
  if (!u) throw new AppError('USER_NOT_FOUND', `user ${id} does not exist`);
  return u;
}

export const listUsers = (deps: Deps): User[] => deps.users.list();

/** @throws AppError USER_EXISTS (names compare without regard to case), VALIDATION_FAILED (password rules), the CA key rule's refusal for an admin */
export async function createUser(deps: Deps, input: { username: string; password: string; role: Role }, requireCaKey: RequireCaKey): Promise<User> {
  const taken = () => new AppError('USER_EXISTS', `user "${input.username}" exists (names compare without regard to case): choose another name`);
  if (deps.users.byName(input.username)) throw taken();
  checkPasswordRules(input.password);
  if (input.role === 'admin') requireCaKey('creating an admin user (an admin can download the CA key)');
  const user = deps.users.create(input.username, await hashPassword(input.password), input.role, isoNow(deps));
  if (!user) throw taken();
  return user;
}

/**
 * Changes a user's role or disables/enables them. Nobody disables themselves or drops their own
 * admin role (another admin does it), so at least the acting admin stays an admin.
 * @throws AppError USER_NOT_FOUND, FORBIDDEN (oneself), the CA key rule's refusal when it makes an admin
 */
export function updateUser(deps: Deps, actor: Actor, id: number, change: { role?: Role; disabled?: boolean }, requireCaKey: RequireCaKey): User {
  const user = findUser(deps, id);
  if (user.id === actor.id && (change.disabled || (change.role && change.role !== 'admin'))) {
    throw new AppError('FORBIDDEN', 'you cannot disable yourself or drop your own admin role: ask another admin');
  }
  if (change.role === 'admin' && user.role !== 'admin') requireCaKey('making a user admin (an admin can download the CA key)');
  deps.users.update(user.id, change, isoNow(deps));
  return findUser(deps, user.id);
}

/**
 * Changes the actor's own password: the current one must be right and the new one follow the
 * rules. Every other session and every API token of the user ends; `keepSession` stays open.
 * Returns the known-device cookie value for the new password (every other browser stops being known).
 * @throws AppError INVALID_CREDENTIALS, VALIDATION_FAILED
 */
export async function changeOwnPassword(
  deps: Deps, actor: Actor, currentPassword: string, newPassword: string, keepSession: string | undefined,
): Promise<{ knownDevice: string }> {
  const me = deps.users.byName(actor.username)!;
  if (!(await verifyPassword(me.passwordHash, currentPassword))) throw new AppError('INVALID_CREDENTIALS', 'the current password is wrong');
  checkPasswordRules(newPassword);
  const passwordHash = await hashPassword(newPassword);
  deps.users.update(me.id, { passwordHash }, isoNow(deps), keepSession);
  return { knownDevice: knownDeviceValue(deps.config.masterKey, { id: me.id, passwordHash }, deps.now()) };
}

/** Admins see every token, everyone else their own. */
export const listTokens = (deps: Deps, actor: Actor): ApiToken[] => deps.users.listTokens(actor.role === 'admin' ? null : actor.id);

/** A new API token of the actor, valid `lifetimeDays` (TOKEN_LIFETIME_DAYS.default when absent); its secret is in this answer only. */
export function createToken(deps: Deps, actor: Actor, name: string, lifetimeDays?: number) {
  const expiresAt = new Date(deps.now().getTime() + (lifetimeDays ?? TOKEN_LIFETIME_DAYS.default) * DAY_MS).toISOString();
  const { id, token } = deps.users.createToken(actor.id, name, isoNow(deps), expiresAt);
  return { id, name, username: actor.username, expiresAt, token, note: 'shown once: store it now' };
}

/**
 * Revokes a token: its owner or an admin.
 * @throws AppError FORBIDDEN (another user's token), NOT_FOUND (no such live token)
 */
export function revokeToken(deps: Deps, actor: Actor, id: string): void {
  const owner = deps.users.tokenOwner(id);
  if (owner !== null && owner !== actor.id && actor.role !== 'admin') {
    throw new AppError('FORBIDDEN', `token ${id} is another user's: only its owner or an admin revokes it`);
  }
  if (owner === null || !deps.users.revokeToken(id, isoNow(deps), `revoked by ${actor.username}`)) {
    throw new AppError('NOT_FOUND', `token ${id} does not exist or is revoked`);
  }
}
