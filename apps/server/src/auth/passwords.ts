/** Password hashing (argon2id via @node-rs/argon2, on its own threads) and the first admin. */
import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../lib/errors.ts';
import type { UsersRepository } from './users.repository.ts';

const ARGON2ID = 2;
/** a hash of a random password, verified when the user does not exist so both paths cost the same */
let dummy: Promise<string> | null = null;

export const MIN_PASSWORD = 12;

export function checkPasswordRules(password: string): void {
  if (password.length < MIN_PASSWORD) throw new AppError('VALIDATION_FAILED', `the password must have at least ${MIN_PASSWORD} characters`, [{ path: '/password', code: 'VALIDATION_FAILED', message: `at least ${MIN_PASSWORD} characters` }]);
}

export const hashPassword = (password: string) => hash(password, { algorithm: ARGON2ID });

/** Verifies a password against a stored hash; spends the same time when there is no hash. */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    dummy ??= hashPassword(crypto.randomBytes(16).toString('hex'));
    await verify(await dummy, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}

/**
 * On first start (no user at all) creates "admin" with KPKI_ADMIN_PASSWORD, or with a
 * generated password that is returned so the caller prints it once.
 */
export async function bootstrapAdmin(users: UsersRepository, configured: string | null, now: string): Promise<string | null> {
  if (users.count() > 0) return null;
  const password = configured ?? crypto.randomBytes(15).toString('base64url');
  users.create('admin', await hashPassword(password), 'admin', now);
  return configured ? null : password;
}
