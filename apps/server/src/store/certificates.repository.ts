/** Issued certificates and issuances. Keys are sealed through the secrets repository. */
import crypto from 'node:crypto';
import type { CertificateSummary, ClusterInput, IssuanceRecord } from '@kpki/shared';
import type { Db } from './db.ts';
import type { SecretsRepository } from './secrets.repository.ts';

/** What the store needs of a freshly issued certificate. */
export interface NewCertificate {
  name: string;
  serial: string;
  cn: string;
  o: string;
  notBefore: string;
  notAfter: string;
  sha256: string;
  keyAlgorithm: string;
  pem: string;
  keyPem: string;
}

/** A NewCertificate ready to store: hashes computed, private key sealed (and dropped). */
export interface PreparedCertificate extends Omit<NewCertificate, 'keyPem'> {
  keyPem?: undefined;
  pemSha256: string;
  keySha256: string;
  key: ReturnType<SecretsRepository['seal']>;
}

export interface StoredCertificate extends Omit<CertificateSummary, 'recipients'> {
  id: string;
  pem: string;
  pemSha256: string;
  keySha256: string;
  keySecretId: string;
}

/** The current version of a certificate as a node's file needs it: its hashes, no PEM (read with pemOf when rendering). */
export type CurrentFile = Pick<StoredCertificate, 'id' | 'name' | 'pemSha256' | 'keySha256' | 'keySecretId'> & { pem?: string };

/** A certificate row without its PEM: what lists of certificates show. */
export type CertificateRow = Omit<StoredCertificate, 'pem'>;

/** A version found by the SHA-256 of its PEM, without the PEM (expiry of what nodes hold). */
export type PemVersion = Pick<StoredCertificate, 'id' | 'name' | 'serial' | 'notAfter' | 'status' | 'pemSha256'>;

/** Which version of which issued file a content is (see CertificatesRepository.versionOf). */
export interface IssuedVersion {
  name: string;
  part: 'cert' | 'key';
  serial: string;
  current: boolean;
  /** when the next version of the same name was stored; null for the current version */
  supersededAt: string | null;
}

/** A version of a certificate without its PEM: what finding a file by its hash needs. */
export interface CertificateVersion {
  id: string;
  name: string;
  serial: string;
  status: 'current' | 'superseded';
  pemSha256: string;
  keySha256: string;
}

/** What made an issuance: the CA, every leaf, a renewal, the apply of topology changes, a CA rotation, or the adoption of an imported PKI. */
export type IssuanceKind = 'ca' | 'leaves' | 'renewal' | 'changes' | 'rotation' | 'import';

export const sha256Hex = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

const COLUMNS = `id, name, serial, cn, o, not_before AS notBefore, not_after AS notAfter, sha256,
  key_algorithm AS keyAlgorithm, issuance_id AS issuanceId, status, pem, pem_sha256 AS pemSha256,
  key_sha256 AS keySha256, key_secret_id AS keySecretId,
  CASE (SELECT kind FROM issuances WHERE issuances.id = certificates.issuance_id) WHEN 'import' THEN 'imported' ELSE 'issued' END AS source`;

export function certificatesRepository(db: Db, secrets: SecretsRepository) {
  const insertIssuance = db.prepare('INSERT INTO issuances (id, cluster_id, kind, job_id, created_at, topology) VALUES (?, ?, ?, ?, ?, ?)');
  const lastTopology = db.prepare('SELECT topology FROM issuances WHERE cluster_id = ? AND topology IS NOT NULL ORDER BY created_at DESC, rowid DESC LIMIT 1');
  const recentTopologies = db.prepare(`SELECT topology FROM issuances WHERE cluster_id = ? AND topology IS NOT NULL
    GROUP BY topology ORDER BY max(created_at) DESC, max(rowid) DESC LIMIT ?`);
  const supersede = db.prepare("UPDATE certificates SET status = 'superseded' WHERE cluster_id = ? AND name = ? AND status = 'current'");
  const insert = db.prepare(`INSERT INTO certificates (id, cluster_id, issuance_id, name, serial, cn, o, not_before, not_after, sha256,
    pem_sha256, key_sha256, key_algorithm, status, pem, key_secret_id, created_at)
    VALUES (@id, @clusterId, @issuanceId, @name, @serial, @cn, @o, @notBefore, @notAfter, @sha256, @pemSha256, @keySha256,
    @keyAlgorithm, 'current', @pem, @keySecretId, @createdAt)`);
  const current = db.prepare(`SELECT ${COLUMNS} FROM certificates WHERE cluster_id = ? AND status = 'current' ORDER BY created_at, rowid`);
  const currentRows = db.prepare(`SELECT ${COLUMNS.replace(' pem,', '')} FROM certificates WHERE cluster_id = ? AND status = 'current' ORDER BY created_at, rowid`);
  const currentFiles = db.prepare(`SELECT id, name, pem_sha256 AS pemSha256, key_sha256 AS keySha256, key_secret_id AS keySecretId
    FROM certificates WHERE cluster_id = ? AND status = 'current'`);
  // newest first: the first of each PEM hash is the one findByPemSha256 answers
  const pemVersions = db.prepare(`SELECT id, name, serial, not_after AS notAfter, status, pem_sha256 AS pemSha256 FROM certificates
    WHERE cluster_id = ? ORDER BY created_at DESC, rowid DESC`);
  const everything = db.prepare(`SELECT ${COLUMNS} FROM certificates WHERE cluster_id = ? ORDER BY created_at DESC, rowid`);
  const currentByName = db.prepare(`SELECT ${COLUMNS} FROM certificates WHERE cluster_id = ? AND name = ? AND status = 'current'`);
  const byId = db.prepare(`SELECT ${COLUMNS} FROM certificates WHERE cluster_id = ? AND id = ?`);
  const bySerial = db.prepare(`SELECT ${COLUMNS} FROM certificates WHERE cluster_id = ? AND name = ? AND serial = ?`);
  const issuances = db.prepare(`SELECT i.id, i.kind, i.created_at AS createdAt, count(c.id) AS certificates FROM issuances i
    LEFT JOIN certificates c ON c.issuance_id = i.id WHERE i.cluster_id = ? GROUP BY i.id ORDER BY i.created_at DESC, i.rowid DESC`);
  const secretIdsOf = db.prepare('SELECT key_secret_id AS id FROM certificates WHERE cluster_id = ?');
  // the version a content hash belongs to (current first), and when the next version of its name replaced it
  const versionBy = (column: 'pem_sha256' | 'key_sha256') => db.prepare(`SELECT c.name, c.serial, c.status,
    (SELECT min(n.created_at) FROM certificates n WHERE n.cluster_id = c.cluster_id AND n.name = c.name AND n.rowid > c.rowid) AS supersededAt
    FROM certificates c WHERE c.cluster_id = ? AND c.${column} = ? ORDER BY c.status = 'current' DESC, c.rowid DESC LIMIT 1`);
  const versionByPem = versionBy('pem_sha256');
  const versionByKey = versionBy('key_sha256');
  const versionOf = (clusterId: number, sha256: string): IssuedVersion | null => {
    for (const [part, stmt] of [['cert', versionByPem], ['key', versionByKey]] as const) {
      const r = stmt.get(clusterId, sha256) as { name: string; serial: string; status: string; supersededAt: string | null } | undefined;
      if (r) return { name: r.name, part, serial: r.serial, current: r.status === 'current', supersededAt: r.status === 'current' ? null : r.supersededAt };
    }
    return null;
  };
  const versions = db.prepare(`SELECT id, name, serial, status, pem_sha256 AS pemSha256, key_sha256 AS keySha256 FROM certificates
    WHERE cluster_id = ? ORDER BY created_at DESC, rowid`);
  const pemById = db.prepare('SELECT pem FROM certificates WHERE id = ?');

  const byPemSha = db.prepare(`SELECT ${COLUMNS} FROM certificates WHERE cluster_id = ? AND pem_sha256 = ? ORDER BY created_at DESC, rowid DESC LIMIT 1`);
  const retire = db.prepare("UPDATE certificates SET status = 'retired' WHERE cluster_id = ? AND name = ? AND status = 'current'");

  return {
    /** Everything a certificate row needs, key sealed: the costly part, done before the transaction. */
    prepare(c: NewCertificate): PreparedCertificate {
      return { ...c, keyPem: undefined, pemSha256: sha256Hex(c.pem), keySha256: sha256Hex(c.keyPem), key: secrets.seal(c.keyPem) };
    },
    /**
     * The one path by which certificates change (issuance, renewal, apply of changes): stores a
     * whole issuance atomically, every certificate of it superseding the current version of its
     * name, and marks the current versions of `retire` retired (their node left the topology),
     * or does nothing at all. `topology` is the cluster the certificates were made from (null
     * for a CA): the links in force follow it (appliedTopology).
     */
    storeIssuance(
      clusterId: number, kind: IssuanceKind, jobId: string | null, certs: PreparedCertificate[], now: string, topology: ClusterInput | null,
      opts: { retire?: string[] } = {},
    ): string {
      const issuanceId = crypto.randomUUID();
      db.transaction(() => {
        insertIssuance.run(issuanceId, clusterId, kind, jobId, now, topology ? JSON.stringify(topology) : null);
        for (const name of opts.retire ?? []) retire.run(clusterId, name);
        for (const c of certs) {
          supersede.run(clusterId, c.name);
          insert.run({
            id: crypto.randomUUID(), clusterId, issuanceId, name: c.name, serial: c.serial, cn: c.cn, o: c.o,
            notBefore: c.notBefore, notAfter: c.notAfter, sha256: c.sha256, pemSha256: c.pemSha256,
            keySha256: c.keySha256, keyAlgorithm: c.keyAlgorithm, pem: c.pem,
            keySecretId: secrets.store(c.key), createdAt: now,
          });
        }
      })();
      return issuanceId;
    },
    listCurrent(clusterId: number): StoredCertificate[] {
      return current.all(clusterId) as StoredCertificate[];
    },
    /** listCurrent without the PEMs (lists of certificates). */
    listCurrentRows(clusterId: number): CertificateRow[] {
      return currentRows.all(clusterId) as CertificateRow[];
    },
    /** The current version of every certificate of the cluster as files need it (hashes, no PEM): one read for many nodes. */
    listCurrentFiles(clusterId: number): CurrentFile[] {
      return currentFiles.all(clusterId) as CurrentFile[];
    },
    /**
     * Every version of the cluster by the SHA-256 of its PEM, without PEMs: what findByPemSha256
     * answers for each hash, for one read of many nodes.
     */
    versionsByPemSha256(clusterId: number): Map<string, PemVersion> {
      const out = new Map<string, PemVersion>();
      for (const v of pemVersions.all(clusterId) as PemVersion[]) if (!out.has(v.pemSha256)) out.set(v.pemSha256, v);
      return out;
    },
    listAll(clusterId: number): StoredCertificate[] {
      return everything.all(clusterId) as StoredCertificate[];
    },
    /** Every version of every certificate of the cluster, newest first, without the PEMs. */
    listVersions(clusterId: number): CertificateVersion[] {
      return versions.all(clusterId) as CertificateVersion[];
    },
    /** The PEM of one version. */
    pemOf(id: string): string {
      return (pemById.get(id) as { pem: string }).pem;
    },
    getCurrent(clusterId: number, name: string): StoredCertificate | null {
      return (currentByName.get(clusterId, name) as StoredCertificate | undefined) ?? null;
    },
    /** One version by its row id (of this cluster), or null. */
    getById(clusterId: number, id: string): StoredCertificate | null {
      return (byId.get(clusterId, id) as StoredCertificate | undefined) ?? null;
    },
    getBySerial(clusterId: number, name: string, serial: string): StoredCertificate | null {
      return (bySerial.get(clusterId, name, serial) as StoredCertificate | undefined) ?? null;
    },
    keyPem(cert: Pick<StoredCertificate, 'keySecretId'>): string {
      return secrets.get(cert.keySecretId);
    },
    issuances(clusterId: number): IssuanceRecord[] {
      return issuances.all(clusterId) as IssuanceRecord[];
    },
    /** The topology of the latest issuance that recorded one (the certificates in force were made from it), or null. */
    appliedTopology(clusterId: number): ClusterInput | null {
      const r = lastTopology.get(clusterId) as { topology: string } | undefined;
      return r ? (JSON.parse(r.topology) as ClusterInput) : null;
    },
    /** The distinct topologies issuances recorded, the latest first, at most `limit` (JSON text, parsed by the caller when needed). */
    recentTopologies(clusterId: number, limit: number): string[] {
      return (recentTopologies.all(clusterId, limit) as Array<{ topology: string }>).map((r) => r.topology);
    },
    /** The ids of the sealed private keys of every certificate of the cluster, every version. */
    secretIds(clusterId: number): string[] {
      return (secretIdsOf.all(clusterId) as Array<{ id: string }>).map((r) => r.id);
    },
    /** The version whose PEM file has this SHA-256 (a file as a node holds it), or null. */
    findByPemSha256(clusterId: number, sha256: string): StoredCertificate | null {
      return (byPemSha.get(clusterId, sha256) as StoredCertificate | undefined) ?? null;
    },
    /** Whether a file with this SHA-256 was ever issued for the cluster (a stale file). */
    wasIssued(clusterId: number, sha256: string): boolean {
      return versionOf(clusterId, sha256) !== null;
    },
    /**
     * The issued certificate (`part: 'cert'`) or key (`part: 'key'`) whose file has this SHA-256,
     * the current version first; null when the cluster never issued that content.
     */
    versionOf,
  };
}
export type CertificatesRepository = ReturnType<typeof certificatesRepository>;
