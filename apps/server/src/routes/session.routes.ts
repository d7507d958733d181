/** Sign-in (per-address limit, per-username backoff, known devices), sign-out, the CSRF token, and password re-entry for the CA key. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { AppError } from '../lib/errors.ts';
import { clearCookie, DEVICE_COOKIE, readCookie, SESSION_COOKIE, writeCookie } from '../auth/cookies.ts';
import { KNOWN_DEVICE_MS, reauthenticate, signIn, signOut } from '../services/session.service.ts';

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
    const signedIn = await signIn(deps, req.body.username, req.body.password, readCookie(req, DEVICE_COOKIE)).catch((err) => {
      const wait = err instanceof AppError && err.code === 'RATE_LIMITED' ? (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds : undefined;
      if (wait) reply.header('retry-after', String(wait));
      throw err;
    });
    writeCookie(req, reply, SESSION_COOKIE, signedIn.session.id, signedIn.sessionTtlMs);
    writeCookie(req, reply, DEVICE_COOKIE, signedIn.knownDevice, KNOWN_DEVICE_MS);
    req.user = signedIn.user;
    return { user: signedIn.user, csrfToken: signedIn.session.csrfToken, via: 'session' };
  });

  app.delete('/session', { schema: { tags }, config: { role: 'viewer', audit: 'sign-out' } }, async (req, reply) => {
    signOut(deps, req.session?.id);
    clearCookie(req, reply, SESSION_COOKIE);
    return reply.status(204).send();
  });

  /** Re-enter the password: for the next 5 minutes this session may download the CA key. */
  app.post('/session/reauth', {
    schema: { tags, body: Type.Object({ password: Type.String({ minLength: 1, maxLength: 1024 }) }, { additionalProperties: false }) },
    config: { role: 'admin', audit: 'reauth', rateLimit: { max: 10, timeWindow: 60_000 } },
  }, async (req) => reauthenticate(deps, req.session?.id, req.user!.username, req.body.password));
};
