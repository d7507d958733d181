/** Sign-in (per-address limit, per-username backoff, known devices), sign-out, the CSRF token, and password re-entry for the CA key. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { AppError } from '../lib/errors.ts';
import { clearCookie, DEVICE_COOKIE, readCookie, SESSION_COOKIE, writeCookie } from '../auth/cookies.ts';
import { verifyPassword } from '../auth/passwords.ts';
import { isKnownDevice, KNOWN_DEVICE_MS, knownDeviceValue } from '../auth/sign-in-backoff.ts';

const SESSION_TTL_MS = 12 * 3600_000;
const REAUTH_MS = 5 * 60_000;
const Credentials = Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 1024 }) }, { additionalProperties: false });

export const sessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  const tags = ['session'];

  app.get('/session', { schema: { tags }, config: { role: 'public' } }, async (req) => {
    if (!req.user) throw new AppError('UNAUTHENTICATED', 'not signed in: POST /api/v1/session with {username, password}');
    return { user: req.user, csrfToken: req.session?.csrfToken ?? null, via: req.session ? 'session' : 'token', elevatedUntil: req.session?.elevatedUntil ?? null };
  });

  app.post('/session', {
    schema: { tags, body: Credentials },
    config: { role: 'public', audit: 'sign-in', rateLimit: { max: 10, timeWindow: 60_000 } },
  }, async (req, reply) => {
    const { username, password } = req.body;
    const found = deps.users.byName(username);
    const { masterKey } = deps.config;
    // the per-username backoff slows guessers with many addresses; a browser that signed in as
    // this user before (known-device cookie) is not held by it, so the real user is never locked out
    if (!(found && isKnownDevice(masterKey, readCookie(req, DEVICE_COOKIE), found, deps.now()))) {
      const wait = deps.signInBackoff.waitFor(username);
      if (wait > 0) {
        const seconds = Math.ceil(wait / 1000);
        reply.header('retry-after', String(seconds));
        throw new AppError('RATE_LIMITED', `too many failed sign-ins for the user name "${username}": the next attempt is checked in ${seconds} s ` +
          '(a browser that signed in as this user in the last 30 days is not held)', { retryAfterSeconds: seconds });
      }
    }
    const ok = await verifyPassword(found?.passwordHash ?? null, password);
    if (!found || !ok || found.disabled) {
      deps.signInBackoff.failed(username);
      throw new AppError('INVALID_CREDENTIALS', 'wrong username or password (or the user is disabled)');
    }
    const { id, csrfToken } = deps.users.createSession(found.id, deps.now(), SESSION_TTL_MS);
    writeCookie(req, reply, SESSION_COOKIE, id, SESSION_TTL_MS);
    writeCookie(req, reply, DEVICE_COOKIE, knownDeviceValue(masterKey, found, deps.now()), KNOWN_DEVICE_MS);
    req.user = deps.users.get(found.id);
    return { user: req.user, csrfToken, via: 'session' };
  });

  app.delete('/session', { schema: { tags }, config: { role: 'viewer', audit: 'sign-out' } }, async (req, reply) => {
    if (req.session) deps.users.deleteSession(req.session.id);
    clearCookie(req, reply, SESSION_COOKIE);
    return reply.status(204).send();
  });

  /** Re-enter the password: for the next 5 minutes this session may download the CA key. */
  app.post('/session/reauth', {
    schema: { tags, body: Type.Object({ password: Type.String({ minLength: 1, maxLength: 1024 }) }, { additionalProperties: false }) },
    config: { role: 'admin', audit: 'reauth', rateLimit: { max: 10, timeWindow: 60_000 } },
  }, async (req) => {
    if (!req.session) throw new AppError('REAUTH_REQUIRED', 'password re-entry works for browser sessions only; API tokens never download the CA key');
    const found = deps.users.byName(req.user!.username);
    if (!(await verifyPassword(found?.passwordHash ?? null, req.body.password))) throw new AppError('INVALID_CREDENTIALS', 'wrong password');
    const until = new Date(deps.now().getTime() + REAUTH_MS);
    deps.users.elevate(req.session.id, until);
    return { elevatedUntil: until.toISOString() };
  });
};
