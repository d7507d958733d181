/**
 * Imports of an existing PKI (issue 14): one row per upload or pull, pending until it is adopted
 * or discarded (or expires). The report (facts and problems, never key material) is plain JSON;
 * the files themselves (certificates and private keys, byte for byte as imported) are one sealed
 * secret, like every private key at rest, and that secret is deleted as soon as the import ends.
 */
import crypto from 'node:crypto';
import type { Db } from './db.ts';
import type { SecretsRepository } from './secrets.repository.ts';

export type ImportState = 'pending' | 'adopted' | 'discarded';

/** A file of an import, byte for byte as it was in the archive or on the node. */
export interface ImportedFile {
  /** its path inside the archive or the pulled folder */
  path: string;
  content: Buffer;
}

export interface ImportRow {
  id: string;
  clusterId: number;
  state: ImportState;
  /** JSON-able description of where the files came from */
  origin: unknown;
  /** the report as built at import time (JSON-able) */
  report: unknown;
  hasCaKey: boolean;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  endedAt: string | null;
  endedBy: string | null;
  endReason: string | null;
  issuanceId: string | null;
}

interface Raw extends Omit<ImportRow, 'origin' | 'report' | 'hasCaKey'> {
  origin: string;
  report: string;
  hasCaKey: number;
  filesSecretId: string | null;
}

const COLUMNS = `id, cluster_id AS clusterId, state, origin, report, has_ca_key AS hasCaKey, files_secret_id AS filesSecretId,
  created_by AS createdBy, created_at AS createdAt, expires_at AS expiresAt, ended_at AS endedAt, ended_by AS endedBy,
  end_reason AS endReason, issuance_id AS issuanceId`;

const hydrate = (r: Raw): ImportRow => {
  const { filesSecretId: _sealed, ...rest } = r;
  return { ...rest, origin: JSON.parse(r.origin), report: JSON.parse(r.report), hasCaKey: r.hasCaKey === 1 };
};

export function importsRepository(db: Db, secrets: SecretsRepository) {
  const insert = db.prepare(`INSERT INTO imports (id, cluster_id, state, origin, report, has_ca_key, files_secret_id, created_by, created_at, expires_at)
    VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?)`);
  const byId = db.prepare(`SELECT ${COLUMNS} FROM imports WHERE cluster_id = ? AND id = ?`);
  const ofCluster = db.prepare(`SELECT ${COLUMNS} FROM imports WHERE cluster_id = ? ORDER BY created_at DESC, rowid DESC`);
  const sealedOf = db.prepare('SELECT files_secret_id AS id FROM imports WHERE id = ?');
  const end = db.prepare(`UPDATE imports SET state = ?, files_secret_id = NULL, ended_at = ?, ended_by = ?, end_reason = ?, issuance_id = ?
    WHERE id = ? AND state = 'pending'`);
  const due = db.prepare("SELECT id, files_secret_id AS secretId FROM imports WHERE state = 'pending' AND expires_at <= ?");
  const secretIdsOf = db.prepare('SELECT files_secret_id AS id FROM imports WHERE cluster_id = ? AND files_secret_id IS NOT NULL');

  /** Ends a pending import and deletes its sealed files; false when it was not pending (any more). */
  const finish = (id: string, state: Exclude<ImportState, 'pending'>, at: string, by: string, reason: string | null, issuanceId: string | null): boolean =>
    db.transaction(() => {
      const sealed = (sealedOf.get(id) as { id: string | null } | undefined)?.id ?? null;
      if (end.run(state, at, by, reason, issuanceId, id).changes === 0) return false;
      if (sealed) secrets.delete([sealed]);
      return true;
    })();

  return {
    /** Stores a pending import: its report in clear, its files sealed (the sealing is done before the transaction). */
    create(i: {
      clusterId: number; origin: unknown; report: unknown; hasCaKey: boolean; files: ImportedFile[]; createdBy: string; createdAt: string; expiresAt: string;
    }): string {
      const id = crypto.randomUUID();
      const sealed = secrets.seal(JSON.stringify(i.files.map((f) => ({ path: f.path, content: f.content.toString('base64') }))));
      db.transaction(() => {
        secrets.store(sealed);
        insert.run(id, i.clusterId, JSON.stringify(i.origin), JSON.stringify(i.report), i.hasCaKey ? 1 : 0, sealed.id, i.createdBy, i.createdAt, i.expiresAt);
      })();
      return id;
    },
    get(clusterId: number, id: string): ImportRow | null {
      const r = byId.get(clusterId, id) as Raw | undefined;
      return r ? hydrate(r) : null;
    },
    /** The cluster's imports, newest first (without files). */
    list(clusterId: number): ImportRow[] {
      return (ofCluster.all(clusterId) as Raw[]).map(hydrate);
    },
    /** The files of a pending import, opened; null once it ended (they were deleted). */
    files(id: string): ImportedFile[] | null {
      const sealed = (sealedOf.get(id) as { id: string | null } | undefined)?.id;
      if (!sealed) return null;
      return (JSON.parse(secrets.get(sealed)) as Array<{ path: string; content: string }>).map((f) => ({ path: f.path, content: Buffer.from(f.content, 'base64') }));
    },
    /** Marks a pending import adopted (with the issuance that stored it) and deletes its sealed files; false when it was not pending. */
    markAdopted(id: string, at: string, by: string, issuanceId: string): boolean {
      return finish(id, 'adopted', at, by, null, issuanceId);
    },
    /** Discards a pending import and deletes its sealed files; false when it was not pending. */
    discard(id: string, at: string, by: string, reason: string): boolean {
      return finish(id, 'discarded', at, by, reason, null);
    },
    /** Discards every pending import past its expiry; returns their ids. */
    discardExpired(now: string): string[] {
      const rows = due.all(now) as Array<{ id: string }>;
      return rows.filter((r) => finish(r.id, 'discarded', now, 'kpki', 'expired: not adopted in time', null)).map((r) => r.id);
    },
    /** The sealed files of the cluster's pending imports (purging the cluster deletes them). */
    secretIds(clusterId: number): string[] {
      return (secretIdsOf.all(clusterId) as Array<{ id: string }>).map((r) => r.id);
    },
  };
}
export type ImportsRepository = ReturnType<typeof importsRepository>;
