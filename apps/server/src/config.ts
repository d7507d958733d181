/**
 * Configuration from the environment, parsed once. Invalid configuration throws a
 * ConfigError that lists every problem, so start-up stops with a message naming each.
 *
 * KPKI_HOST (127.0.0.1), KPKI_PORT (8080), KPKI_DATA_DIR (./data),
 * KPKI_MASTER_KEY (32 bytes as 64 hex chars or base64; else <data>/master.key, created once, 0600),
 * KPKI_LOG_LEVEL (info), KPKI_DISTRIBUTION_CONCURRENCY (8), KPKI_WEB_DIR (apps/web/dist),
 * KPKI_VERIFY_AFTER_MINUTES (10), KPKI_DELETED_CLUSTER_RETENTION_DAYS (7), KPKI_AUDIT_RETENTION_DAYS (365),
 * KPKI_TRUST_PROXY (unset: no proxy is trusted), KPKI_SSH_ALLOWED_NETWORKS (any but link-local and
 * unspecified), KPKI_SSH_ALLOWED_PORTS (any),
 * KPKI_METRICS_PUBLIC (0; 1 opens GET /metrics without a token), KPKI_PREPARED_KEYS (1; 0 turns
 * keys ahead of time off), KPKI_PREPARED_KEYS_CONCURRENCY (1), KPKI_PREPARED_KEY_TTL_HOURS (24),
 * KPKI_PREPARED_KEYS_MAX (1000 per cluster), KPKI_BACKUP_KEEP (20), KPKI_SSH_IDLE_SECONDS (30; 0 closes
 * every SSH connection when its job is done).
 */
import fs from 'node:fs';
import net from 'node:net';
import { parseNetworks, parsePorts, type TargetPolicy } from './ssh/target-policy.ts';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  masterKey: Buffer;
  logLevel: string;
  /** how many nodes a distribution writes at once */
  distributionConcurrency: number;
  /** how long an SSH connection to a node stays open after its job for the next one (ssh/pool.ts); 0: closed at once */
  sshIdleSeconds: number;
  /** a node's state older than this is due for a verify (the UI offers "verify all") */
  verifyAfterMinutes: number;
  /** built web app to serve, or null when it is not there */
  webDir: string | null;
  /** password for the first admin, or null to generate one */
  adminPassword: string | null;
  /** how long a deleted cluster (its CA and keys) stays restorable before it is purged */
  deletedClusterRetentionDays: number;
  /** audit lines older than this many days are archived to <data>/audit-archives/ (0: only when an admin asks) */
  auditRetentionDays: number;
  /**
   * the reverse proxies whose X-Forwarded-For / -Proto kpki believes (client address, https):
   * false (none) or their addresses/CIDRs
   */
  trustProxy: false | string[];
  /** where kpki may connect over SSH: KPKI_SSH_ALLOWED_NETWORKS, KPKI_SSH_ALLOWED_PORTS */
  sshTargets: TargetPolicy;
  /** GET /metrics answers without an API token */
  metricsPublic: boolean;
  /** keys generated ahead of issuance (issue 10) */
  preparedKeys: { enabled: boolean; concurrency: number; ttlHours: number; maxPerCluster: number };
  /** backups kept in <data>/backups/ (the oldest beyond are removed after each backup) */
  backupKeep: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** The data folder: KPKI_DATA_DIR, default ./data, absolute. */
export const dataDirFrom = (env: NodeJS.ProcessEnv = process.env): string => path.resolve(env.KPKI_DATA_DIR || './data');
/** The SQLite database in a data folder. */
export const databaseFile = (dataDir: string): string => path.join(dataDir, 'kpki.db');
/** The master key file in a data folder (used when KPKI_MASTER_KEY is not set). */
export const masterKeyFileOf = (dataDir: string): string => path.join(dataDir, 'master.key');

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Decodes a 32-byte key given as 64 hex characters or base64; null when it is neither. */
export function decodeMasterKey(text: string): Buffer | null {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/]{43}=?$/.test(t)) {
    const b = Buffer.from(t, 'base64');
    if (b.length === 32) return b;
  }
  return null;
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** KPKI_TRUST_PROXY: unset/empty = trust no proxy; else the proxies' addresses, CIDRs and loopback/linklocal/uniquelocal, comma-separated. */
function trustProxyFrom(raw: string | undefined, problems: string[]): false | string[] {
  const t = (raw ?? '').trim();
  if (!t || t === 'false') return false;
  const entries = t.split(',').map((e) => e.trim()).filter(Boolean);
  const bad = entries.filter((e) => {
    if (PROXY_NAMES.includes(e)) return false;
    const [ip, bits, more] = e.split('/');
    const family = net.isIP(ip);
    if (!family || more !== undefined) return true;
    return bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
  });
  if (bad.length) {
    problems.push(`KPKI_TRUST_PROXY=${JSON.stringify(raw)}: ${bad.map((b) => JSON.stringify(b)).join(', ')} is not an address, a CIDR, loopback, linklocal or uniquelocal ` +
      '(name the proxy in front of kpki, e.g. 127.0.0.1 or 10.0.0.0/8)');
    return false;
  }
  return entries;
}

function flag(name: string, raw: string | undefined, def: boolean, problems: string[]): boolean {
  if (raw === undefined || raw === '') return def;
  if (raw === '1' || raw === 'true') return true;
  if (raw === '0' || raw === 'false') return false;
  problems.push(`${name}=${JSON.stringify(raw)} is not 1 or 0`);
  return def;
}

function intIn(name: string, raw: string | undefined, def: number, min: number, max: number, problems: string[]): number {
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${name}=${JSON.stringify(raw)} is not an integer from ${min} to ${max}`);
    return def;
  }
  return n;
}

/** Reads <dataDir>/master.key, creating it (32 random bytes, base64, mode 0600) if missing. */
function masterKeyFile(dataDir: string, problems: string[]): Buffer {
  const file = masterKeyFileOf(dataDir);
  try {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    if (!fs.existsSync(file)) {
      fs.writeFileSync(file, crypto.randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    }
    const key = decodeMasterKey(fs.readFileSync(file, 'utf8'));
    if (!key) problems.push(`${file} does not hold a 32-byte key (64 hex characters or base64)`);
    return key ?? Buffer.alloc(32);
  } catch (err) {
    problems.push(`cannot create or read ${file}: ${(err as Error).message}`);
    return Buffer.alloc(32);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const host = env.KPKI_HOST || '127.0.0.1';
  if (!/^[A-Za-z0-9.:-]+$/.test(host)) problems.push(`KPKI_HOST=${JSON.stringify(host)} is not a host name or address`);
  const port = intIn('KPKI_PORT', env.KPKI_PORT, 8080, 0, 65535, problems);
  const dataDir = dataDirFrom(env);
  const logLevel = env.KPKI_LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`KPKI_LOG_LEVEL=${JSON.stringify(logLevel)} is not one of ${LOG_LEVELS.join(', ')}`);
  const distributionConcurrency = intIn('KPKI_DISTRIBUTION_CONCURRENCY', env.KPKI_DISTRIBUTION_CONCURRENCY, 8, 1, 256, problems);
  const sshIdleSeconds = intIn('KPKI_SSH_IDLE_SECONDS', env.KPKI_SSH_IDLE_SECONDS, 30, 0, 3600, problems);
  const verifyAfterMinutes = intIn('KPKI_VERIFY_AFTER_MINUTES', env.KPKI_VERIFY_AFTER_MINUTES, 10, 1, 525_600, problems);
  const auditRetentionDays = intIn('KPKI_AUDIT_RETENTION_DAYS', env.KPKI_AUDIT_RETENTION_DAYS, 365, 0, 36500, problems);
  const backupKeep = intIn('KPKI_BACKUP_KEEP', env.KPKI_BACKUP_KEEP, 20, 1, 10_000, problems);
  const trustProxy = trustProxyFrom(env.KPKI_TRUST_PROXY, problems);
  const sshTargets = { networks: parseNetworks(env.KPKI_SSH_ALLOWED_NETWORKS, problems), ports: parsePorts(env.KPKI_SSH_ALLOWED_PORTS, problems) };
  const deletedClusterRetentionDays = intIn('KPKI_DELETED_CLUSTER_RETENTION_DAYS', env.KPKI_DELETED_CLUSTER_RETENTION_DAYS, 7, 1, 3650, problems);
  const metricsPublic = flag('KPKI_METRICS_PUBLIC', env.KPKI_METRICS_PUBLIC, false, problems);
  const preparedKeys = {
    enabled: flag('KPKI_PREPARED_KEYS', env.KPKI_PREPARED_KEYS, true, problems),
    concurrency: intIn('KPKI_PREPARED_KEYS_CONCURRENCY', env.KPKI_PREPARED_KEYS_CONCURRENCY, 1, 1, 64, problems),
    ttlHours: intIn('KPKI_PREPARED_KEY_TTL_HOURS', env.KPKI_PREPARED_KEY_TTL_HOURS, 24, 1, 24 * 365, problems),
    maxPerCluster: intIn('KPKI_PREPARED_KEYS_MAX', env.KPKI_PREPARED_KEYS_MAX, 1000, 1, 100_000, problems),
  };

  let masterKey: Buffer;
  if (env.KPKI_MASTER_KEY) {
    const k = decodeMasterKey(env.KPKI_MASTER_KEY);
    if (!k) problems.push('KPKI_MASTER_KEY is not a 32-byte key: give 64 hex characters or base64 (e.g. `openssl rand -base64 32`)');
    masterKey = k ?? Buffer.alloc(32);
  } else {
    masterKey = problems.length ? Buffer.alloc(32) : masterKeyFile(dataDir, problems);
  }

  const defaultWeb = fileURLToPath(new URL('../../web/dist', import.meta.url));
  const webCandidate = env.KPKI_WEB_DIR ? path.resolve(env.KPKI_WEB_DIR) : defaultWeb;
  if (env.KPKI_WEB_DIR && !fs.existsSync(path.join(webCandidate, 'index.html'))) {
    problems.push(`KPKI_WEB_DIR=${env.KPKI_WEB_DIR} has no index.html: build the web app (pnpm -r build) or unset it`);
  }
  const webDir = fs.existsSync(path.join(webCandidate, 'index.html')) ? webCandidate : null;

  if (problems.length) throw new ConfigError(problems);
  return {
    host, port, dataDir, masterKey, logLevel, distributionConcurrency, sshIdleSeconds, verifyAfterMinutes, webDir,
    adminPassword: env.KPKI_ADMIN_PASSWORD || null, deletedClusterRetentionDays, auditRetentionDays, trustProxy, sshTargets, metricsPublic, preparedKeys, backupKeep,
  };
}
