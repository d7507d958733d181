/**
 * Sign-in, sign-out and password re-entry, without HTTP: the credential check, the per-username
 * backoff with its known-device exemption, and how long a session and an elevation last. The
 * route reads and writes the cookies; this module decides what they hold.
 */
import type { User } from '@kpki/shared';
import type { Deps } from '../context.ts';
import { AppError } from '../lib/errors.ts';
import { verifyPassword } from '../auth/passwords.ts';
import { isKnownDevice, KNOWN_DEVICE_MS, knownDeviceValue } from '../auth/sign-in-backoff.ts';

/** How long a browser session lasts after sign-in. */
export const SESSION_TTL_MS = 12 * 3600_000;
/** How long a password re-entry lets the session move the CA key. */
export const REAUTH_MS = 5 * 60_000;
export { KNOWN_DEVICE_MS };

export interface SignedIn {
  user: User;
  /** the new session's id (the session cookie's value) and its CSRF token */
  session: { id: string; csrfToken: string };
  sessionTtlMs: number;
  /** the known-device cookie's new value: this browser signed in as `user` */
  knownDevice: string;
}

/**
 * Checks a username and password. The per-username backoff slows guessers with many addresses;
 * a browser that signed in as this user before (`deviceCookie`, known-device) is not held by it,
 * so the real user is never locked out.
 * @throws AppError RATE_LIMITED (details.retryAfterSeconds) while the name's backoff holds;
 *   INVALID_CREDENTIALS for a wrong name or password or a disabled user (the same answer for each)
 */
export async function signIn(deps: Deps, username: string, password: string, deviceCookie: string | undefined): Promise<SignedIn> {
  const found = deps.users.byName(username);
  const { masterKey } = deps.config;
  if (!(found && isKnownDevice(masterKey, deviceCookie, found, deps.now()))) {
    const wait = deps.signInBackoff.waitFor(username);
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      throw new AppError('RATE_LIMITED', `too many failed sign-ins for the user name "${username}": the next attempt is checked in ${seconds} s ` +
        '(a browser that signed in as this user in the last 30 days is not held)', { retryAfterSeconds: seconds });
    }
  }
  const ok = await verifyPassword(found?.passwordHash ?? null, password);
  if (!found || !ok || found.disabled) {
    deps.signInBackoff.failed(username);
    throw new AppError('INVALID_CREDENTIALS', 'wrong username or password (or the user is disabled)');
  }
  const session = deps.users.createSession(found.id, deps.now(), SESSION_TTL_MS);
  return { user: deps.users.get(found.id)!, session, sessionTtlMs: SESSION_TTL_MS, knownDevice: knownDeviceValue(masterKey, found, deps.now()) };
}

/** Ends a browser session (an API token has none: nothing to end). */
export function signOut(deps: Deps, sessionId: string | undefined): void {
  if (sessionId) deps.users.deleteSession(sessionId);
}

/**
 * The password re-entered in browser session `sessionId`: for the next REAUTH_MS the session may
 * move the CA key (auth/ca-key-rule.ts).
 * @throws AppError REAUTH_REQUIRED without a browser session (API tokens never move the CA key); INVALID_CREDENTIALS
 */
export async function reauthenticate(deps: Deps, sessionId: string | undefined, username: string, password: string): Promise<{ elevatedUntil: string }> {
  if (!sessionId) throw new AppError('REAUTH_REQUIRED', 'password re-entry works for browser sessions only; API tokens never download the CA key');
  const found = deps.users.byName(username);
  if (!(await verifyPassword(found?.passwordHash ?? null, password))) throw new AppError('INVALID_CREDENTIALS', 'wrong password');
  const until = new Date(deps.now().getTime() + REAUTH_MS);
  deps.users.elevate(sessionId, until);
  return { elevatedUntil: until.toISOString() };
}
