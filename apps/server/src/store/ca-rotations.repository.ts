/**
 * CA rotations (issue 13): at most one active rotation per cluster (a unique index says so), the
 * phase it reached, the new CA (its key sealed like every private key) and the cross-signed copy;
 * finalized and aborted rotations stay as history. The certificates table keeps the CAs
 * themselves: the new CA becomes its current `ca` at switch; the old one is marked retired at
 * finalize, or made current again by an abort after switch.
 */
import crypto from 'node:crypto';
import type { Db } from './db.ts';
import type { SecretsRepository } from './secrets.repository.ts';

export type RotationStatus = 'active' | 'finalized' | 'aborted';
export type RotationPhase = 'prepared' | 'switched';

export interface RotationRow {
  id: string;
  clusterId: number;
  status: RotationStatus;
  phase: RotationPhase;
  /** the certificate row of the CA being replaced */
  oldCaId: string;
  newCaPem: string;
  newCaKeySecretId: string;
  /** the certificate row of the new CA, once switched */
  newCaId: string | null;
  crossSignedPem: string;
  startedAt: string;
  switchedAt: string | null;
  updatedAt: string;
  endedAt: string | null;
}

const COLUMNS = `id, cluster_id AS clusterId, status, phase, old_ca_id AS oldCaId, new_ca_pem AS newCaPem,
  new_ca_key_secret_id AS newCaKeySecretId, new_ca_id AS newCaId, cross_signed_pem AS crossSignedPem,
  started_at AS startedAt, switched_at AS switchedAt, updated_at AS updatedAt, ended_at AS endedAt`;

export function caRotationsRepository(db: Db, secrets: SecretsRepository) {
  const active = db.prepare(`SELECT ${COLUMNS} FROM ca_rotations WHERE cluster_id = ? AND status = 'active'`);
  const all = db.prepare(`SELECT ${COLUMNS} FROM ca_rotations WHERE cluster_id = ? ORDER BY started_at DESC, rowid DESC`);
  const insert = db.prepare(`INSERT INTO ca_rotations (id, cluster_id, status, phase, old_ca_id, new_ca_pem, new_ca_key_secret_id, cross_signed_pem, started_at, updated_at)
    VALUES (?, ?, 'active', 'prepared', ?, ?, ?, ?, ?, ?)`);
  const setPhase = db.prepare('UPDATE ca_rotations SET phase = ?, new_ca_id = ?, switched_at = ?, updated_at = ? WHERE id = ? AND status = \'active\'');
  const end = db.prepare('UPDATE ca_rotations SET status = ?, updated_at = ?, ended_at = ? WHERE id = ? AND status = \'active\'');
  const secretIdsOf = db.prepare('SELECT new_ca_key_secret_id AS id FROM ca_rotations WHERE cluster_id = ?');
  const retireCert = db.prepare("UPDATE certificates SET status = 'retired' WHERE id = ? AND cluster_id = ?");
  const supersedeCa = db.prepare("UPDATE certificates SET status = 'superseded' WHERE cluster_id = ? AND name = 'ca' AND status = 'current'");
  const makeCurrent = db.prepare("UPDATE certificates SET status = 'current' WHERE id = ? AND cluster_id = ? AND name = 'ca'");

  return {
    /** The cluster's active rotation, or null. */
    active(clusterId: number): RotationRow | null {
      return (active.get(clusterId) as RotationRow | undefined) ?? null;
    },
    /** Every rotation of the cluster, newest first. */
    list(clusterId: number): RotationRow[] {
      return all.all(clusterId) as RotationRow[];
    },
    /** Starts a rotation in phase prepared; the new CA's key is sealed (its id is the AES-GCM additional data). */
    start(clusterId: number, r: { oldCaId: string; newCaPem: string; newCaKeyPem: string; crossSignedPem: string }, now: string): RotationRow {
      const sealed = secrets.seal(r.newCaKeyPem);
      const id = crypto.randomUUID();
      db.transaction(() => {
        secrets.store(sealed);
        insert.run(id, clusterId, r.oldCaId, r.newCaPem, sealed.id, r.crossSignedPem, now, now);
      })();
      return this.active(clusterId)!;
    },
    /** The new CA's private key. */
    newCaKeyPem(r: RotationRow): string {
      return secrets.get(r.newCaKeySecretId);
    },
    /** Records the phase reached (switched: with the new CA's certificate row; back to prepared: without). */
    setPhase(id: string, phase: RotationPhase, newCaId: string | null, now: string): void {
      setPhase.run(phase, newCaId, phase === 'switched' ? now : null, now, id);
    },
    /** Ends the active rotation: finalized or aborted. */
    end(id: string, status: Exclude<RotationStatus, 'active'>, now: string): void {
      end.run(status, now, now, id);
    },
    /** Marks a CA's certificate row retired (the old CA after finalize: kept in history). */
    retireCa(clusterId: number, certificateId: string): void {
      retireCert.run(certificateId, clusterId);
    },
    /** Makes an earlier CA row the current CA again (an abort after switch), superseding the current one. */
    reinstateCa(clusterId: number, certificateId: string): void {
      supersedeCa.run(clusterId);
      makeCurrent.run(certificateId, clusterId);
    },
    /** The sealed keys of every rotation of the cluster (purged with the cluster). */
    secretIds(clusterId: number): string[] {
      return (secretIdsOf.all(clusterId) as Array<{ id: string }>).map((r) => r.id);
    },
  };
}
export type CaRotationsRepository = ReturnType<typeof caRotationsRepository>;
