/**
 * Versions of the generated files (kubeconfigs, the encryption config). A kubeconfig's content
 * is derived from the current certificates and never stored (it embeds a private key); each
 * version rendered is recorded by its SHA-256 and the fingerprint of what it was rendered from,
 * so the current one is known without rendering and an earlier one found on a node reads as
 * stale. The encryption config's key is a sealed secret.
 */
import crypto from 'node:crypto';
import type { Db } from './db.ts';

export interface GeneratedVersion {
  id: string;
  name: string;
  sha256: string;
  inputs: string;
  status: 'current' | 'superseded';
  secretId: string | null;
  /** kubeconfigs: SHA-256 of the certificate PEMs it embeds (the CA's, the client's); [] otherwise */
  embeds: string[];
  createdAt: string;
}

/** A version found by its hash, with when the next version of the same file was recorded (null for the current one). */
export interface FoundVersion extends GeneratedVersion {
  nextRecordedAt: string | null;
}

type Row = Omit<FoundVersion, 'embeds'> & { embeds: string | null };
const fromRow = ({ embeds, ...r }: Row): FoundVersion => ({ ...r, embeds: embeds ? (JSON.parse(embeds) as string[]) : [] });

const COLUMNS = 'id, name, sha256, inputs, status, secret_id AS secretId, embeds, created_at AS createdAt';

export function generatedFilesRepository(db: Db) {
  const current = db.prepare(`SELECT ${COLUMNS} FROM generated_files WHERE cluster_id = ? AND name = ? AND status = 'current'`);
  const bySha = db.prepare(`SELECT ${COLUMNS},
    (SELECT min(n.created_at) FROM generated_files n WHERE n.cluster_id = g.cluster_id AND n.name = g.name AND n.rowid > g.rowid) AS nextRecordedAt
    FROM generated_files g WHERE cluster_id = ? AND sha256 = ? ORDER BY status = 'current' DESC, rowid DESC LIMIT 1`);
  // the current version first, then the newest: the first of each hash is the one findBySha answers
  const allEmbeds = db.prepare(`SELECT sha256, embeds FROM generated_files WHERE cluster_id = ? AND embeds IS NOT NULL
    ORDER BY status = 'current' DESC, rowid DESC`);
  const allCurrent = db.prepare(`SELECT ${COLUMNS} FROM generated_files WHERE cluster_id = ? AND status = 'current'`);
  const supersede = db.prepare("UPDATE generated_files SET status = 'superseded' WHERE cluster_id = ? AND name = ? AND status = 'current'");
  const insert = db.prepare(`INSERT INTO generated_files (id, cluster_id, name, sha256, inputs, status, secret_id, embeds, created_at)
    VALUES (?, ?, ?, ?, ?, 'current', ?, ?, ?)`);
  const secrets = db.prepare('SELECT secret_id AS id FROM generated_files WHERE cluster_id = ? AND secret_id IS NOT NULL');

  return {
    /** The current version of a generated file, or null when none was rendered yet. */
    current(clusterId: number, name: string): GeneratedVersion | null {
      const r = current.get(clusterId, name) as Row | undefined;
      return r ? fromRow(r) : null;
    },
    /** The current version of every generated file of the cluster (one read for many nodes). */
    listCurrent(clusterId: number): GeneratedVersion[] {
      return (allCurrent.all(clusterId) as Row[]).map(fromRow);
    },
    /** Records a new current version, superseding the previous one, in one transaction. */
    record(clusterId: number, name: string, v: { sha256: string; inputs: string; secretId?: string | null; embeds?: string[] }, now: string): GeneratedVersion {
      const id = crypto.randomUUID();
      const embeds = v.embeds ?? [];
      db.transaction(() => {
        supersede.run(clusterId, name);
        insert.run(id, clusterId, name, v.sha256, v.inputs, v.secretId ?? null, embeds.length ? JSON.stringify(embeds) : null, now);
      })();
      return { id, name, sha256: v.sha256, inputs: v.inputs, status: 'current', secretId: v.secretId ?? null, embeds, createdAt: now };
    },
    /** The version of a generated file of the cluster with this SHA-256 (the current one first, else the newest), or null. */
    findBySha(clusterId: number, sha256: string): FoundVersion | null {
      const r = bySha.get(clusterId, sha256) as Row | undefined;
      return r ? fromRow(r.status === 'current' ? { ...r, nextRecordedAt: null } : r) : null;
    },
    /**
     * What every kubeconfig version of the cluster embeds (SHA-256 of the CA's and the client's
     * PEM), by the version's hash, as findBySha would answer it: one read for many nodes' files.
     */
    embedsBySha(clusterId: number): Map<string, string[]> {
      const out = new Map<string, string[]>();
      for (const r of allEmbeds.all(clusterId) as Array<{ sha256: string; embeds: string }>) {
        if (!out.has(r.sha256)) out.set(r.sha256, JSON.parse(r.embeds) as string[]);
      }
      return out;
    },
    /** Ids of the sealed secrets the cluster's generated files hold (deleted with the cluster). */
    secretIds(clusterId: number): string[] {
      return (secrets.all(clusterId) as Array<{ id: string }>).map((r) => r.id);
    },
  };
}
export type GeneratedFilesRepository = ReturnType<typeof generatedFilesRepository>;
