/** Users, sign-in and credentials for tests that act as several people. */
import type { FastifyInstance } from 'fastify';
import { reauth } from './app.ts';

import type { Role } from '@kpki/shared';

export type { Role };

/** Headers of a signed-in browser session: the cookie and the CSRF token. */
export interface SessionHeaders extends Record<string, string> {
  cookie: string;
  'x-csrf-token': string;
}

type Injector = FastifyInstance & { rawInject: FastifyInstance['inject'] };

/** Signs in over the API (no credentials sent) and returns the session's headers. */
export async function signIn(app: Injector, username: string, password: string, remoteAddress?: string): Promise<SessionHeaders> {
  const res = await app.rawInject({ method: 'POST', url: '/api/v1/session', payload: { username, password }, ...(remoteAddress ? { remoteAddress } : {}) });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'kpki_session');
  if (!cookie) throw new Error('sign-in set no kpki_session cookie');
  return { cookie: `kpki_session=${cookie.value}`, 'x-csrf-token': res.json().csrfToken as string };
}

/** Creates a user as the signed-in admin (`app.inject`, re-entering the password for an admin) and returns its id. */
export async function createUser(app: Injector, username: string, password: string, role: Role): Promise<number> {
  if (role === 'admin') await reauth(app); // an admin can download the CA key: creating one follows the CA key rule
  const res = await app.inject({ method: 'POST', url: '/api/v1/users', payload: { username, password, role } });
  if (res.statusCode !== 201) throw new Error(`create user ${username}: ${res.statusCode} ${res.body}`);
  return res.json().id as number;
}

/**
 * Creates an API token in a browser session: the admin's (`app.inject`) or the session `as`
 * (a token is always its creator's). Returns its id and value.
 */
export async function createToken(app: Injector, name: string, as?: SessionHeaders, lifetimeDays?: number): Promise<{ id: string; token: string; expiresAt: string }> {
  const payload = { name, ...(lifetimeDays ? { lifetimeDays } : {}) };
  const res = as ? await app.rawInject({ method: 'POST', url: '/api/v1/tokens', headers: as, payload }) : await app.inject({ method: 'POST', url: '/api/v1/tokens', payload });
  if (res.statusCode !== 201) throw new Error(`create token ${name}: ${res.statusCode} ${res.body}`);
  const { id, token, expiresAt } = res.json();
  return { id, token, expiresAt };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The least role a route needs, as the auth hook decides it (config.role, else by method). */
export function neededRole(route: { method: string; config: { role?: string } }): string {
  return route.config.role ?? (['GET', 'HEAD', 'OPTIONS'].includes(route.method) ? 'viewer' : 'operator');
}
