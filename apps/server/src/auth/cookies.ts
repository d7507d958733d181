/**
 * kpki's cookies: the session and the known device. Served over https (a TLS socket, or a proxy's
 * X-Forwarded-Proto when KPKI_TRUST_PROXY trusts it) they are named with the __Host- prefix, which
 * browsers accept only with Secure, Path=/ and no Domain, so no sibling host can plant or shadow
 * them; over https only the prefixed names are read. All are HttpOnly and SameSite=Strict.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'kpki_session';
export const DEVICE_COOKIE = 'kpki_device';

const overHttps = (req: FastifyRequest) => req.protocol === 'https';

/** The name `base` has on this request's scheme: __Host-<base> over https, <base> over http. */
export const cookieName = (req: FastifyRequest, base: string) => (overHttps(req) ? `__Host-${base}` : base);

/** The value of the cookie `base` (under its name for this request's scheme). */
export const readCookie = (req: FastifyRequest, base: string): string | undefined => req.cookies?.[cookieName(req, base)];

/** Sets the cookie `base` for `maxAgeMs`: HttpOnly, SameSite=Strict, Path=/, and Secure over https. */
export function writeCookie(req: FastifyRequest, reply: FastifyReply, base: string, value: string, maxAgeMs: number): void {
  reply.setCookie(cookieName(req, base), value, { path: '/', httpOnly: true, sameSite: 'strict', secure: overHttps(req), maxAge: Math.floor(maxAgeMs / 1000) });
}

/** Removes the cookie `base`. */
export function clearCookie(req: FastifyRequest, reply: FastifyReply, base: string): void {
  reply.clearCookie(cookieName(req, base), { path: '/', httpOnly: true, sameSite: 'strict', secure: overHttps(req) });
}
