/**
 * Every kind of caller kpki knows, for walks that try one request with each: anonymous, a
 * session and an API token of each role, and an admin session with the password re-entered.
 */
import type { FastifyInstance } from 'fastify';
import { ADMIN_PASSWORD } from './app.ts';
import { bearer, createToken, createUser, signIn, type Role } from './auth.ts';

type Injector = FastifyInstance & { rawInject: FastifyInstance['inject'] };

export type IdentityName =
  | 'anonymous' | 'viewer session' | 'operator session' | 'admin session' | 'elevated admin'
  | 'viewer token' | 'operator token' | 'admin token';

export interface Identity {
  name: IdentityName;
  role: Role | null;
  via: 'none' | 'session' | 'token';
  /** headers for the next request (the elevated admin re-enters the password when its window is nearly over) */
  headers(): Promise<Record<string, string>>;
}

/** What a rule answers each identity: a status and error code, or 'ok' with the success status. */
export type Expectation = { status: number; code?: string };

const ok = (status: number): Expectation => ({ status });
const no = (status: number, code: string): Expectation => ({ status, code });

/** The answers of the CA key rule: only the elevated admin passes. */
export function caKeyRule(success: number): Record<IdentityName, Expectation> {
  return {
    anonymous: no(401, 'UNAUTHENTICATED'),
    'viewer session': no(403, 'FORBIDDEN'), 'viewer token': no(403, 'FORBIDDEN'),
    'operator session': no(403, 'FORBIDDEN'), 'operator token': no(403, 'FORBIDDEN'),
    'admin session': no(403, 'REAUTH_REQUIRED'), 'admin token': no(403, 'REAUTH_REQUIRED'),
    'elevated admin': ok(success),
  };
}

/** The answers of a plain operator route: operators and admins pass, with a session or a token. */
export function operatorRule(success: number): Record<IdentityName, Expectation> {
  return {
    anonymous: no(401, 'UNAUTHENTICATED'),
    'viewer session': no(403, 'FORBIDDEN'), 'viewer token': no(403, 'FORBIDDEN'),
    'operator session': ok(success), 'operator token': ok(success),
    'admin session': ok(success), 'admin token': ok(success), 'elevated admin': ok(success),
  };
}

/**
 * Creates the users vera (viewer), otto (operator) and ada (admin), signs each in from its own
 * loopback address, gives each an API token, and returns the eight identities.
 */
export async function identities(app: Injector): Promise<Identity[]> {
  const password: Record<Role, string> = { viewer: 'vera-password-1', operator: 'otto-password-1', admin: 'ada-password-01' };
  const names: Record<Role, string> = { viewer: 'vera', operator: 'otto', admin: 'ada' };
  const sessions = {} as Record<Role, Record<string, string>>;
  const tokens = {} as Record<Role, string>;
  let host = 20;
  for (const role of ['viewer', 'operator', 'admin'] as const) {
    await createUser(app, names[role], password[role], role);
    sessions[role] = await signIn(app, names[role], password[role], `127.0.5.${host++}`);
    tokens[role] = (await createToken(app, `${names[role]}-token`, names[role])).token;
  }
  const elevated = await signIn(app, 'admin', ADMIN_PASSWORD, `127.0.5.${host}`);
  let until = 0;
  const session = (role: Role) => async () => sessions[role];
  const token = (role: Role) => async () => bearer(tokens[role]);
  return [
    { name: 'anonymous', role: null, via: 'none', headers: async () => ({}) },
    { name: 'viewer session', role: 'viewer', via: 'session', headers: session('viewer') },
    { name: 'operator session', role: 'operator', via: 'session', headers: session('operator') },
    { name: 'admin session', role: 'admin', via: 'session', headers: session('admin') },
    {
      name: 'elevated admin', role: 'admin', via: 'session',
      async headers() {
        if (until - app.deps.now().getTime() < 60_000) {
          const res = await app.rawInject({ method: 'POST', url: '/api/v1/session/reauth', headers: elevated, payload: { password: ADMIN_PASSWORD } });
          if (res.statusCode !== 200) throw new Error(`reauth: ${res.body}`);
          until = Date.parse(res.json().elevatedUntil);
        }
        return elevated;
      },
    },
    { name: 'viewer token', role: 'viewer', via: 'token', headers: token('viewer') },
    { name: 'operator token', role: 'operator', via: 'token', headers: token('operator') },
    { name: 'admin token', role: 'admin', via: 'token', headers: token('admin') },
  ];
}
