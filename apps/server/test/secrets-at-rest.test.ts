/**
 * Private keys at rest and in logs: after a full run of the real server (two clusters, RSA and
 * ECDSA, CA + issuance + re-issuance, key, kubeconfig, encryption-config and bundle downloads,
 * deploy key uploads, a distribution to real sshd nodes) neither the SQLite file nor its WAL,
 * read with fs while the server still runs (no checkpoint forced), nor the server's log at level
 * trace holds any private key or encryption key: no "PRIVATE KEY" text, no PKCS#8, PKCS#1 or
 * SEC1 DER of any stored key, no line of their base64, no base64 of the whole PEM (as a
 * kubeconfig embeds it), no private JWK component; no encryption key as base64, raw bytes or
 * hex. The secrets searched for are every secret in the store (opened with the master key after
 * the run), so superseded keys and replaced deploy keys count too.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import ssh2 from 'ssh2';
import { startFleet, type Fleet } from './support.ts';
import { decodeMasterKey } from '../src/config.ts';
import { secretsRepository } from '../src/store/secrets.repository.ts';
import { issuedCluster, reauth, tempDataDir, testApp } from './helpers/app.ts';
import { signInHttp, waitJobHttp, type Client } from './helpers/http-client.ts';
import { SERVER_PASSWORD, startServer, type ServerProcess } from './support.ts';

interface Needle {
  what: string;
  bytes: Buffer;
}

/** An encryption config key: 32 random bytes, stored as base64. */
const isEncryptionKey = (secret: string) => /^[A-Za-z0-9+/]{43}=$/.test(secret);

/**
 * Every form of a secret that must not appear: for a private key its PEM lines, the base64 of
 * the whole PEM (a kubeconfig's client-key-data), DER (PKCS#8, PKCS#1/SEC1), JWK parts; for an
 * encryption key its base64, raw bytes and hex.
 */
function needlesOf(id: string, pem: string, publicText: string): Needle[] {
  const out: Needle[] = [];
  const add = (what: string, value: Buffer | string) => out.push({ what: `${id} ${what}`, bytes: Buffer.isBuffer(value) ? value : Buffer.from(value, 'latin1') });
  if (isEncryptionKey(pem)) {
    const raw = Buffer.from(pem, 'base64');
    add('encryption key (base64)', pem);
    add('encryption key (raw)', raw);
    add('encryption key (hex)', raw.toString('hex'));
    add('encryption key (base64url)', raw.toString('base64url'));
    return out;
  }
  add('whole PEM as base64 (kubeconfig client-key-data)', Buffer.from(pem, 'utf8').toString('base64'));
  const lines = pem.split('\n').filter((l) => l && !l.startsWith('-----'));
  add('PEM base64 body', lines.join(''));
  let key: crypto.KeyObject;
  if (pem.includes('BEGIN OPENSSH PRIVATE KEY')) {
    const parsed = ssh2.utils.parseKey(pem);
    if (parsed instanceof Error) throw parsed;
    const one = Array.isArray(parsed) ? parsed[0] : parsed;
    key = crypto.createPrivateKey(one.getPrivatePEM());
    add('openssh-key-v1 binary', Buffer.from(lines.join(''), 'base64'));
  } else {
    key = crypto.createPrivateKey(pem);
  }
  // A PEM line that covers only public bytes (an RSA modulus) may legitimately appear in base64
  // of public data: a certificate, or the key's "ssh-rsa" public line. Such lines are skipped.
  const ownPublic = [crypto.createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('base64')];
  if (key.asymmetricKeyType !== 'ed25519') {
    const parsed = ssh2.utils.parseKey(key.export({ type: key.asymmetricKeyType === 'rsa' ? 'pkcs1' : 'sec1', format: 'pem' }) as string);
    if (!(parsed instanceof Error)) ownPublic.push((Array.isArray(parsed) ? parsed[0] : parsed).getPublicSSH().toString('base64'));
  }
  for (const [i, l] of lines.entries()) {
    if (l.length >= 40 && !publicText.includes(l) && !ownPublic.some((p) => p.includes(l))) add(`PEM line ${i}`, l);
  }
  const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
  add('PKCS#8 DER', pkcs8);
  add('PKCS#8 DER hex', pkcs8.toString('hex'));
  add('PKCS#8 base64', pkcs8.toString('base64'));
  if (key.asymmetricKeyType === 'rsa') add('PKCS#1 DER', key.export({ type: 'pkcs1', format: 'der' }));
  if (key.asymmetricKeyType === 'ec') add('SEC1 DER', key.export({ type: 'sec1', format: 'der' }));
  const jwk = key.export({ format: 'jwk' });
  for (const part of ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const) {
    const v = jwk[part];
    if (!v) continue;
    const raw = Buffer.from(v, 'base64url');
    add(`JWK ${part} (base64url)`, v);
    add(`JWK ${part} (raw)`, raw);
    add(`JWK ${part} (hex)`, raw.toString('hex'));
    add(`JWK ${part} (base64)`, raw.toString('base64'));
  }
  return out;
}

function findings(haystack: Buffer, needles: Needle[]): string[] {
  return needles.filter((n) => haystack.indexOf(n.bytes) !== -1).map((n) => n.what);
}

describe('no private key in clear: not in the database file, not in its WAL, not in the logs', () => {
  let dataDir = '';
  let server: ServerProcess | undefined;
  let fleet: Fleet | undefined;
  let api: Client;
  const downloaded = new Map<string, string>(); // "<cluster>/<name>" -> key PEM from the API
  const kubeconfigs: string[] = []; // every kubeconfig downloaded
  const encryptionConfigs = new Map<string, string>(); // cluster -> encryption-config.yaml downloaded
  const uploaded: string[] = [];
  let dbWhileRunning: Buffer;
  let walWhileRunning: Buffer;
  let logs = '';
  let secrets: Array<{ id: string; pem: string }> = [];
  let publicText = '';
  const needles = (id: string, pem: string) => needlesOf(id, pem, publicText);

  const ok = async (method: string, url: string, body?: unknown, status = 200) => {
    const r = await api.req(method, url, body);
    expect(r.status, `${method} ${url}: ${r.text.slice(0, 300)}`).toBe(status);
    return r.json;
  };
  const issue = async (cluster: string) => {
    const { jobId } = await ok('POST', `/clusters/${cluster}/issuances`, undefined, 202);
    expect((await waitJobHttp(api, jobId)).status).toBe('succeeded');
  };

  beforeAll(async () => {
    dataDir = tempDataDir();
    server = await startServer(dataDir, { env: { KPKI_LOG_LEVEL: 'trace' } });
    api = await signInHttp(server.base, undefined, undefined, { elevate: true });
    const preset = await api.get('/presets/hard-way');

    // cluster 1: RSA (PKCS#1 keys), issued twice, its deploy key replaced by an uploaded RSA PKCS#8 key
    await ok('POST', '/clusters', preset, 201);
    await ok('POST', '/clusters/hard-way/ca', undefined, 201);
    await issue('hard-way');
    await issue('hard-way');
    const rsaUpload = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    uploaded.push(rsaUpload);
    await ok('PUT', '/clusters/hard-way/ssh-key', { privateKey: rsaUpload });
    // a refused upload (encrypted key) goes through the error path and its log lines
    const encrypted = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pass-phrase' }) as string;
    expect((await api.req('PUT', '/clusters/hard-way/ssh-key', { privateKey: encrypted })).status).toBe(400);
    // mistakes a user makes with a real key: the wrong field name, the key pasted into another route
    expect((await api.req('PUT', '/clusters/hard-way/ssh-key', { key: rsaUpload })).status).toBe(400);
    expect((await api.req('PUT', '/clusters/hard-way/nodes/cp1/ssh', { host: '127.0.0.1', identity: rsaUpload })).status).toBe(400);
    expect((await api.req('POST', '/tokens', { name: rsaUpload.slice(0, 64), note: rsaUpload })).status).toBe(400);

    // cluster 2: ECDSA P-256 (SEC1 keys), deploy key generated (ed25519, OpenSSH format) and kept
    await ok('POST', '/clusters', { ...preset, name: 'ec-way', keyAlgorithm: 'ecdsa-p256' }, 201);
    await ok('POST', '/clusters/ec-way/ca', undefined, 201);
    await issue('ec-way');
    const ecUpload = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' }) as string;
    uploaded.push(ecUpload);

    // distribute cluster 1 to real sshd nodes with the uploaded deploy key
    const deployKey = await api.get('/clusters/hard-way/ssh-key');
    fleet = await startFleet({ nodes: ['cp1', 'cp2', 'worker1', 'worker2'].map((name) => ({ name })), authorizedKeys: [deployKey.publicKey] });
    for (const n of fleet.nodes) {
      await ok('PUT', `/clusters/hard-way/nodes/${n.name}/ssh`, { host: n.host, port: n.port, user: fleet.user, remoteDir: n.remoteDir, hostKey: n.hostKeyFingerprint });
    }
    const { jobId } = await ok('POST', '/clusters/hard-way/distributions', {}, 202);
    const job = await waitJobHttp(api, jobId);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    expect((await ok('POST', '/clusters/hard-way/nodes/cp1/verify')).state).toBe('in-sync');
    await ok('PUT', '/clusters/hard-way/ssh-key', { privateKey: ecUpload }); // replaces the RSA deploy key

    // every key download there is: leaf keys, the CA key after re-authentication, bundles,
    // every kubeconfig (the admin ones after re-authentication), the encryption config
    await ok('POST', '/session/reauth', { password: SERVER_PASSWORD });
    for (const cluster of ['hard-way', 'ec-way']) {
      for (const c of (await api.get(`/clusters/${cluster}/certificates`)).items as Array<{ name: string }>) {
        downloaded.set(`${cluster}/${c.name}`, (await api.req('GET', `/clusters/${cluster}/certificates/${c.name}/key.pem`)).text);
      }
      expect((await api.req('GET', `/clusters/${cluster}/bundle.tar.gz`)).status).toBe(200);
      for (const k of (await api.get(`/clusters/${cluster}/kubeconfigs`)).items as Array<{ name: string }>) {
        const res = await api.req('GET', `/clusters/${cluster}/kubeconfigs/${k.name}`);
        expect(res.status, `${cluster} ${k.name}`).toBe(200);
        kubeconfigs.push(res.text);
      }
      const enc = await api.req('GET', `/clusters/${cluster}/encryption-config`);
      expect(enc.status).toBe(200);
      encryptionConfigs.set(cluster, enc.text);
    }

    // the files as they are now, while the server runs: nothing forced a checkpoint
    dbWhileRunning = fs.readFileSync(path.join(dataDir, 'kpki.db'));
    walWhileRunning = fs.existsSync(path.join(dataDir, 'kpki.db-wal')) ? fs.readFileSync(path.join(dataDir, 'kpki.db-wal')) : Buffer.alloc(0);
    await server.stop();
    logs = server.output();
    server = undefined;

    // every secret of the store, opened with the master key
    const masterKey = decodeMasterKey(fs.readFileSync(path.join(dataDir, 'master.key'), 'utf8'))!;
    const db = new Database(path.join(dataDir, 'kpki.db'), { readonly: true });
    try {
      const repo = secretsRepository(db, masterKey);
      secrets = (db.prepare('SELECT id FROM secrets').all() as Array<{ id: string }>).map(({ id }) => ({ id, pem: repo.get(id) }));
      // public material that is stored on purpose: a PEM line of an RSA key that covers only
      // its public modulus can coincide with base64 of public data stored on purpose (same bytes,
      // same alignment: the modulus as it appears in a certificate, or in an "ssh-rsa" public line)
      publicText = [
        ...(db.prepare('SELECT pem FROM certificates').all() as Array<{ pem: string }>).map((r) => r.pem),
        ...(db.prepare('SELECT public_key FROM deploy_keys').all() as Array<{ public_key: string }>).map((r) => r.public_key),
      ].join('\n');
    } finally {
      db.close();
    }
  }, 240_000);

  afterAll(async () => {
    await server?.kill();
    await fleet?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('the run stored what it should: 2 CAs, 3 leaf issuances, 2 deploy keys, 2 encryption keys, and the downloads are among the secrets', () => {
    // hard-way: CA + 2 x 9 leaves; ec-way: CA + 9 leaves; deploy keys: hard-way's last upload (EC) and
    // ec-way's generated ed25519 key (replaced deploy keys are deleted with their secret); one
    // encryption key per cluster
    expect(secrets.length).toBe(1 + 18 + 1 + 9 + 2 + 2);
    const encryptionKeys = secrets.filter((s) => isEncryptionKey(s.pem));
    expect(encryptionKeys.length).toBe(2);
    expect(encryptionConfigs.size).toBe(2);
    for (const [cluster, yaml] of encryptionConfigs) {
      expect(encryptionKeys.filter((k) => yaml.includes(`secret: ${k.pem}`)).length, cluster).toBe(1);
    }
    expect(kubeconfigs.length).toBe(2 * 7);
    // each kubeconfig embeds a stored key (whole PEM as base64)
    const embedded = new Set(secrets.map((s) => Buffer.from(s.pem, 'utf8').toString('base64')));
    for (const k of kubeconfigs) expect(embedded.has(/client-key-data: (\S+)/.exec(k)?.[1] ?? ''), 'kubeconfig key').toBe(true);
    const stored = new Set(secrets.map((s) => s.pem));
    expect(downloaded.size).toBe(20);
    for (const [name, pem] of downloaded) {
      expect(/^-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(pem), name).toBe(true); // booleans only: a failure never prints a key
      expect(stored.has(pem), name).toBe(true);
    }
    expect(secrets.filter((s) => s.pem.includes('BEGIN OPENSSH PRIVATE KEY')).length).toBe(1);
    expect(secrets.filter((s) => s.pem.includes('BEGIN EC PRIVATE KEY')).length).toBe(1 + 9 + 1);
    expect(walWhileRunning.length, 'the WAL held frames while the server ran').toBeGreaterThan(0);
  });

  test('the search would see a key: every key has its private lines and DER forms as needles, and they are found when present', () => {
    for (const s of secrets) {
      const n = needles(s.id, s.pem);
      if (isEncryptionKey(s.pem)) {
        const raw = n.find((x) => x.what.endsWith('(raw)'))!.bytes;
        expect(findings(Buffer.concat([crypto.randomBytes(5000), raw, crypto.randomBytes(5000)]), n).length, s.id).toBeGreaterThan(0);
        expect(findings(Buffer.from(`secret: ${s.pem}\n`), n).length, s.id).toBeGreaterThan(0);
        continue;
      }
      expect(n.filter((x) => x.what.includes('PEM line')).length, s.id).toBeGreaterThanOrEqual(s.pem.includes('BEGIN RSA') ? 15 : 2);
      expect(n.some((x) => x.what.endsWith('PKCS#8 DER')), s.id).toBe(true);
      const der = n.find((x) => x.what.endsWith('PKCS#8 DER'))!.bytes;
      const planted = Buffer.concat([crypto.randomBytes(5000), der, crypto.randomBytes(5000)]);
      expect(findings(planted, n).length, s.id).toBeGreaterThan(0);
      expect(findings(Buffer.from(`x${s.pem}x`), n).length, s.id).toBeGreaterThan(0);
      const kubeconfig = kubeconfigs.find((k) => k.includes(Buffer.from(s.pem, 'utf8').toString('base64')));
      if (kubeconfig) expect(findings(Buffer.from(kubeconfig), n).length, s.id).toBeGreaterThan(0);
    }
  });

  test('the database file and its WAL hold no "PRIVATE KEY" text and no form of any stored key', () => {
    for (const [name, bytes] of [['kpki.db', dbWhileRunning], ['kpki.db-wal', walWhileRunning]] as const) {
      expect(bytes.indexOf('PRIVATE KEY'), name).toBe(-1);
      expect(bytes.indexOf('BEGIN OPENSSH'), name).toBe(-1);
      const found = secrets.flatMap((s) => findings(bytes, needles(s.id, s.pem)));
      expect(found, name).toEqual([]);
    }
    // the uploaded keys in the form they were sent (PKCS#8 and SEC1) are absent too
    const sent = uploaded.flatMap((pem, i) => needles(`upload ${i}`, pem));
    expect(findings(Buffer.concat([dbWhileRunning, walWhileRunning]), sent)).toEqual([]);
  });

  test('after a clean stop (checkpointed into the main file) the file still holds no key', () => {
    const bytes = fs.readFileSync(path.join(dataDir, 'kpki.db'));
    expect(fs.existsSync(path.join(dataDir, 'kpki.db-wal')) ? fs.statSync(path.join(dataDir, 'kpki.db-wal')).size : 0).toBe(0);
    expect(bytes.indexOf('PRIVATE KEY')).toBe(-1);
    expect(secrets.flatMap((s) => findings(bytes, needles(s.id, s.pem)))).toEqual([]);
  });

  test('the trace log of the whole run holds no key material, no password and no session id', () => {
    const lines = logs.split('\n').filter(Boolean);
    expect(lines.length, 'the log was written at trace level').toBeGreaterThan(100);
    expect(logs.includes('"msg":"incoming request"')).toBe(true);
    expect(logs.includes('/clusters/hard-way/ssh-key')).toBe(true); // the uploads were logged as requests
    const bytes = Buffer.from(logs, 'utf8');
    // booleans and labels only: a failing assertion must not print the log (it would hold the key)
    expect(logs.includes('PRIVATE KEY')).toBe(false);
    expect(secrets.flatMap((s) => findings(bytes, needles(s.id, s.pem)))).toEqual([]);
    expect(findings(bytes, uploaded.flatMap((pem, i) => needles(`upload ${i}`, pem)))).toEqual([]);
    expect(logs.includes(SERVER_PASSWORD), 'the admin password').toBe(false);
    expect(logs.includes(api.headers.cookie.split('=')[1]), 'the session id').toBe(false);
    expect(logs.includes(api.headers['x-csrf-token']), 'the CSRF token').toBe(false);
  });
});

describe('deleting keys with what owns them', () => {
  test('replacing a deploy key deletes the old sealed key; purging a deleted cluster deletes every sealed key it held, its encryption key too', async () => {
    const dataDir = tempDataDir();
    const app = await testApp(dataDir);
    try {
      const count = () => (app.deps.db.prepare('SELECT count(*) AS n FROM secrets').get() as { n: number }).n;
      const ec = (c: { keyAlgorithm: string }) => (c.keyAlgorithm = 'ecdsa-p256');
      const cluster = await issuedCluster(app, ec);
      const other = await issuedCluster(app, (c) => ((c.name = 'other'), ec(c)));
      // per cluster: 10 certificate keys, the deploy key, the encryption key
      expect(count()).toBe(2 * (10 + 1 + 1));
      const key = crypto.generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
      await reauth(app); // uploading a deploy key follows the CA key rule
      expect((await app.inject({ method: 'PUT', url: `/api/v1/clusters/${cluster}/ssh-key`, payload: { privateKey: key } })).statusCode).toBe(200);
      expect(count()).toBe(2 * (10 + 1 + 1));
      expect((await app.inject({ method: 'DELETE', url: `/api/v1/clusters/${cluster}` })).statusCode).toBe(200);
      expect(count()).toBe(2 * (10 + 1 + 1)); // deleted, still restorable: every key kept, the encryption key too
      expect((await app.inject({ method: 'DELETE', url: `/api/v1/deleted-clusters/${cluster}` })).statusCode).toBe(204);
      expect(count()).toBe(10 + 1 + 1);
      // the other cluster's keys all still open
      const ids = app.deps.db.prepare('SELECT key_secret_id AS id FROM certificates UNION SELECT secret_id FROM deploy_keys UNION SELECT secret_id FROM generated_files WHERE secret_id IS NOT NULL').all() as Array<{ id: string }>;
      expect(ids.length).toBe(12);
      for (const { id } of ids) expect(() => app.deps.secrets.get(id)).not.toThrow();
      expect((await app.inject(`/api/v1/clusters/${other}/certificates/admin/key.pem`)).statusCode).toBe(200);
    } finally {
      await app.close();
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
