/** Password hashing (argon2id via @node-rs/argon2, on its own threads) and the first admin. */
import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { passwordProblem } from '@kpki/shared';
import { AppError } from '../lib/errors.ts';
import type { UsersRepository } from '../store/users.repository.ts';

const ARGON2ID = 2;
/** a hash of a random password, verified when the user does not exist so both paths cost the same */
let dummy: Promise<string> | null = null;

/** Refuses a password that breaks the shared rule (passwordProblem of @kpki/shared: at least MIN_PASSWORD_LENGTH characters). */
export function checkPasswordRules(password: string): void {
  const problem = passwordProblem(password);
  if (problem) throw new AppError('VALIDATION_FAILED', `the password must have ${problem}`, [{ path: '/password', code: 'VALIDATION_FAILED', message: problem }]);
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
