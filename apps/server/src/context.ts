/**
 * The application's services wired once: store, job runner and the use cases. Routes receive
 * this object; nothing below it knows about HTTP.
 */
import { ConfigError, databaseFile, type Config } from './config.ts';
import { keyIdOf } from './store/secret-box.ts';
import { openDb, type Db } from './store/db.ts';
import { sealedUnderOtherKeys, secretsRepository } from './store/secrets.repository.ts';
import { clustersRepository } from './store/clusters.repository.ts';
import { certificatesRepository } from './store/certificates.repository.ts';
import { observedFilesRepository } from './store/observed-files.repository.ts';
import { jobsRepository } from './store/jobs.repository.ts';
import { deployKeysRepository } from './store/deploy-keys.repository.ts';
import { backupDatabase } from './store/backup.ts';
import { generatedFilesRepository } from './store/generated-files.repository.ts';
import { caRotationsRepository } from './store/ca-rotations.repository.ts';
import { importsRepository } from './store/imports.repository.ts';
import { JobRunner } from './jobs/runner.ts';
import { issuanceJob } from './services/issuance.ts';
import { distributionJob } from './services/distribution.job.ts';
import { verificationJob } from './services/verification.job.ts';
import { NodeLocks } from './services/node-locks.ts';
import { usersRepository } from './store/users.repository.ts';
import { auditRepository } from './store/audit.repository.ts';
import { AnonymousRequests } from './auth/anonymous-requests.ts';
import { SignInBackoff } from './auth/sign-in-backoff.ts';
import { preparedKeysRepository } from './store/prepared-keys.repository.ts';
import { KeyPreparer } from './services/key-preparer.ts';
import { applyJob, renewalJob } from './services/lifecycle.job.ts';
import { keysNeeded } from './services/lifecycle.service.ts';
import { caRotationJob } from './services/ca-rotation.job.ts';
import { SshPool } from './ssh/pool.ts';

export interface Deps {
  config: Config;
  /** the database handle: for closing it and for tests that read the file; services use the repositories */
  db: Db;
  now: () => Date;
  /** runs `fn` in one SQLite transaction (all of its writes or none) and returns its result */
  transaction<T>(fn: () => T): T;
  /** closes the database (the app's last act) */
  close(): void;
  /** writes a consistent online copy of the database under <data>/backups/ and returns its path */
  backup(now: Date): Promise<string>;
  deployKeys: ReturnType<typeof deployKeysRepository>;
  secrets: ReturnType<typeof secretsRepository>;
  clusters: ReturnType<typeof clustersRepository>;
  certificates: ReturnType<typeof certificatesRepository>;
  observedFiles: ReturnType<typeof observedFilesRepository>;
  generatedFiles: ReturnType<typeof generatedFilesRepository>;
  /** CA rotations (issue 13) */
  caRotations: ReturnType<typeof caRotationsRepository>;
  /** imports of an existing PKI (issue 14), pending until adopted or discarded */
  imports: ReturnType<typeof importsRepository>;
  jobsRepo: ReturnType<typeof jobsRepository>;
  jobs: JobRunner;
  nodeLocks: NodeLocks;
  /** SSH connections to nodes kept open briefly between jobs (ssh/pool.ts) */
  sshPool: SshPool;
  /** keys generated ahead of issuance (issue 10) */
  keys: KeyPreparer;
  users: ReturnType<typeof usersRepository>;
  audit: ReturnType<typeof auditRepository>;
  /** the rate limit of requests nobody signed in for, and the aggregated audit lines of their rejections */
  anonymous: AnonymousRequests;
  /** failed sign-ins per user name, and the wait they impose (auth/sign-in-backoff.ts) */
  signInBackoff: SignInBackoff;
}

export function createContext(config: Config, now: () => Date = () => new Date()): Deps {
  const db = openDb(databaseFile(config.dataDir));
  // A wrong master key is a configuration error at start-up, not a 500 at the first key download.
  const foreign = sealedUnderOtherKeys(db, keyIdOf(config.masterKey));
  if (foreign.length) {
    db.close();
    throw new ConfigError(foreign.map((f) => `${f.count} private key(s) in ${databaseFile(config.dataDir)} are sealed under master key id ${f.keyId}, ` +
      `not under the configured one (${keyIdOf(config.masterKey)}): set KPKI_MASTER_KEY or <data>/master.key to the key that belongs to this database`));
  }
  const secrets = secretsRepository(db, config.masterKey);
  const audit = auditRepository(db);
  const wired: Omit<Deps, 'jobs' | 'keys'> = {
    config, db, now, secrets,
    transaction: <T>(fn: () => T): T => db.transaction(fn)(),
    backup: (at: Date) => backupDatabase(db, config.dataDir, at, undefined, config.backupKeep),
    close: () => db.close(),
    deployKeys: deployKeysRepository(db),
    clusters: clustersRepository(db),
    certificates: certificatesRepository(db, secrets),
    observedFiles: observedFilesRepository(db),
    generatedFiles: generatedFilesRepository(db),
    caRotations: caRotationsRepository(db, secrets),
    imports: importsRepository(db, secrets),
    jobsRepo: jobsRepository(db),
    nodeLocks: new NodeLocks(),
    sshPool: new SshPool(config.sshIdleSeconds * 1000),
    users: usersRepository(db),
    audit,
    anonymous: new AnonymousRequests((e) => audit.append(e), now),
    signInBackoff: new SignInBackoff(now),
  };
  const deps = wired as Deps; // the key preparer and the job runner below complete it: they need deps
  deps.jobsRepo.markInterrupted(now().toISOString());
  deps.keys = new KeyPreparer({
    ...config.preparedKeys, ttlMs: config.preparedKeys.ttlHours * 3_600_000, now,
    repo: preparedKeysRepository(db, config.masterKey),
    need: (clusterId) => keysNeeded(deps, clusterId),
    clusterIds: () => deps.clusters.ids(),
  });
  deps.jobs = new JobRunner(deps.jobsRepo, {
    issuance: issuanceJob(deps), distribution: distributionJob(deps), verification: verificationJob(deps), renewal: renewalJob(deps), apply: applyJob(deps), 'ca-rotation': caRotationJob(deps),
  }, now);
  return deps;
}
