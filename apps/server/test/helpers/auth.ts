/** Users, sign-in and credentials for tests that act as several people. */
import type { FastifyInstance } from 'fastify';

export type Role = 'admin' | 'operator' | 'viewer';

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

/** Creates a user as the signed-in admin (`app.inject`) and returns its id. */
export async function createUser(app: Injector, username: string, password: string, role: Role): Promise<number> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/users', payload: { username, password, role } });
  if (res.statusCode !== 201) throw new Error(`create user ${username}: ${res.statusCode} ${res.body}`);
  return res.json().id as number;
}

/** Creates an API token for `username` as the signed-in admin; returns its id and value. */
export async function createToken(app: Injector, name: string, username?: string): Promise<{ id: string; token: string }> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/tokens', payload: { name, ...(username ? { username } : {}) } });
  if (res.statusCode !== 201) throw new Error(`create token ${name}: ${res.statusCode} ${res.body}`);
  const { id, token } = res.json();
  return { id, token };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The least role a route needs, as the auth hook decides it (config.role, else by method). */
export function neededRole(route: { method: string; config: { role?: string } }): string {
  return route.config.role ?? (['GET', 'HEAD', 'OPTIONS'].includes(route.method) ? 'viewer' : 'operator');
}
