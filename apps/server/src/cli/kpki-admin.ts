/**
 * kpki administration from the command line: `npm run backup` and `npm run rotate-master-key`
 * run the built apps/server/dist/kpki-admin.js (scripts/kpki-admin.mjs builds it when stale).
 * Reads the same environment as the server, with the server's config and store modules:
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
import path from 'node:path';
import { databaseFile, dataDirFrom, decodeMasterKey, masterKeyFileOf } from '../config.ts';
import { backupDatabase, inspectBackup } from '../store/backup.ts';
import { compactDb, openDb } from '../store/db.ts';
import { keyIdOf } from '../store/secret-box.ts';
import { openAll, rotateMasterKey, sealedUnderOtherKeys } from '../store/secrets.repository.ts';

class UsageError extends Error {}

const USAGE = `usage:
  npm run backup [-- --out <file>]              online copy of the database (safe while kpki runs)
  npm run rotate-master-key [-- --keep-old]     new master key, every secret re-sealed (stop kpki first)
environment: KPKI_DATA_DIR (default ./data), KPKI_MASTER_KEY (default <data>/master.key)`;

const stamp = (d = new Date()) => d.toISOString().replace(/[:.]/g, '-');

/** The database of the data folder; a UsageError when there is none. */
function existingDatabase(dir: string): string {
  const file = databaseFile(dir);
  if (!fs.existsSync(file)) throw new UsageError(`no database at ${file}: set KPKI_DATA_DIR to kpki's data folder`);
  return file;
}

async function backup(args: string[]): Promise<void> {
  let out: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out' && args[i + 1]) out = path.resolve(args[++i]);
    else throw new UsageError(`unknown option ${args[i]}\n${USAGE}`);
  }
  const dir = dataDirFrom();
  if (out && fs.existsSync(out)) throw new UsageError(`${out} exists: choose a new file`);
  const db = openDb(existingDatabase(dir));
  let file: string;
  try {
    file = await backupDatabase(db, dir, new Date(), out);
  } finally {
    db.close();
  }
  const c = inspectBackup(file);
  const keyIds = c.keyIds;
  console.log(`kpki: backup written to ${file}`);
  console.log(`      ${c.clusters} cluster(s), ${c.certificates} certificate(s), ${c.secrets} sealed private key(s), ${c.users} user(s); integrity ok`);
  console.log(`      the private keys in it are sealed under master key id ${keyIds.join(', ') || '(none yet)'}:`);
  console.log('      keep that master key (KPKI_MASTER_KEY or <data>/master.key) with this backup, protected, or the keys in it are lost.');
  console.log(`      restore: stop kpki, copy the file to ${databaseFile(dir)} (remove kpki.db-wal and kpki.db-shm beside it), start kpki with that master key.`);
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
  const dir = dataDirFrom();
  const file = existingDatabase(dir);
  const keyFile = masterKeyFileOf(dir);
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

  const db = openDb(file);
  try {
    const currentId = keyIdOf(current);
    const foreign = sealedUnderOtherKeys(db, currentId);
    if (foreign.length) {
      throw new UsageError(`${foreign.map((f) => `${f.count} secret(s)`).join(', ')} are sealed under master key id ${foreign.map((f) => f.keyId).join(', ')}, not under the given key (${currentId}): give the key that belongs to this database`);
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
    compactDb(db);
    // every secret opens under the new key
    openAll(db, next);

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
