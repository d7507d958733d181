/** Users (argon2id hashes), server-side sessions and API tokens. Only SHA-256 of session ids
 * and tokens is stored, so a copy of the database opens no session. Usernames compare
 * case-insensitively ("Admin" is "admin"). A token expires, and is revoked for good when its
 * user's password changes or the user is disabled. */
import crypto from 'node:crypto';
import type { Db } from './db.ts';

import type { ApiToken, Role, User } from '@kpki/shared';

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

/** The token a request came with, for the audit line. */
export interface TokenRef {
  id: string;
  name: string;
}
const TOKEN_COLUMNS = `t.id, t.name, u.username, t.created_at AS createdAt, t.expires_at AS expiresAt, t.revoked_at AS revokedAt,
  t.revoked_reason AS revokedReason`;

export function usersRepository(db: Db) {
  const byName = db.prepare(`SELECT ${USER_COLUMNS}, u.password_hash AS passwordHash FROM users u WHERE username = ? COLLATE NOCASE ORDER BY id LIMIT 1`);
  const byId = db.prepare(`SELECT ${USER_COLUMNS} FROM users u WHERE id = ?`);
  const all = db.prepare(`SELECT ${USER_COLUMNS} FROM users u ORDER BY username`);
  const session = db.prepare(`SELECT ${USER_COLUMNS}, s.csrf_token AS csrfToken, s.expires_at AS expiresAt, s.elevated_until AS elevatedUntil
    FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ? AND s.expires_at > ?`);
  const byToken = db.prepare(`SELECT ${USER_COLUMNS}, t.id AS tokenId, t.name AS tokenName FROM api_tokens t JOIN users u ON u.id = t.user_id
    WHERE t.token_hash = ? AND t.revoked_at IS NULL AND t.expires_at > ?`);
  const revokeAll = db.prepare('UPDATE api_tokens SET revoked_at = ?, revoked_reason = ? WHERE user_id = ? AND revoked_at IS NULL');

  return {
    count: () => (db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n,
    /** Creates a user; null when the name is taken (in any letter case). */
    create(username: string, passwordHash: string, role: Role, now: string): User | null {
      if (byName.get(username)) return null;
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
    /**
     * Disabling a user or changing the password ends the user's sessions (except `keepSession`)
     * and revokes every API token of the user for good (re-enabling revives none).
     */
    update(id: number, change: { role?: Role; disabled?: boolean; passwordHash?: string }, now: string, keepSession?: string): void {
      db.transaction(() => {
        if (change.role) db.prepare('UPDATE users SET role = ? WHERE id = ?').run(change.role, id);
        if (change.disabled !== undefined) db.prepare('UPDATE users SET disabled = ? WHERE id = ?').run(change.disabled ? 1 : 0, id);
        if (change.passwordHash) db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(change.passwordHash, id);
        if (change.disabled || change.passwordHash) {
          db.prepare('DELETE FROM sessions WHERE user_id = ? AND id_hash != ?').run(id, keepSession ? hashToken(keepSession) : '');
          revokeAll.run(now, change.passwordHash ? 'the password changed' : 'the user was disabled', id);
        }
      })();
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
    createToken(userId: number, name: string, now: string, expiresAt: string): { id: string; token: string } {
      const id = crypto.randomUUID();
      const token = `kpki_${crypto.randomBytes(32).toString('base64url')}`;
      db.prepare('INSERT INTO api_tokens (id, name, token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(id, name, hashToken(token), userId, now, expiresAt);
      return { id, token };
    },
    /** The user of a live token (not revoked, not expired at `now`), and the token's id and name. */
    tokenUser(token: string, now: Date): { user: User; token: TokenRef } | null {
      const r = byToken.get(hashToken(token), now.toISOString()) as (RawUser & { tokenId: string; tokenName: string }) | undefined;
      if (!r) return null;
      const { tokenId, tokenName, ...u } = r;
      return { user: toUser(u), token: { id: tokenId, name: tokenName } };
    },
    /** Every token (ownerId null), or one user's; newest first. */
    listTokens: (ownerId: number | null): ApiToken[] =>
      db.prepare(`SELECT ${TOKEN_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id
        WHERE (? IS NULL OR t.user_id = ?) ORDER BY t.created_at DESC, t.rowid DESC`).all(ownerId, ownerId) as ApiToken[],
    tokenOwner(id: string): number | null {
      return (db.prepare('SELECT user_id AS userId FROM api_tokens WHERE id = ?').get(id) as { userId: number } | undefined)?.userId ?? null;
    },
    revokeToken(id: string, now: string, reason: string): boolean {
      return db.prepare('UPDATE api_tokens SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL').run(now, reason, id).changes > 0;
    },
  };
}
export type UsersRepository = ReturnType<typeof usersRepository>;
