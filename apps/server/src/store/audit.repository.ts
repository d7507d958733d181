/** The append-only audit log (SQLite triggers refuse UPDATE and DELETE). */
import type { AuditEntry } from '@kpki/shared';
import type { Db } from './db.ts';

export type { AuditEntry };

/** A new audit line; `token` only when the request came with an API token. */
export type NewAuditEntry = Omit<AuditEntry, 'id' | 'token'> & { token?: AuditEntry['token'] };

type Raw = Omit<AuditEntry, 'details' | 'token'> & { details: string | null; tokenId: string | null; tokenName: string | null };

export function auditRepository(db: Db) {
  const insert = db.prepare('INSERT INTO audit (at, actor, action, object, address, result, details, token_id, token_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const recent = db.prepare(`SELECT id, at, actor, action, object, address, result, details, token_id AS tokenId, token_name AS tokenName FROM audit
    WHERE (? IS NULL OR id < ?) ORDER BY id DESC LIMIT ?`);
  return {
    append(e: NewAuditEntry): void {
      insert.run(e.at, e.actor, e.action, e.object, e.address, e.result, e.details === undefined ? null : JSON.stringify(e.details), e.token?.id ?? null, e.token?.name ?? null);
    },
    /** Newest first; `before` pages back by id. */
    list(limit = 100, before: number | null = null): AuditEntry[] {
      return (recent.all(before, before, limit) as Raw[]).map(({ tokenId, tokenName, details, ...r }) => ({
        ...r, details: details ? JSON.parse(details) : null, token: tokenId ? { id: tokenId, name: tokenName ?? '' } : null,
      }));
    },
  };
}
export type AuditRepository = ReturnType<typeof auditRepository>;
