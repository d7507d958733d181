/** Users (argon2id hashes), server-side sessions and API tokens. Only SHA-256 of session ids
 * and tokens is stored, so a copy of the database opens no session. */
import crypto from 'node:crypto';
import type { Db } from '../store/db.ts';

import type { Role, User } from '@kpki/shared';

export { roleAtLeast, type Role, type User } from '@kpki/shared';
export interface SessionRow {
  user: User;
  csrfToken: string;
  expiresAt: string;
  elevatedUntil: string | null;
}

export const hashToken = (t: string) => crypto.createHash('sha256').update(t).digest('hex');
const USER_COLUMNS = 'u.id, u.username, u.role, u.disabled, u.created_at AS createdAt';
type RawUser = Omit<User, 'disabled'> & { disabled: number };
const toUser = (r: RawUser): User => ({ ...r, disabled: !!r.disabled });

export function usersRepository(db: Db) {
  const byName = db.prepare(`SELECT ${USER_COLUMNS}, u.password_hash AS passwordHash FROM users u WHERE username = ?`);
  const byId = db.prepare(`SELECT ${USER_COLUMNS} FROM users u WHERE id = ?`);
  const all = db.prepare(`SELECT ${USER_COLUMNS} FROM users u ORDER BY username`);
  const session = db.prepare(`SELECT ${USER_COLUMNS}, s.csrf_token AS csrfToken, s.expires_at AS expiresAt, s.elevated_until AS elevatedUntil
    FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ? AND s.expires_at > ?`);
  const byToken = db.prepare(`SELECT ${USER_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND t.revoked_at IS NULL`);

  return {
    count: () => (db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n,
    create(username: string, passwordHash: string, role: Role, now: string): User {
      const id = Number(db.prepare('INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)').run(username, passwordHash, role, now).lastInsertRowid);
      return this.get(id)!;
    },
    get: (id: number): User | null => {
      const r = byId.get(id) as RawUser | undefined;
      return r ? toUser(r) : null;
    },
    byName: (username: string): (User & { passwordHash: string }) | null => {
      const r = byName.get(username) as (RawUser & { passwordHash: string }) | undefined;
      return r ? { ...toUser(r), passwordHash: r.passwordHash } : null;
    },
    list: (): User[] => (all.all() as RawUser[]).map(toUser),
    /** Disabling a user or changing the password ends the user's sessions, except `keepSession`. */
    update(id: number, change: { role?: Role; disabled?: boolean; passwordHash?: string }, keepSession?: string): void {
      if (change.role) db.prepare('UPDATE users SET role = ? WHERE id = ?').run(change.role, id);
      if (change.disabled !== undefined) db.prepare('UPDATE users SET disabled = ? WHERE id = ?').run(change.disabled ? 1 : 0, id);
      if (change.passwordHash) db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(change.passwordHash, id);
      if (change.disabled || change.passwordHash) {
        db.prepare('DELETE FROM sessions WHERE user_id = ? AND id_hash != ?').run(id, keepSession ? hashToken(keepSession) : '');
      }
    },
    createSession(userId: number, now: Date, ttlMs: number): { id: string; csrfToken: string } {
      const id = crypto.randomBytes(32).toString('base64url');
      const csrfToken = crypto.randomBytes(24).toString('base64url');
      db.prepare('INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
        .run(hashToken(id), userId, csrfToken, now.toISOString(), new Date(now.getTime() + ttlMs).toISOString());
      return { id, csrfToken };
    },
    session(id: string, now: Date): SessionRow | null {
      const r = session.get(hashToken(id), now.toISOString()) as (RawUser & { csrfToken: string; expiresAt: string; elevatedUntil: string | null }) | undefined;
      if (!r) return null;
      const { csrfToken, expiresAt, elevatedUntil, ...u } = r;
      return { user: toUser(u), csrfToken, expiresAt, elevatedUntil };
    },
    elevate(id: string, until: Date): void {
      db.prepare('UPDATE sessions SET elevated_until = ? WHERE id_hash = ?').run(until.toISOString(), hashToken(id));
    },
    deleteSession(id: string): void {
      db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(hashToken(id));
    },
    createToken(userId: number, name: string, now: string): { id: string; token: string } {
      const id = crypto.randomUUID();
      const token = `kpki_${crypto.randomBytes(32).toString('base64url')}`;
      db.prepare('INSERT INTO api_tokens (id, name, token_hash, user_id, created_at) VALUES (?, ?, ?, ?, ?)').run(id, name, hashToken(token), userId, now);
      return { id, token };
    },
    tokenUser(token: string): User | null {
      const r = byToken.get(hashToken(token)) as RawUser | undefined;
      return r ? toUser(r) : null;
    },
    listTokens: () =>
      db.prepare(`SELECT t.id, t.name, u.username, t.created_at AS createdAt, t.revoked_at AS revokedAt FROM api_tokens t
        JOIN users u ON u.id = t.user_id ORDER BY t.created_at DESC`).all(),
    revokeToken(id: string, now: string): boolean {
      return db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id).changes > 0;
    },
  };
}
export type UsersRepository = ReturnType<typeof usersRepository>;
