/**
 * The CA key rule, one decision for every path the CA key can take (downloads, bundles,
 * distribution, changes of where it goes, deletion): it moves only for an admin who re-entered
 * the password in this browser session in the last 5 minutes (POST /session/reauth). API
 * tokens, operators, viewers and jobs nobody started that way never move it.
 */
import type { FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.ts';

export type CaKeyDecision =
  | { allowed: true; reason: string }
  | { allowed: false; code: 'FORBIDDEN' | 'REAUTH_REQUIRED'; reason: string };

/** May this request move the CA key? With the reason in words, for messages, job logs and node states. */
export function caKeyDecision(req: FastifyRequest): CaKeyDecision {
  const user = req.user;
  if (!user) return { allowed: false, code: 'FORBIDDEN', reason: 'nobody is signed in' };
  if (!req.session) {
    return { allowed: false, code: user.role === 'admin' ? 'REAUTH_REQUIRED' : 'FORBIDDEN', reason: `started with an API token of ${user.username} (API tokens never move the CA key)` };
  }
  if (user.role !== 'admin') return { allowed: false, code: 'FORBIDDEN', reason: `started by ${user.username}, who is ${user.role} (only admins move the CA key)` };
  const until = req.session.elevatedUntil;
  if (!until || until <= req.server.deps.now().toISOString()) {
    return { allowed: false, code: 'REAUTH_REQUIRED', reason: `started by admin ${user.username} without the password re-entered in the last 5 minutes` };
  }
  return { allowed: true, reason: `started by admin ${user.username} with the password re-entered` };
}

/**
 * Throws unless the request may move the CA key. `action` names what was asked, e.g.
 * "downloading the CA key", "changing the SSH target of node cp1 (it receives ca-key.pem)".
 */
export function requireCaKeyAccess(req: FastifyRequest, action = 'downloading the CA key'): void {
  const d = caKeyDecision(req);
  if (d.allowed) return;
  const user = req.user;
  if (d.code === 'FORBIDDEN') {
    throw new AppError('FORBIDDEN', `${action} is for an admin only (the CA key rule); ${user ? `user "${user.username}" is ${req.session ? user.role : `using an API token (${user.role})`}` : 'sign in'}: ask an admin`);
  }
  if (!req.session) {
    throw new AppError('REAUTH_REQUIRED', `${action} needs an admin browser session with the password re-entered; API tokens never move the CA key: sign in and use POST /api/v1/session/reauth`);
  }
  throw new AppError('REAUTH_REQUIRED', `${action} needs your password again: POST /api/v1/session/reauth {password} (valid 5 minutes), then repeat the request`);
}

/**
 * The CA key part of a job's parameters, decided when the job is enqueued: `caKey: true` only
 * for an elevated admin; otherwise `caKey: false` and the reason. A job without these fields
 * (any later job kind, a renewal, a rotation) leaves ca-key.pem out.
 */
export function caKeyJobParams(req: FastifyRequest | null): { caKey: boolean; caKeyReason: string; startedBy?: string; startedFrom?: string } {
  if (!req) return { caKey: false, caKeyReason: 'started by kpki itself, not by an admin who re-entered the password' };
  const d = caKeyDecision(req);
  return { caKey: d.allowed, caKeyReason: d.reason, startedBy: req.user?.username ?? 'anonymous', startedFrom: req.ip };
}

/** Reads the CA key decision back from a job's parameters; anything but `caKey: true` withholds. */
export function caKeyFromParams(params: Record<string, unknown>): { caKey: boolean; reason: string } {
  const reason = typeof params.caKeyReason === 'string' ? params.caKeyReason : 'the job was not started by an admin who re-entered the password';
  return { caKey: params.caKey === true, reason };
}
