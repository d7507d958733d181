/** The append-only audit log (SQLite triggers refuse UPDATE and DELETE). */
import type { AuditEntry } from '@kpki/shared';
import type { Db } from '../store/db.ts';

export type { AuditEntry };

export function auditRepository(db: Db) {
  const insert = db.prepare('INSERT INTO audit (at, actor, action, object, address, result, details) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const recent = db.prepare(`SELECT id, at, actor, action, object, address, result, details FROM audit
    WHERE (? IS NULL OR id < ?) ORDER BY id DESC LIMIT ?`);
  return {
    append(e: Omit<AuditEntry, 'id'>): void {
      insert.run(e.at, e.actor, e.action, e.object, e.address, e.result, e.details === undefined ? null : JSON.stringify(e.details));
    },
    /** Newest first; `before` pages back by id. */
    list(limit = 100, before: number | null = null): AuditEntry[] {
      return (recent.all(before, before, limit) as Array<AuditEntry & { details: string | null }>).map((r) => ({
        ...r, details: r.details ? JSON.parse(r.details) : null,
      }));
    },
  };
}
export type AuditRepository = ReturnType<typeof auditRepository>;
