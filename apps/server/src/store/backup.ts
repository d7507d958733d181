/** Online backups with SQLite's backup API: a consistent copy while the server runs. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { openDbReadOnly, type Db } from './db.ts';

/** What a backup file holds, read from the copy itself. */
export interface BackupSummary {
  clusters: number;
  certificates: number;
  secrets: number;
  users: number;
  /** master key ids the secrets in it are sealed under */
  keyIds: string[];
}

const BACKUP_NAME = /^kpki-\d{4}-\d\d-\d\dT[\d-]+Z-[0-9a-f]{8}\.db$/;
/** backups being written now (absolute paths): never pruned, whatever their age */
const writing = new Set<string>();

/**
 * Writes a consistent copy of `db` (mode 0600) to `out`, or by default to
 * <dataDir>/backups/kpki-<UTC time>-<random>.db (a unique name: parallel backups never meet);
 * the file is created exclusively (an existing file is never overwritten). Returns its path.
 * With `keep`, only the newest `keep` backups of that folder stay afterwards.
 */
export async function backupDatabase(db: Db, dataDir: string, now: Date, out?: string, keep?: number): Promise<string> {
  const dir = path.join(dataDir, 'backups');
  const file = out ?? path.join(dir, `kpki-${now.toISOString().replace(/[:.]/g, '-')}-${crypto.randomBytes(4).toString('hex')}.db`);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    fs.closeSync(fs.openSync(file, 'wx', 0o600)); // exclusively: an empty file is an empty database to back up into
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`${file} exists: choose a new file`);
    throw err;
  }
  writing.add(file);
  try {
    await db.backup(file);
  } catch (err) {
    fs.rmSync(file, { force: true });
    throw err;
  } finally {
    writing.delete(file);
  }
  fs.chmodSync(file, 0o600);
  if (!out && keep) pruneBackups(dir, keep);
  return file;
}

/** Removes all but the newest `keep` finished backups kpki named in `dir` (other files, and backups being written, are left alone); returns the removed names. */
export function pruneBackups(dir: string, keep: number): string[] {
  const names = fs.readdirSync(dir).filter((n) => BACKUP_NAME.test(n) && !writing.has(path.join(dir, n))).sort(); // names start with the UTC time: sorted = oldest first
  const removed = names.slice(0, Math.max(0, names.length - keep));
  for (const n of removed) for (const f of [n, `${n}-wal`, `${n}-shm`]) fs.rmSync(path.join(dir, f), { force: true });
  return removed;
}

/** Checks a backup file (SQLite integrity_check) and counts what it holds. @throws Error when it is damaged. */
export function inspectBackup(file: string): BackupSummary {
  const copy = openDbReadOnly(file);
  try {
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new Error(`the backup ${file} failed its integrity check: ${String(check)}`);
    const n = (table: string) => (copy.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return {
      clusters: n('clusters'), certificates: n('certificates'), secrets: n('secrets'), users: n('users'),
      keyIds: (copy.prepare('SELECT DISTINCT key_id AS k FROM secrets ORDER BY k').all() as Array<{ k: string }>).map((r) => r.k),
    };
  } finally {
    copy.close();
  }
}
