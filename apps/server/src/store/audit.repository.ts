/**
 * The append-only audit log (SQLite triggers refuse UPDATE, and DELETE of any row not recorded in
 * an archive), and the archives rows leave it into (services/audit-archive.service.ts).
 */
import type { AuditArchive, AuditEntry, AuditFilter } from '@kpki/shared';
import type { Db } from './db.ts';

export type { AuditEntry };

/** A new audit line; `token` only when the request came with an API token. */
export type NewAuditEntry = Omit<AuditEntry, 'id' | 'token'> & { token?: AuditEntry['token'] };

type Raw = Omit<AuditEntry, 'details' | 'token'> & { details: string | null; tokenId: string | null; tokenName: string | null };
const toEntry = ({ tokenId, tokenName, details, ...r }: Raw): AuditEntry => ({
  ...r, details: details ? JSON.parse(details) : null, token: tokenId ? { id: tokenId, name: tokenName ?? '' } : null,
});
const ENTRY = 'id, at, actor, action, object, address, result, details, token_id AS tokenId, token_name AS tokenName';
const ARCHIVE = `id, first_id AS firstId, last_id AS lastId, first_at AS firstAt, last_at AS lastAt, rows, file, sha256,
  previous_sha256 AS previousSha256, record_sha256 AS recordSha256, created_at AS createdAt, created_by AS createdBy`;
/** An archive record as stored (whether its file is intact is judged by the service). */
export type StoredArchive = Omit<AuditArchive, 'intact'>;


const FILTERED = `(@before IS NULL OR id < @before) AND (@actor IS NULL OR actor = @actor) AND (@action IS NULL OR action = @action)
  AND (@cluster IS NULL OR instr(' ' || object || ' ', ' cluster=' || @cluster || ' ') > 0)
  AND (@node IS NULL OR instr(' ' || object || ' ', ' node=' || @node || ' ') > 0
    OR (json_valid(details) AND json_type(details) = 'object' AND EXISTS (SELECT 1 FROM json_each(details, '$.nodes') WHERE value = @node)))
  AND (@since IS NULL OR at >= @since) AND (@until IS NULL OR at < @until)`;
const filterParams = (f: AuditFilter, before: number | null, limit: number) => ({
  before, limit, actor: f.actor ?? null, action: f.action ?? null, cluster: f.cluster ?? null, node: f.node ?? null, since: f.since ?? null, until: f.until ?? null,
});

export function auditRepository(db: Db) {
  const insert = db.prepare('INSERT INTO audit (at, actor, action, object, address, result, details, token_id, token_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const recent = db.prepare(`SELECT ${ENTRY} FROM audit WHERE ${FILTERED} ORDER BY id DESC LIMIT @limit`);
  const actions = db.prepare('SELECT DISTINCT action FROM audit ORDER BY action');
  const actors = db.prepare('SELECT DISTINCT actor FROM audit ORDER BY actor');
  const upTo = db.prepare(`SELECT ${ENTRY} FROM audit WHERE id <= ? ORDER BY id`);
  const lastBefore = db.prepare('SELECT max(id) AS id FROM audit WHERE at < ? AND id < (SELECT max(id) FROM audit)');
  const archives = db.prepare(`SELECT ${ARCHIVE} FROM audit_archives ORDER BY id`);
  const insertArchive = db.prepare(`INSERT INTO audit_archives (first_id, last_id, first_at, last_at, rows, file, sha256, previous_sha256, record_sha256, created_at, created_by)
    VALUES (@firstId, @lastId, @firstAt, @lastAt, @rows, @file, @sha256, @previousSha256, @recordSha256, @createdAt, @createdBy)`);
  const removeUpTo = db.prepare('DELETE FROM audit WHERE id <= ?');
  return {
    append(e: NewAuditEntry): void {
      insert.run(e.at, e.actor, e.action, e.object, e.address, e.result, e.details === undefined ? null : JSON.stringify(e.details), e.token?.id ?? null, e.token?.name ?? null);
    },
    /** Newest first; `before` pages back by id; `filter` narrows. */
    list(limit = 100, before: number | null = null, filter: AuditFilter = {}): AuditEntry[] {
      return (recent.all(filterParams(filter, before, limit)) as Raw[]).map(toEntry);
    },
    /** The lines `filter` keeps, newest first, one at a time (exports). */
    *matching(filter: AuditFilter): Generator<AuditEntry> {
      for (const r of recent.iterate(filterParams(filter, null, -1)) as Iterable<Raw>) yield toEntry(r);
    },
    /** The actions and actors in the log, for filters. */
    facets: (): { actions: string[]; actors: string[] } => ({
      actions: (actions.all() as Array<{ action: string }>).map((r) => r.action),
      actors: (actors.all() as Array<{ actor: string }>).map((r) => r.actor),
    }),
    /**
     * The id of the newest line written before `at`; never the newest line of all (one always
     * stays, so ids keep growing and an archived id is never given again). Null when none.
     */
    lastIdBefore(at: string): number | null {
      return (lastBefore.get(at) as { id: number | null }).id;
    },
    /** The lines with ids up to `lastId`, oldest first, one at a time. */
    *linesUpTo(lastId: number): Generator<AuditEntry> {
      for (const r of upTo.iterate(lastId) as Iterable<Raw>) yield toEntry(r);
    },
    archives: (): StoredArchive[] => archives.all() as StoredArchive[],
    /** Records the archive and removes its lines from the log, in one transaction. */
    recordArchive(a: Omit<StoredArchive, 'id'>): StoredArchive {
      return db.transaction(() => {
        const id = Number(insertArchive.run(a).lastInsertRowid);
        removeUpTo.run(a.lastId);
        return { id, ...a };
      })();
    },
  };
}
export type AuditRepository = ReturnType<typeof auditRepository>;
