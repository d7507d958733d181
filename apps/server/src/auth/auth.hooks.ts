/**
 * Who is asking, and may they? Every /api/v1 route needs a session cookie or an API token
 * (Authorization: Bearer) unless its config says role 'public'. The role a route needs is its
 * config.role, else viewer for GET/HEAD and operator for everything else. Cookie sessions must
 * send the session's CSRF token as x-csrf-token on every unsafe method. Every unsafe request,
 * and every GET marked config.audit, is written to the audit log when the answer is sent; requests
 * nobody signed in for are rate limited, and their rejections aggregated per address and minute
 * (auth/anonymous-requests.ts) instead of one line each (failed sign-ins keep theirs).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.ts';
import { auditDetails } from './audit-details.ts';
import { readCookie, SESSION_COOKIE } from './cookies.ts';
import { roleAtLeast, type Role, type SessionRow, type TokenRef, type User } from '../store/users.repository.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyRequest {
    user: User | null;
    session: (SessionRow & { id: string }) | null;
    /** the API token the request came with, null for a browser session or nobody */
    apiToken: TokenRef | null;
    /**
     * What the route knows about its request that the audit line must say (set by the handler):
     * the node a bundle is of, whether the CA key was in it, the nodes of a distribution. Merged
     * into the line's details; `node` is added to its object too.
     */
    auditFacts: AuditFacts | null;
  }
  interface FastifyContextConfig {
    /** the least role that may call the route; 'public' needs no sign-in */
    role?: Role | 'public';
    /** audit this route under this action name (unsafe methods are audited anyway) */
    audit?: string;
    /** a browser session is needed: API tokens are refused (they never manage users, tokens or passwords) */
    session?: boolean;
  }
}

/** Facts a route adds to its audit line (see FastifyRequest.auditFacts). */
export interface AuditFacts {
  node?: string | null;
  nodes?: string[];
  caKey?: boolean;
  [fact: string]: unknown;
}

function authenticate(req: FastifyRequest) {
  const { users } = req.server.deps;
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) {
    const found = users.tokenUser(auth.slice(7).trim(), req.server.deps.now());
    return found && !found.user.disabled ? { user: found.user, session: null, apiToken: found.token } : { user: null, session: null, apiToken: null };
  }
  const sid = readCookie(req, SESSION_COOKIE);
  if (sid) {
    const s = users.session(sid, req.server.deps.now());
    if (s && !s.user.disabled) return { user: s.user, session: { ...s, id: sid }, apiToken: null };
  }
  return { user: null, session: null, apiToken: null };
}

/** The object an audit line is about: the route's path parameters, or the URL path. */
function auditObject(req: FastifyRequest): string {
  const p = { ...(req.params as Record<string, string> | undefined) };
  if (req.auditFacts?.node && !p.node) p.node = req.auditFacts.node;
  return Object.keys(p).length ? Object.entries(p).map(([k, v]) => `${k}=${v}`).join(' ') : req.url.split('?')[0];
}

/** The details of an audit line: the body without secrets, with the route's facts. */
function lineDetails(req: FastifyRequest): unknown {
  const body = auditDetails(req.body);
  if (!req.auditFacts) return body;
  return body && typeof body === 'object' && !Array.isArray(body) ? { ...body, ...req.auditFacts } : { ...req.auditFacts, ...(body === null ? {} : { body }) };
}

/** Adds the hooks to `app` (the /api/v1 scope); routes registered after it are guarded. */
export function registerAuth(app: FastifyInstance): void {
  app.decorateRequest('user', null);
  app.decorateRequest('session', null);
  app.decorateRequest('apiToken', null);
  app.decorateRequest('auditFacts', null);

  app.addHook('onRequest', async (req: FastifyRequest) => {
    const config = req.routeOptions.config ?? {};
    const { user, session, apiToken } = authenticate(req);
    req.user = user;
    req.session = session;
    req.apiToken = apiToken;
    if (!req.routeOptions.url) return; // not found: answered by the not-found handler
    if (!user && !req.server.deps.anonymous.admit(req.ip)) {
      throw new AppError('RATE_LIMITED', 'too many requests without signing in, from this address or from everyone: wait a minute, or sign in');
    }
    const need = config.role ?? (SAFE.has(req.method) ? 'viewer' : 'operator');
    if (need === 'public') return;
    if (!user) throw new AppError('UNAUTHENTICATED', 'sign in first (POST /api/v1/session) or send Authorization: Bearer <API token>');
    if (!roleAtLeast(user.role, need)) {
      throw new AppError('FORBIDDEN', `this needs the ${need} role; user "${user.username}" is ${user.role}: ask an admin`);
    }
    if (config.session && !session) {
      throw new AppError('FORBIDDEN', 'API tokens cannot manage users, tokens or passwords: sign in with a browser session to do this');
    }
    if (session && !SAFE.has(req.method) && req.headers['x-csrf-token'] !== session.csrfToken) {
      throw new AppError('CSRF_INVALID', 'missing or wrong x-csrf-token header: read the token from GET /api/v1/session');
    }
  });

  app.addHook('onResponse', async (req: FastifyRequest, reply: FastifyReply) => {
    const config = req.routeOptions.config ?? {};
    const { deps } = req.server;
    // nobody signed in and refused: one aggregated line per address and minute, except a failed
    // sign-in (its own line, with the name tried: the sign-in limit keeps them few) and the
    // session probe a signed-out page makes (GET /session answers 401 by design)
    if (!req.user && reply.statusCode >= 400 && (reply.statusCode === 429 || (config.role !== 'public'))) {
      deps.anonymous.reject(req.ip, `${req.method} ${req.routeOptions.url ?? req.url.split('?')[0]}`, reply.statusCode);
      return;
    }
    if (SAFE.has(req.method) && !config.audit) return;
    const body = req.body as { username?: unknown } | undefined;
    const attempted = typeof body?.username === 'string' ? body.username.slice(0, 64) : null;
    deps.audit.append({
      at: deps.now().toISOString(),
      actor: req.user?.username ?? attempted ?? 'anonymous',
      action: config.audit ?? `${req.method} ${req.routeOptions.url ?? req.url.split('?')[0]}`,
      object: auditObject(req),
      address: req.ip,
      result: reply.statusCode < 400 ? 'ok' : `failed (${reply.statusCode})`,
      details: lineDetails(req),
      token: req.apiToken,
    });
  });
}

/** Secrets for admins only (any admin credential): `what` names it in the error. */
export function requireAdmin(req: FastifyRequest, what: string): void {
  if (req.user?.role !== 'admin') throw new AppError('FORBIDDEN', `only an admin may download ${what}: ask an admin`);
}
