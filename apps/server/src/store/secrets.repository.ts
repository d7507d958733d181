/** Encrypted secrets (private keys). Plain text never reaches the database. */
import crypto from 'node:crypto';
import type { Db } from './db.ts';
import { open, seal, type Sealed } from './secret-box.ts';

export function secretsRepository(db: Db, masterKey: Buffer) {
  const insert = db.prepare('INSERT INTO secrets (id, version, key_id, iv, tag, ciphertext) VALUES (?, ?, ?, ?, ?, ?)');
  const get = db.prepare('SELECT version, key_id AS keyId, iv, tag, ciphertext FROM secrets WHERE id = ?');
  const drop = db.prepare('DELETE FROM secrets WHERE id = ?');
  const store = (id: string, s: Sealed) => void insert.run(id, s.version, s.keyId, s.iv, s.tag, s.ciphertext);
  return {
    /** Seals a secret under a new id without storing it (the costly half, done outside transactions). */
    seal(plaintext: string): { id: string; sealed: Sealed } {
      const id = crypto.randomUUID();
      return { id, sealed: seal(masterKey, id, plaintext) };
    },
    /** Stores what seal() returned. */
    store(s: { id: string; sealed: Sealed }): string {
      store(s.id, s.sealed);
      return s.id;
    },
    /** Seals and stores a secret; returns its id. */
    put(plaintext: string): string {
      return this.store(this.seal(plaintext));
    },
    /** Deletes sealed secrets (a deleted cluster's keys, a replaced deploy key). */
    delete(ids: readonly string[]): void {
      for (const id of ids) drop.run(id);
    },
    /** Opens a stored secret. */
    get(id: string): string {
      const row = get.get(id) as Sealed | undefined;
      if (!row) throw new Error(`secret ${id} is missing`);
      return open(masterKey, id, row);
    },
  };
}
export type SecretsRepository = ReturnType<typeof secretsRepository>;

/** How many secrets are sealed under each master key id other than `keyId` ([] when all are under it). */
export function sealedUnderOtherKeys(db: Db, keyId: string): Array<{ keyId: string; count: number }> {
  return db.prepare('SELECT key_id AS keyId, count(*) AS count FROM secrets WHERE key_id != ? GROUP BY key_id ORDER BY key_id').all(keyId) as Array<{ keyId: string; count: number }>;
}

/** Opens every secret with `masterKey`; throws at the first that does not open. Returns how many opened. */
export function openAll(db: Db, masterKey: Buffer): number {
  const rows = db.prepare('SELECT id, version, key_id AS keyId, iv, tag, ciphertext FROM secrets').all() as Array<Sealed & { id: string }>;
  for (const r of rows) open(masterKey, r.id, r);
  return rows.length;
}

/**
 * Re-seals every secret from one master key to another in one transaction. Prepared keys
 * (generated ahead of issuance, disposable) are discarded instead: they are made again.
 */
export function rotateMasterKey(db: Db, from: Buffer, to: Buffer): number {
  const rows = db.prepare('SELECT id, version, key_id AS keyId, iv, tag, ciphertext FROM secrets').all() as Array<Sealed & { id: string }>;
  const update = db.prepare('UPDATE secrets SET version = ?, key_id = ?, iv = ?, tag = ?, ciphertext = ? WHERE id = ?');
  db.transaction(() => {
    for (const r of rows) {
      const s = seal(to, r.id, open(from, r.id, r));
      update.run(s.version, s.keyId, s.iv, s.tag, s.ciphertext, r.id);
    }
    db.prepare('DELETE FROM prepared_keys').run();
  })();
  return rows.length;
}
