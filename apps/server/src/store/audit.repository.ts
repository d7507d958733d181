/**
 * The append-only audit log (SQLite triggers refuse UPDATE, and DELETE of any row not recorded in
 * an archive), and the archives rows leave it into (services/audit-archive.service.ts).
 */
import { AUDIT_DENIED_STATUSES, type AuditArchive, type AuditCounts, type AuditEntry, type AuditFilter, type AuditOutcome } from '@kpki/shared';
import type { Statement } from 'better-sqlite3';
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


/**
 * Whether a line was denied, as auditOutcome() in @kpki/shared reads it, for the results kpki
 * writes ("failed (401)", "failed (401, 429)"): a refusal status alone, or a list of statuses
 * nothing of which is left once the refusal statuses are taken out (only lists pay for that).
 */
const DENIED_SQL = `(result IN (${AUDIT_DENIED_STATUSES.map((s) => `'failed (${s})'`).join(', ')}) OR (result GLOB 'failed (*, *)' AND ${
  AUDIT_DENIED_STATUSES.reduce((sql, status) => `replace(${sql}, ', ${status}', '')`, `', ' || substr(result, 9, length(result) - 9)`)} = ''))`;
if (!AUDIT_DENIED_STATUSES.every((s) => /^\d{3}$/.test(s))) throw new Error('audit: denied statuses are three digits');
/** A line's outcome in SQL: ok, denied or failed. */
export const OUTCOME_SQL = `(CASE WHEN result = 'ok' THEN 'ok' WHEN ${DENIED_SQL} THEN 'denied' ELSE 'failed' END)`;
const RESULT_SQL: Record<AuditOutcome, string> = { ok: `result = 'ok'`, denied: DENIED_SQL, failed: `(result <> 'ok' AND NOT ${DENIED_SQL})` };

/** The fields a search looks in; a word matches when one of them holds it. */
const SEARCHED = ['actor', 'action', 'object', 'address', 'result', 'token_id', 'token_name', 'details'];

/** The words of a search, each a LIKE pattern with its wildcards (% _) and the escape character taken literally. */
export function searchPatterns(q: string | undefined): string[] {
  return (q ?? '').split(/\s+/).filter(Boolean).map((w) => `%${w.replace(/[\\%_]/g, '\\$&')}%`);
}

/**
 * The WHERE clause of a filter and its parameters: only the conditions the filter sets (so a
 * time range uses the index on `at`), each value a parameter (the search words @t0, @t1, ...).
 */
function whereOf(f: AuditFilter, before: number | null): { sql: string; params: Record<string, string | number> } {
  const parts: string[] = [];
  const params: Record<string, string | number> = {};
  const add = (sql: string, name?: string, value?: string | number) => {
    parts.push(sql);
    if (name) params[name] = value!;
  };
  if (before !== null) add('id < @before', 'before', before);
  if (f.actor) add('actor = @actor', 'actor', f.actor);
  if (f.action) add('action = @action', 'action', f.action);
  if (f.cluster) add(`instr(' ' || object || ' ', ' cluster=' || @cluster || ' ') > 0`, 'cluster', f.cluster);
  if (f.node) {
    add(`(instr(' ' || object || ' ', ' node=' || @node || ' ') > 0
      OR (json_valid(details) AND json_type(details) = 'object' AND EXISTS (SELECT 1 FROM json_each(details, '$.nodes') WHERE value = @node)))`, 'node', f.node);
  }
  if (f.since) add('at >= @since', 'since', f.since);
  if (f.until) add('at < @until', 'until', f.until);
  if (f.result) add(RESULT_SQL[f.result]);
  searchPatterns(f.q).forEach((p, i) => add(`(${SEARCHED.map((c) => `${c} LIKE @t${i} ESCAPE '\\'`).join(' OR ')})`, `t${i}`, p));
  return { sql: parts.length ? parts.join(' AND ') : '1', params };
}

export function auditRepository(db: Db) {
  const insert = db.prepare('INSERT INTO audit (at, actor, action, object, address, result, details, token_id, token_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  // the statements of the filters met so far, by their SQL (a filter's values are parameters; at most a few hundred shapes)
  const statements = new Map<string, Statement>();
  const prepared = (sql: string) => {
    let st = statements.get(sql);
    if (!st) {
      if (statements.size >= 500) statements.clear();
      st = db.prepare(sql);
      statements.set(sql, st);
    }
    return st;
  };
  const recent = (f: AuditFilter, before: number | null, limit: number) => {
    const where = whereOf(f, before);
    return { st: prepared(`SELECT ${ENTRY} FROM audit WHERE ${where.sql} ORDER BY id DESC LIMIT @limit`), params: { ...where.params, limit } };
  };
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
      const { st, params } = recent(filter, before, limit);
      return (st.all(params) as Raw[]).map(toEntry);
    },
    /** The lines `filter` keeps, newest first, one at a time (exports). */
    *matching(filter: AuditFilter): Generator<AuditEntry> {
      const { st, params } = recent(filter, null, -1);
      for (const r of st.iterate(params) as Iterable<Raw>) yield toEntry(r);
    },
    /** The lines the filter and its search keep, by outcome; the result filter is left aside (each count is one to choose). */
    counts(filter: AuditFilter = {}): AuditCounts {
      const where = whereOf({ ...filter, result: undefined }, null);
      const st = prepared(`SELECT count(*) AS total, coalesce(sum(result = 'ok'), 0) AS ok, coalesce(sum(${DENIED_SQL}), 0) AS denied FROM audit WHERE ${where.sql}`);
      const { total, ok, denied } = st.get(where.params) as { total: number; ok: number; denied: number };
      return { total, byResult: { ok, denied, failed: total - ok - denied } };
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
