/**
 * Audit retention and export (issue 8, item 4): the oldest lines of the audit log move to a file
 * under <data>/audit-archives/ (JSON lines, 0600, never overwritten), and a record of them (ids,
 * times, count, the file's SHA-256, chained to the record before) stays in the database. Only
 * rows so recorded may leave the log (a trigger refuses any other DELETE). Admins archive on
 * demand; kpki archives lines older than KPKI_AUDIT_RETENTION_DAYS (default 365) itself.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AuditArchive } from '@kpki/shared';
import type { Deps } from '../context.ts';
import { AppError } from '../lib/errors.ts';
import type { StoredArchive } from '../store/audit.repository.ts';

const DAY_MS = 86_400_000;
export const archiveDir = (deps: Deps) => path.join(deps.config.dataDir, 'audit-archives');
const sha256 = (data: string | Buffer) => crypto.createHash('sha256').update(data).digest('hex');

/** The chained hash of a record: its fields and the hash of the record before. */
function recordHash(a: Omit<StoredArchive, 'id' | 'recordSha256' | 'createdAt' | 'createdBy'>): string {
  return sha256(JSON.stringify([a.firstId, a.lastId, a.firstAt, a.lastAt, a.rows, a.file, a.sha256, a.previousSha256]));
}

/**
 * Moves every line written before `before` (except the newest line of all) to a new archive file
 * and records it; the lines are removed only once the file is written and synced.
 * @throws AppError NOTHING_TO_ARCHIVE when no such line is left in the log
 */
export function archiveAudit(deps: Deps, before: Date, by: string): StoredArchive {
  const lastId = deps.audit.lastIdBefore(before.toISOString());
  if (lastId === null) {
    throw new AppError('NOTHING_TO_ARCHIVE', `no audit line written before ${before.toISOString()} is left in the log (the newest line always stays): choose a later date`);
  }
  const previous = deps.audit.archives().at(-1) ?? null;
  const dir = archiveDir(deps);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const lines: string[] = [];
  let firstId = 0;
  let firstAt = '';
  let lastAt = '';
  for (const e of deps.audit.linesUpTo(lastId)) {
    if (!firstId) [firstId, firstAt] = [e.id, e.at];
    lastAt = e.at;
    lines.push(JSON.stringify(e));
  }
  const file = `audit-${String(firstId).padStart(9, '0')}-${String(lastId).padStart(9, '0')}.jsonl`;
  const header = JSON.stringify({ kpki: 'audit-archive', version: 1, firstId, lastId, previousSha256: previous?.recordSha256 ?? null });
  const content = `${header}\n${lines.join('\n')}\n`;
  const full = path.join(dir, file);
  const fd = fs.openSync(full, 'wx', 0o600); // never over an existing archive
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  const fields = { firstId, lastId, firstAt, lastAt, rows: lines.length, file, sha256: sha256(content), previousSha256: previous?.recordSha256 ?? null };
  try {
    return deps.audit.recordArchive({ ...fields, recordSha256: recordHash(fields), createdAt: deps.now().toISOString(), createdBy: by });
  } catch (err) {
    fs.rmSync(full, { force: true }); // nothing was removed from the log: no file without its record
    throw err;
  }
}

/** Every archive, each checked: its file is there with its SHA-256, its hash and its link to the one before hold. */
export function listAuditArchives(deps: Deps): AuditArchive[] {
  let before: string | null = null;
  return deps.audit.archives().map((a) => {
    const full = path.join(archiveDir(deps), a.file);
    const fileOk = fs.existsSync(full) && sha256(fs.readFileSync(full)) === a.sha256;
    const intact = fileOk && a.previousSha256 === before && recordHash(a) === a.recordSha256;
    before = a.recordSha256;
    return { ...a, intact };
  });
}

/** The file of an archive, for download. */
export function auditArchiveFile(deps: Deps, id: number): { name: string; content: Buffer } {
  const a = deps.audit.archives().find((x) => x.id === id);
  if (!a) throw new AppError('NOT_FOUND', `audit archive ${id} does not exist: GET /api/v1/audit/archives lists them`);
  return { name: a.file, content: fs.readFileSync(path.join(archiveDir(deps), a.file)) };
}

/** Maintenance: archives the lines older than the retention; null when there were none (or retention is 0). */
export function archiveExpiredAudit(deps: Deps): StoredArchive | null {
  const days = deps.config.auditRetentionDays;
  if (!days) return null;
  const before = new Date(deps.now().getTime() - days * DAY_MS);
  if (deps.audit.lastIdBefore(before.toISOString()) === null) return null;
  const a = archiveAudit(deps, before, 'kpki');
  deps.audit.append({
    at: deps.now().toISOString(), actor: 'kpki', action: 'audit-archived', object: `audit=${a.firstId}..${a.lastId}`, address: '-', result: 'ok',
    details: { reason: `older than ${days} days (KPKI_AUDIT_RETENTION_DAYS)`, file: a.file, rows: a.rows, sha256: a.sha256 },
  });
  return a;
}
