/**
 * Keys generated ahead of issuance, per cluster and algorithm, sealed under the master key (the
 * row id is the additional data). A key is taken at most once: taking deletes its row in the
 * same statement. They are disposable: expired ones are deleted, and a master key rotation or a
 * key sealed under another master key simply discards them.
 */
import crypto from 'node:crypto';
import type { KeyAlgorithm } from '@kpki/shared';
import type { Db } from './db.ts';
import { keyIdOf, open, seal, type Sealed } from './secret-box.ts';

export function preparedKeysRepository(db: Db, masterKey: Buffer) {
  const insert = db.prepare(`INSERT INTO prepared_keys (id, cluster_id, algorithm, version, key_id, iv, tag, ciphertext, created_at, expires_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  // oldest first; expired keys are never handed out
  const takeOne = db.prepare(`DELETE FROM prepared_keys WHERE id = (SELECT id FROM prepared_keys
    WHERE cluster_id = ? AND algorithm = ? AND expires_at > ? ORDER BY created_at, rowid LIMIT 1)
    RETURNING id, version, key_id AS keyId, iv, tag, ciphertext`);
  const countOf = db.prepare('SELECT count(*) AS n FROM prepared_keys WHERE cluster_id = ? AND algorithm = ? AND expires_at > ?');
  const expired = db.prepare('DELETE FROM prepared_keys WHERE expires_at <= ?');
  const foreign = db.prepare('DELETE FROM prepared_keys WHERE key_id != ?');
  const ofOtherAlgorithm = db.prepare('DELETE FROM prepared_keys WHERE cluster_id = ? AND algorithm != ?');
  const ofCluster = db.prepare('DELETE FROM prepared_keys WHERE cluster_id = ?');

  return {
    /** Seals and stores a key generated for `clusterId`, usable until `expiresAt`. */
    add(clusterId: number, algorithm: KeyAlgorithm, keyPem: string, now: Date, expiresAt: Date): void {
      const id = crypto.randomUUID();
      const s = seal(masterKey, id, keyPem);
      insert.run(id, clusterId, algorithm, s.version, s.keyId, s.iv, s.tag, s.ciphertext, now.toISOString(), expiresAt.toISOString());
    },
    /** Removes and returns the oldest unexpired key of that cluster and algorithm, or null. */
    take(clusterId: number, algorithm: KeyAlgorithm, now: Date): string | null {
      const row = takeOne.get(clusterId, algorithm, now.toISOString()) as (Sealed & { id: string }) | undefined;
      return row ? open(masterKey, row.id, row) : null;
    },
    /** Unexpired keys of that cluster and algorithm. */
    count(clusterId: number, algorithm: KeyAlgorithm, now: Date): number {
      return (countOf.get(clusterId, algorithm, now.toISOString()) as { n: number }).n;
    },
    /** Deletes expired keys, and keys sealed under another master key; returns how many. */
    sweep(now: Date): number {
      return expired.run(now.toISOString()).changes + foreign.run(keyIdOf(masterKey)).changes;
    },
    /** Deletes every key of the cluster (it was deleted). */
    dropCluster(clusterId: number): number {
      return ofCluster.run(clusterId).changes;
    },
    /** Deletes the cluster's keys of any other algorithm (its algorithm changed). */
    dropOtherAlgorithms(clusterId: number, algorithm: KeyAlgorithm): number {
      return ofOtherAlgorithm.run(clusterId, algorithm).changes;
    },
  };
}
export type PreparedKeysRepository = ReturnType<typeof preparedKeysRepository>;
