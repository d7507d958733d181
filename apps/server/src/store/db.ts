/** Opens the SQLite file (WAL, foreign keys) and applies pending migrations in one transaction. */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { migrations } from './migrations.ts';

export type Db = Database.Database;

/** Opens an existing database read-only, without migrating it (e.g. to inspect a backup). */
export function openDbReadOnly(file: string): Db {
  return new Database(file, { readonly: true, fileMustExist: true });
}

/**
 * Rewrites the file without free pages and empties the WAL, so that nothing deleted or
 * overwritten (an old ciphertext) stays readable in it.
 */
export function compactDb(db: Db): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('VACUUM');
  db.pragma('wal_checkpoint(TRUNCATE)');
}

export function openDb(file: string): Db {
  if (file !== ':memory:') {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // 0600 before SQLite opens it: the -wal and -shm files it creates take the database's mode
    fs.closeSync(fs.openSync(file, 'a', 0o600));
    fs.chmodSync(file, 0o600);
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(`database ${file} has schema version ${current}, newer than this kpki (${migrations.length}): upgrade kpki`);
  }
  db.transaction(() => {
    for (let v = current; v < migrations.length; v++) db.exec(migrations[v]);
    db.pragma(`user_version = ${migrations.length}`);
  })();
  return db;
}
