/**
 * kpki administration from the command line (run through scripts/kpki-admin.mjs, i.e.
 * `npm run backup` and `npm run rotate-master-key`). Reads the same environment as the server:
 * KPKI_DATA_DIR (./data) and KPKI_MASTER_KEY (else <data>/master.key).
 *
 *   backup [--out <file>]
 *     A consistent online copy of the database with SQLite's backup API, safe while kpki runs
 *     (WAL: the copy sees one committed state). Default <data>/backups/kpki-<UTC time>.db, 0600.
 *     The copy is checked (integrity_check) and its contents counted. Keep the master key with
 *     it: without the key no private key in it can be read.
 *
 *   rotate-master-key [--keep-old]
 *     Stop kpki first: a running server keeps the old key in memory and would seal new keys
 *     under it (the command refuses while a process holds the database open, Linux /proc).
 *     Makes a new random 32-byte key, re-seals every secret in one transaction (all or
 *     nothing), then rewrites the file without the old ciphertexts (checkpoint + VACUUM).
 *     With master.key: the new key is written to a temp file first (0600, fsync) and renamed
 *     over master.key after the commit; with --keep-old the old key is kept as
 *     master.key.old-<time>. If the command dies between the commit and the rename, the new key
 *     is in master.key.new-<time>: rename it to master.key.
 *     With KPKI_MASTER_KEY: no file is written; the new key is printed once, before the
 *     database is changed, and you must put it into KPKI_MASTER_KEY before starting kpki.
 *     Backups taken before the rotation still need the old key.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../apps/server/src/store/db.ts';
import { decodeMasterKey } from '../apps/server/src/config.ts';
import { backupDatabase } from '../apps/server/src/store/backup.ts';
import { keyIdOf } from '../apps/server/src/store/secret-box.ts';
import { rotateMasterKey, secretsRepository } from '../apps/server/src/store/secrets.repository.ts';

// better-sqlite3 is a dependency of the server package: load it from there (pnpm keeps it out of the root)
const serverPackage = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../apps/server/package.json');
const Database = createRequire(serverPackage)('better-sqlite3') as new (file: string, options?: { readonly?: boolean; fileMustExist?: boolean }) => Db;

class UsageError extends Error {}

const USAGE = `usage:
  npm run backup [-- --out <file>]              online copy of the database (safe while kpki runs)
  npm run rotate-master-key [-- --keep-old]     new master key, every secret re-sealed (stop kpki first)
environment: KPKI_DATA_DIR (default ./data), KPKI_MASTER_KEY (default <data>/master.key)`;

const stamp = (d = new Date()) => d.toISOString().replace(/[:.]/g, '-');

function dataDir(): string {
  return path.resolve(process.env.KPKI_DATA_DIR || './data');
}

function dbPath(dir: string): string {
  const file = path.join(dir, 'kpki.db');
  if (!fs.existsSync(file)) throw new UsageError(`no database at ${file}: set KPKI_DATA_DIR to kpki's data folder`);
  return file;
}

function open(file: string): Db {
  const db = new Database(file, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

function counts(db: Db) {
  const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  return {
    clusters: n('SELECT count(*) AS n FROM clusters'),
    certificates: n('SELECT count(*) AS n FROM certificates'),
    secrets: n('SELECT count(*) AS n FROM secrets'),
    users: n('SELECT count(*) AS n FROM users'),
  };
}

async function backup(args: string[]): Promise<void> {
  let out: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out' && args[i + 1]) out = path.resolve(args[++i]);
    else throw new UsageError(`unknown option ${args[i]}\n${USAGE}`);
  }
  const dir = dataDir();
  const db = open(dbPath(dir));
  let file: string;
  try {
    if (out) {
      if (fs.existsSync(out)) throw new UsageError(`${out} exists: choose a new file`);
      fs.mkdirSync(path.dirname(out), { recursive: true, mode: 0o700 });
      await db.backup(out);
      fs.chmodSync(out, 0o600);
      file = out;
    } else {
      file = await backupDatabase(db, dir, new Date());
    }
  } finally {
    db.close();
  }
  const copy = new Database(file, { readonly: true, fileMustExist: true });
  let c: ReturnType<typeof counts>;
  let keyIds: string[];
  try {
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new Error(`the backup ${file} failed its integrity check: ${String(check)}`);
    c = counts(copy);
    keyIds = (copy.prepare('SELECT DISTINCT key_id AS k FROM secrets').all() as Array<{ k: string }>).map((r) => r.k);
  } finally {
    copy.close();
  }
  console.log(`kpki: backup written to ${file}`);
  console.log(`      ${c.clusters} cluster(s), ${c.certificates} certificate(s), ${c.secrets} sealed private key(s), ${c.users} user(s); integrity ok`);
  console.log(`      the private keys in it are sealed under master key id ${keyIds.join(', ') || '(none yet)'}:`);
  console.log('      keep that master key (KPKI_MASTER_KEY or <data>/master.key) with this backup, protected, or the keys in it are lost.');
  console.log(`      restore: stop kpki, copy the file to ${path.join(dir, 'kpki.db')} (remove kpki.db-wal and kpki.db-shm beside it), start kpki with that master key.`);
}

/** Pids of other processes that hold `file` open (Linux /proc); [] where /proc is not readable. */
function holders(file: string): number[] {
  const target = fs.realpathSync(file);
  const found: number[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  for (const pid of entries) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const link = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (link === target || link === `${target}-wal`) {
          found.push(Number(pid));
          break;
        }
      } catch {
        /* closed meanwhile */
      }
    }
  }
  return found;
}

/** Writes `content` to `file` (new, 0600) and flushes it to disk. */
function writeSynced(file: string, content: string): void {
  const fd = fs.openSync(file, 'wx', 0o600);
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function syncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

async function rotate(args: string[]): Promise<void> {
  let keepOld = false;
  for (const a of args) {
    if (a === '--keep-old') keepOld = true;
    else throw new UsageError(`unknown option ${a}\n${USAGE}`);
  }
  const dir = dataDir();
  const file = dbPath(dir);
  const keyFile = path.join(dir, 'master.key');
  const fromEnv = !!process.env.KPKI_MASTER_KEY;
  let current: Buffer | null;
  if (fromEnv) {
    current = decodeMasterKey(process.env.KPKI_MASTER_KEY!);
    if (!current) throw new UsageError('KPKI_MASTER_KEY is not a 32-byte key (64 hex characters or base64)');
  } else {
    if (!fs.existsSync(keyFile)) throw new UsageError(`no master key: neither KPKI_MASTER_KEY nor ${keyFile} exists, so there is nothing to rotate`);
    current = decodeMasterKey(fs.readFileSync(keyFile, 'utf8'));
    if (!current) throw new UsageError(`${keyFile} does not hold a 32-byte key (64 hex characters or base64)`);
  }

  const running = holders(file);
  if (running.length) {
    throw new UsageError(`process ${running.join(', ')} has ${file} open: stop kpki first (a running server keeps the old master key in memory and would seal new keys under it), then run this again`);
  }

  const db = open(file);
  try {
    const currentId = keyIdOf(current);
    const foreign = db.prepare('SELECT key_id AS k, count(*) AS n FROM secrets WHERE key_id != ? GROUP BY key_id').all(currentId) as Array<{ k: string; n: number }>;
    if (foreign.length) {
      throw new UsageError(`${foreign.map((f) => `${f.n} secret(s)`).join(', ')} are sealed under master key id ${foreign.map((f) => f.k).join(', ')}, not under the given key (${currentId}): give the key that belongs to this database`);
    }
    const next = crypto.randomBytes(32);
    const nextText = next.toString('base64');
    const time = stamp();
    const pending = path.join(dir, `master.key.new-${time}`);
    if (fromEnv) {
      console.log('kpki: the NEW master key (shown once; it takes effect when the rotation below succeeds):');
      console.log(`\n  KPKI_MASTER_KEY=${nextText}\n`);
    } else {
      writeSynced(pending, nextText + '\n');
      syncDir(dir);
    }

    let n: number;
    try {
      n = rotateMasterKey(db, current, next);
    } catch (err) {
      if (!fromEnv) fs.rmSync(pending, { force: true });
      throw new Error(`the rotation failed and changed nothing (the old key still opens every secret): ${(err as Error).message}`);
    }

    // the file must not keep the old ciphertexts in free pages or in the WAL
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.exec('VACUUM');
    db.pragma('wal_checkpoint(TRUNCATE)');

    // every secret opens under the new key
    const repo = secretsRepository(db, next);
    for (const { id } of db.prepare('SELECT id FROM secrets').all() as Array<{ id: string }>) repo.get(id);

    if (!fromEnv) {
      if (keepOld) {
        const old = path.join(dir, `master.key.old-${time}`);
        fs.copyFileSync(keyFile, old, fs.constants.COPYFILE_EXCL);
        fs.chmodSync(old, 0o600);
        console.log(`kpki: the old master key is kept in ${old}`);
      }
      fs.renameSync(pending, keyFile);
      syncDir(dir);
    }
    console.log(`kpki: ${n} secret(s) re-sealed under master key id ${keyIdOf(next)} (was ${currentId})`);
    if (fromEnv) console.log('      put the new key above into KPKI_MASTER_KEY before starting kpki; the old key no longer opens this database.');
    else console.log(`      ${keyFile} holds the new key; the old key no longer opens this database.`);
    console.log('      backups taken before now are still sealed under the old key: keep it as long as you keep them.');
  } finally {
    db.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  if (command === 'backup') return backup(args);
  if (command === 'rotate-master-key') return rotate(args);
  if (command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return;
  }
  throw new UsageError(USAGE);
}

main(process.argv.slice(2)).catch((err) => {
  console.error(`kpki: ${(err as Error).message}`);
  process.exit(err instanceof UsageError ? 2 : 1);
});
