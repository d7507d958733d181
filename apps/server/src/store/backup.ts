/** Online backups with SQLite's backup API: a consistent copy while the server runs. */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from './db.ts';

/** Writes <dataDir>/backups/kpki-<UTC time>.db (mode 0600) and returns its path. */
export async function backupDatabase(db: Db, dataDir: string, now: Date): Promise<string> {
  const dir = path.join(dataDir, 'backups');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `kpki-${now.toISOString().replace(/[:.]/g, '-')}.db`);
  await db.backup(file);
  fs.chmodSync(file, 0o600);
  return file;
}
