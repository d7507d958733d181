/** Online backups with SQLite's backup API: a consistent copy while the server runs. */
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

/**
 * Writes a consistent copy of `db` (mode 0600) to `out`, which must not exist, or by default to
 * <dataDir>/backups/kpki-<UTC time>.db; returns its path.
 */
export async function backupDatabase(db: Db, dataDir: string, now: Date, out?: string): Promise<string> {
  const file = out ?? path.join(dataDir, 'backups', `kpki-${now.toISOString().replace(/[:.]/g, '-')}.db`);
  if (out && fs.existsSync(out)) throw new Error(`${out} exists: choose a new file`);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  await db.backup(file);
  fs.chmodSync(file, 0o600);
  return file;
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
