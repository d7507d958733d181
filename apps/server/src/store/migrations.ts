/** Schema migrations, applied in order; PRAGMA user_version records how many ran. */
export const migrations: string[] = [
  /* 1: clusters, nodes, secrets, certificates, issuances, jobs */ `
  CREATE TABLE clusters (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    spec TEXT NOT NULL,               -- ClusterInput without nodes, JSON
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE nodes (
    cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    addresses TEXT NOT NULL,          -- JSON array
    ssh TEXT,                         -- JSON SshSettings or NULL
    status TEXT,                      -- JSON NodeStatus of the last look, or NULL
    PRIMARY KEY (cluster_id, name)
  );
  CREATE TABLE secrets (
    id TEXT PRIMARY KEY,              -- also the AES-GCM additional data
    version INTEGER NOT NULL,
    key_id TEXT NOT NULL,
    iv BLOB NOT NULL,
    tag BLOB NOT NULL,
    ciphertext BLOB NOT NULL
  );
  CREATE TABLE issuances (
    id TEXT PRIMARY KEY,
    cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,               -- 'ca' | 'leaves'
    job_id TEXT,
    created_at TEXT NOT NULL
  );
  CREATE TABLE certificates (
    id TEXT PRIMARY KEY,
    cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    issuance_id TEXT NOT NULL REFERENCES issuances(id),
    name TEXT NOT NULL,
    serial TEXT NOT NULL,
    cn TEXT NOT NULL,
    o TEXT NOT NULL,
    not_before TEXT NOT NULL,
    not_after TEXT NOT NULL,
    sha256 TEXT NOT NULL,             -- fingerprint of the DER
    pem_sha256 TEXT NOT NULL,         -- SHA-256 of the PEM file as distributed
    key_sha256 TEXT NOT NULL,         -- SHA-256 of the key PEM file as distributed
    key_algorithm TEXT NOT NULL,
    status TEXT NOT NULL,             -- 'current' | 'superseded'
    pem TEXT NOT NULL,
    key_secret_id TEXT NOT NULL REFERENCES secrets(id),
    created_at TEXT NOT NULL
  );
  CREATE UNIQUE INDEX certificates_current ON certificates(cluster_id, name) WHERE status = 'current';
  CREATE INDEX certificates_cluster ON certificates(cluster_id, name, created_at);
  CREATE INDEX certificates_pem_sha ON certificates(cluster_id, pem_sha256);
  CREATE INDEX certificates_key_sha ON certificates(cluster_id, key_sha256);
  CREATE TABLE deploy_keys (
    cluster_id INTEGER PRIMARY KEY REFERENCES clusters(id) ON DELETE CASCADE,
    public_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    source TEXT NOT NULL,
    secret_id TEXT NOT NULL REFERENCES secrets(id)
  );
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    cluster_id INTEGER REFERENCES clusters(id) ON DELETE SET NULL,
    cluster_name TEXT NOT NULL,
    type TEXT NOT NULL,
    status TEXT NOT NULL,
    params TEXT NOT NULL,
    result TEXT,
    error TEXT,
    progress_done INTEGER NOT NULL DEFAULT 0,
    progress_total INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT
  );
  CREATE INDEX jobs_cluster ON jobs(cluster_name, created_at);
  CREATE TABLE job_logs (
    id INTEGER PRIMARY KEY,
    job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    level TEXT NOT NULL,
    node TEXT,
    message TEXT NOT NULL
  );
  CREATE INDEX job_logs_job ON job_logs(job_id, id);
  `,
];
