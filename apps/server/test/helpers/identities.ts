/**
 * Every kind of caller kpki knows, for walks that try one request with each: anonymous, a
 * session and an API token of each role, and an admin session with the password re-entered.
 */
import { beforeAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ADMIN_PASSWORD, issuedCluster, useTestApp, type AppFixture } from './app.ts';
import { bearer, createToken, createUser, signIn, type Role, type SessionHeaders } from './auth.ts';

type Injector = FastifyInstance & { rawInject: FastifyInstance['inject'] };

export type IdentityName =
  | 'anonymous' | 'viewer session' | 'operator session' | 'admin session' | 'elevated admin'
  | 'viewer token' | 'operator token' | 'admin token';

export interface Identity {
  name: IdentityName;
  role: Role | null;
  via: 'none' | 'session' | 'token';
  username: string | null;
  /** the id of this user's own API token (created in its session) */
  tokenId: string | null;
  /** headers for the next request (the elevated admin re-enters the password when its window is nearly over) */
  headers(): Promise<Record<string, string>>;
}

/** What a rule answers each identity: a status and error code, or 'ok' with the success status. */
export type Expectation = { status: number; code?: string };

const ok = (status: number): Expectation => ({ status });
const no = (status: number, code: string): Expectation => ({ status, code });

/** The password of each identity's user (the elevated admin is the first admin). */
export const PASSWORDS: Record<string, string> = { vera: 'vera-password-1', otto: 'otto-password-1', ada: 'ada-password-01', admin: ADMIN_PASSWORD };

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

/**
 * The answers of an admin route that needs a browser session (users, other users' tokens):
 * admin sessions pass (`elevated`: only the one with the password re-entered), tokens never.
 */
export function adminSessionRule(success: number, elevated = false): Record<IdentityName, Expectation> {
  return {
    anonymous: no(401, 'UNAUTHENTICATED'),
    'viewer session': no(403, 'FORBIDDEN'), 'viewer token': no(403, 'FORBIDDEN'),
    'operator session': no(403, 'FORBIDDEN'), 'operator token': no(403, 'FORBIDDEN'),
    'admin session': elevated ? no(403, 'REAUTH_REQUIRED') : ok(success), 'admin token': no(403, 'FORBIDDEN'),
    'elevated admin': ok(success),
  };
}

/** The answers of a route for every signed-in user that needs a browser session (own tokens, own password). */
export function ownSessionRule(success: number): Record<IdentityName, Expectation> {
  return {
    anonymous: no(401, 'UNAUTHENTICATED'),
    'viewer session': ok(success), 'operator session': ok(success), 'admin session': ok(success), 'elevated admin': ok(success),
    'viewer token': no(403, 'FORBIDDEN'), 'operator token': no(403, 'FORBIDDEN'), 'admin token': no(403, 'FORBIDDEN'),
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
  const names: Record<Role, string> = { viewer: 'vera', operator: 'otto', admin: 'ada' };
  const password = (role: Role) => PASSWORDS[names[role]];
  const sessions = {} as Record<Role, Record<string, string>>;
  const tokens = {} as Record<Role, string>;
  const tokenIds = {} as Record<Role, string>;
  let host = 20;
  for (const role of ['viewer', 'operator', 'admin'] as const) {
    await createUser(app, names[role], password(role), role);
    sessions[role] = await signIn(app, names[role], password(role), `127.0.5.${host++}`);
    const t = await createToken(app, `${names[role]}-token`, sessions[role] as SessionHeaders);
    tokens[role] = t.token;
    tokenIds[role] = t.id;
  }
  const elevated = await signIn(app, 'admin', ADMIN_PASSWORD, `127.0.5.${host}`);
  const elevatedToken = await createToken(app, 'admin-token', elevated);
  let until = 0;
  const session = (role: Role) => async () => sessions[role];
  const token = (role: Role) => async () => bearer(tokens[role]);
  const own = (role: Role) => ({ username: names[role], tokenId: tokenIds[role] });
  return [
    { name: 'anonymous', role: null, via: 'none', username: null, tokenId: null, headers: async () => ({}) },
    { name: 'viewer session', role: 'viewer', via: 'session', ...own('viewer'), headers: session('viewer') },
    { name: 'operator session', role: 'operator', via: 'session', ...own('operator'), headers: session('operator') },
    { name: 'admin session', role: 'admin', via: 'session', ...own('admin'), headers: session('admin') },
    {
      name: 'elevated admin', role: 'admin', via: 'session', username: 'admin', tokenId: elevatedToken.id,
      async headers() {
        if (until - app.deps.now().getTime() < 60_000) {
          const res = await app.rawInject({ method: 'POST', url: '/api/v1/session/reauth', headers: elevated, payload: { password: ADMIN_PASSWORD } });
          if (res.statusCode !== 200) throw new Error(`reauth: ${res.body}`);
          until = Date.parse(res.json().elevatedUntil);
        }
        return elevated;
      },
    },
    { name: 'viewer token', role: 'viewer', via: 'token', ...own('viewer'), headers: token('viewer') },
    { name: 'operator token', role: 'operator', via: 'token', ...own('operator'), headers: token('operator') },
    { name: 'admin token', role: 'admin', via: 'token', ...own('admin'), headers: token('admin') },
  ];
}

/** The eight identities of `identities(app)`, by name. */
export async function identitiesByName(app: Injector): Promise<Record<IdentityName, Identity>> {
  return Object.fromEntries((await identities(app)).map((i) => [i.name, i])) as Record<IdentityName, Identity>;
}

/** A describe block's app with the preset issued and every identity (useIdentities): set before its tests run. */
export interface IdentitiesFixture extends AppFixture {
  cluster: string;
  who: Record<IdentityName, Identity>;
  /** the sessions of vera (viewer), otto (operator) and ada (admin, password not re-entered) */
  viewer: Record<string, string>;
  operator: Record<string, string>;
  admin: Record<string, string>;
}

/** In a describe block: an app (useTestApp) with the preset issued and the eight identities, before its tests. */
export function useIdentities(): IdentitiesFixture {
  const fx = useTestApp() as IdentitiesFixture;
  beforeAll(async () => {
    fx.cluster = await issuedCluster(fx.app);
    fx.who = await identitiesByName(fx.app);
    fx.viewer = await fx.who['viewer session'].headers();
    fx.operator = await fx.who['operator session'].headers();
    fx.admin = await fx.who['admin session'].headers();
  });
  return fx;
}
