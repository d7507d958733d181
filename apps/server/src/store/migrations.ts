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
  /* 2: users, sessions, API tokens, append-only audit log */ `
  CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,      -- argon2id
    role TEXT NOT NULL,               -- 'admin' | 'operator' | 'viewer'
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
  );
  CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,         -- SHA-256 of the cookie value; the value itself is never stored
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    elevated_until TEXT               -- password re-entered until then (CA key downloads)
  );
  CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,  -- SHA-256 of the bearer token
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
  );
  CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    object TEXT NOT NULL,
    address TEXT NOT NULL,
    result TEXT NOT NULL,
    details TEXT
  );
  CREATE INDEX audit_at ON audit(at);
  CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  `,
  /* 3: the topology each issuance was made from; files seen on nodes that kpki did not issue */ `
  ALTER TABLE issuances ADD COLUMN topology TEXT;   -- ClusterInput (JSON) the leaves were issued from; NULL for a CA
  CREATE TABLE observed_files (
    cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    sha256 TEXT NOT NULL,             -- SHA-256 of a file a verify found on a node, unknown to kpki
    content TEXT NOT NULL,            -- JSON ObservedContent: certificates (public) and a key's public half, never key material
    seen_at TEXT NOT NULL,
    PRIMARY KEY (cluster_id, sha256)
  );
  `,
  /* 4: API tokens expire and say why they were revoked; the audit names the token a request came with */ `
  ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
  ALTER TABLE api_tokens ADD COLUMN revoked_reason TEXT;
  UPDATE api_tokens SET expires_at = strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '+90 days') WHERE expires_at IS NULL;
  ALTER TABLE audit ADD COLUMN token_id TEXT;
  ALTER TABLE audit ADD COLUMN token_name TEXT;
  `,
  /* 5: a deleted cluster stays, with its CA and keys, until it is restored or purged */ `
  ALTER TABLE clusters ADD COLUMN deleted_at TEXT;
  ALTER TABLE clusters ADD COLUMN deleted_by TEXT;
  `,
  /* 6: audit archives; rows leave the append-only audit log only into an archive that records them */ `
  CREATE TABLE audit_archives (
    id INTEGER PRIMARY KEY,
    first_id INTEGER NOT NULL,         -- the audit rows first_id..last_id moved to the file
    last_id INTEGER NOT NULL,
    first_at TEXT NOT NULL,
    last_at TEXT NOT NULL,
    rows INTEGER NOT NULL,
    file TEXT NOT NULL,                -- name under <data>/audit-archives/
    sha256 TEXT NOT NULL,              -- SHA-256 of the file
    previous_sha256 TEXT,              -- record_sha256 of the archive before (the chain)
    record_sha256 TEXT NOT NULL,       -- SHA-256 of this record's fields with previous_sha256
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
  );
  CREATE TRIGGER audit_archives_no_update BEFORE UPDATE ON audit_archives BEGIN SELECT RAISE(ABORT, 'audit archives are append-only'); END;
  CREATE TRIGGER audit_archives_no_delete BEFORE DELETE ON audit_archives BEGIN SELECT RAISE(ABORT, 'audit archives are append-only'); END;
  DROP TRIGGER audit_no_delete;
  CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit WHEN OLD.id > (SELECT coalesce(max(last_id), 0) FROM audit_archives)
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: only rows recorded in an archive leave it'); END;
  `,
  /* 7: every version of the generated files (kubeconfigs, encryption config): the current one and the hashes of earlier ones */ `
  CREATE TABLE generated_files (
    id TEXT PRIMARY KEY,
    cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    name TEXT NOT NULL,               -- kubeconfig name ('worker1', 'admin', ...) or 'encryption-config.yaml'
    sha256 TEXT NOT NULL,             -- SHA-256 of the file as distributed
    inputs TEXT NOT NULL,             -- SHA-256 of what it was rendered from (settings, embedded certificates)
    status TEXT NOT NULL,             -- 'current' | 'superseded'
    secret_id TEXT REFERENCES secrets(id), -- the encryption config's sealed key; NULL for kubeconfigs (derived)
    embeds TEXT,                      -- kubeconfigs: JSON array of the SHA-256 of the certificate PEMs embedded
    created_at TEXT NOT NULL
  );
  CREATE UNIQUE INDEX generated_files_current ON generated_files(cluster_id, name) WHERE status = 'current';
  CREATE INDEX generated_files_sha ON generated_files(cluster_id, sha256);
  `,
  /* 8: keys generated ahead of issuance (issue 10), sealed like every private key; the row id is the AES-GCM additional data */ `
  CREATE TABLE prepared_keys (
    id TEXT PRIMARY KEY,
    cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    algorithm TEXT NOT NULL,
    version INTEGER NOT NULL,
    key_id TEXT NOT NULL,
    iv BLOB NOT NULL,
    tag BLOB NOT NULL,
    ciphertext BLOB NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );
  CREATE INDEX prepared_keys_take ON prepared_keys(cluster_id, algorithm, created_at);
  `,
  /* 9: CA rotations (issue 13): the new CA (its key sealed) and its cross-signed copy until switch, the phase, and the history */ `
  CREATE TABLE ca_rotations (
    id TEXT PRIMARY KEY,
    cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    status TEXT NOT NULL,             -- 'active' | 'finalized' | 'aborted'
    phase TEXT NOT NULL,              -- 'prepared' | 'switched': the last phase reached
    old_ca_id TEXT NOT NULL REFERENCES certificates(id),
    new_ca_pem TEXT NOT NULL,
    new_ca_key_secret_id TEXT NOT NULL REFERENCES secrets(id),
    new_ca_id TEXT REFERENCES certificates(id),   -- the certificate row of the new CA, from switch on
    cross_signed_pem TEXT NOT NULL,   -- the new CA signed by the old key, for clients kpki does not manage
    started_at TEXT NOT NULL,
    switched_at TEXT,
    updated_at TEXT NOT NULL,
    ended_at TEXT
  );
  CREATE UNIQUE INDEX ca_rotations_active ON ca_rotations(cluster_id) WHERE status = 'active';
  CREATE INDEX ca_rotations_cluster ON ca_rotations(cluster_id, started_at);
  `,
  /* 10: imports of an existing PKI (issue 14): a pending import per upload or pull, its report, its files sealed until adopted or discarded */ `
  CREATE TABLE imports (
    id TEXT PRIMARY KEY,
    cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    state TEXT NOT NULL,              -- 'pending' | 'adopted' | 'discarded'
    origin TEXT NOT NULL,             -- JSON ImportOrigin: an archive (media type, size, SHA-256) or a pull (node, path)
    report TEXT NOT NULL,             -- JSON ImportReport: facts and problems, never key material
    has_ca_key INTEGER NOT NULL,      -- the files hold the CA key: adopting it follows the CA key rule
    files_secret_id TEXT REFERENCES secrets(id), -- the files as imported (certificates and keys), sealed; NULL once adopted or discarded
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,         -- a pending import not adopted by then is discarded
    ended_at TEXT,
    ended_by TEXT,
    end_reason TEXT,
    issuance_id TEXT REFERENCES issuances(id)  -- what adoption stored
  );
  CREATE INDEX imports_cluster ON imports(cluster_id, created_at);
  CREATE INDEX imports_pending ON imports(expires_at) WHERE state = 'pending';
  `,
];
