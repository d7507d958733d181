/**
 * `npm run backup` and `npm run rotate-master-key` (scripts/kpki-admin.mjs), run as the user
 * runs them: a separate process on the data folder.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { decodeMasterKey, loadConfig } from '../src/config.ts';
import { buildApp } from '../src/app.ts';
import { keyIdOf, open, type Sealed } from '../src/store/secret-box.ts';
import { secretsRepository } from '../src/store/secrets.repository.ts';
import { issuedCluster, reauth, tempDataDir, testApp, waitJob } from './helpers/app.ts';
import { ROOT } from './support.ts';

type App = FastifyInstance & { rawInject: FastifyInstance['inject'] };

/** Runs `node scripts/kpki-admin.mjs <args>` and collects its output (never printed by the tests). */
function admin(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts/kpki-admin.mjs'), ...args], {
      cwd: ROOT, env: { ...process.env, KPKI_MASTER_KEY: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

/** Every private key of every cluster through the API (the CA key after re-entering the password), its encryption config, plus the deploy keys. */
async function allKeys(app: App): Promise<Map<string, string>> {
  await reauth(app);
  const keys = new Map<string, string>();
  for (const c of (await app.inject('/api/v1/clusters')).json().items as Array<{ name: string }>) {
    for (const cert of (await app.inject(`/api/v1/clusters/${c.name}/certificates?status=all`)).json().items as Array<{ name: string; serial: string; status: string }>) {
      if (cert.status !== 'current') continue;
      const res = await app.inject(`/api/v1/clusters/${c.name}/certificates/${cert.name}/key.pem`);
      expect(res.statusCode, `${c.name}/${cert.name}`).toBe(200);
      keys.set(`${c.name}/${cert.name}`, res.body);
    }
    const enc = await app.inject(`/api/v1/clusters/${c.name}/encryption-config`);
    expect(enc.statusCode, `${c.name}/encryption-config`).toBe(200);
    keys.set(`${c.name}/encryption-config`, enc.body);
  }
  for (const { cluster, id } of app.deps.db.prepare('SELECT c.name AS cluster, d.secret_id AS id FROM deploy_keys d JOIN clusters c ON c.id = d.cluster_id').all() as Array<{ cluster: string; id: string }>) {
    keys.set(`${cluster}/deploy-key`, app.deps.secrets.get(id));
  }
  return keys;
}

const sameKeys = (a: Map<string, string>, b: Map<string, string>) =>
  a.size === b.size && [...a].every(([k, v]) => b.get(k) === v); // a boolean: a failure never prints a key

const newKeyOf = (dataDir: string) => decodeMasterKey(fs.readFileSync(path.join(dataDir, 'master.key'), 'utf8'))!;

const ciphertexts = (db: Database.Database) => (db.prepare('SELECT ciphertext FROM secrets').all() as Array<{ ciphertext: Buffer }>).map((r) => r.ciphertext);

const dirs: string[] = [];
const apps: App[] = [];
afterAll(async () => {
  for (const a of apps) await a.close().catch(() => undefined);
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
const newDir = () => {
  const d = tempDataDir();
  dirs.push(d);
  return d;
};

describe('npm run backup', () => {
  test('copies the database while the app serves and writes: the copy opens, is consistent and holds the clusters and certificates', async () => {
    const dataDir = newDir();
    const app = await testApp(dataDir);
    apps.push(app);
    const cluster = await issuedCluster(app);
    const before = await allKeys(app);

    // writes go on while the backup runs: a re-issuance (9 new certificates, one transaction)
    const iss = (await app.inject({ method: 'POST', url: `/api/v1/clusters/${cluster}/issuances` })).json().jobId;
    const res = await admin(['backup'], { KPKI_DATA_DIR: dataDir });
    expect((await waitJob(app, iss)).status).toBe('succeeded');
    expect(res.code, res.err).toBe(0);
    const file = /backup written to (\S+)/.exec(res.out)?.[1];
    expect(file && path.dirname(file)).toBe(path.join(dataDir, 'backups'));
    expect(res.out).toContain('keep that master key');
    expect(res.out).toContain(keyIdOf(app.deps.config.masterKey));
    expect(fs.statSync(file!).mode & 0o777).toBe(0o600);

    const copy = new Database(file!, { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.prepare('SELECT name FROM clusters').all()).toEqual([{ name: cluster }]);
      // one consistent state: the re-issuance is in it completely (19 certificates) or not at all (10)
      const n = (copy.prepare('SELECT count(*) AS n FROM certificates').get() as { n: number }).n;
      expect([10, 19]).toContain(n);
      expect((copy.prepare("SELECT count(*) AS n FROM certificates WHERE status = 'current'").get() as { n: number }).n).toBe(10);
      expect((copy.prepare('SELECT count(*) AS n FROM secrets').get() as { n: number }).n).toBe(n + 2); // + the deploy key and the encryption key
      // the keys in it open with the master key, and those issued before the backup are there
      const repo = secretsRepository(copy, app.deps.config.masterKey);
      const inCopy = new Set((copy.prepare('SELECT key_secret_id AS id FROM certificates').all() as Array<{ id: string }>).map((r) => repo.get(r.id)));
      expect([...before].filter(([k]) => !k.endsWith('deploy-key') && !k.endsWith('encryption-config')).every(([, pem]) => inCopy.has(pem))).toBe(true);
    } finally {
      copy.close();
    }

    // --out, and a restore: the copy serves as a data folder of its own
    const restoreDir = newDir();
    const out = await admin(['backup', '--out', path.join(restoreDir, 'kpki.db')], { KPKI_DATA_DIR: dataDir });
    expect(out.code, out.err).toBe(0);
    fs.copyFileSync(path.join(dataDir, 'master.key'), path.join(restoreDir, 'master.key'));
    const restored = await testApp(restoreDir);
    apps.push(restored);
    expect(sameKeys(await allKeys(restored), await allKeys(app))).toBe(true);
    expect((await restored.inject(`/api/v1/clusters/${cluster}/certificates?status=all`)).json().items).toHaveLength(19);
  });

  test('the admin endpoint does the same', async () => {
    const app = apps[0];
    const res = await app.inject({ method: 'POST', url: '/api/v1/backups' });
    expect(res.statusCode).toBe(201);
    const copy = new Database(res.json().file, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    copy.close();
    expect(res.json().note).toContain('master key');
  });

  test('a folder without a database gives a clear error', async () => {
    const res = await admin(['backup'], { KPKI_DATA_DIR: newDir() });
    expect(res.code).toBe(2);
    expect(res.err).toContain('no database at');
  });
});

describe('npm run rotate-master-key', () => {
  test('with master.key: every key still downloads and equals the one before; the old key no longer opens the database', async () => {
    const dataDir = newDir();
    const keyFile = path.join(dataDir, 'master.key');
    let app = await testApp(dataDir);
    await issuedCluster(app);
    await issuedCluster(app, (c) => ((c.name = 'ec'), (c.keyAlgorithm = 'ecdsa-p256')));
    const before = await allKeys(app);
    expect(before.size).toBe(24); // 2 x (10 keys + the encryption config) + 2 deploy keys
    const oldKeyText = fs.readFileSync(keyFile, 'utf8');
    const oldKey = decodeMasterKey(oldKeyText)!;
    const oldCiphertexts = ciphertexts(app.deps.db);

    // refused while the server holds the database open
    const busy = await admin(['rotate-master-key'], { KPKI_DATA_DIR: dataDir });
    expect(busy.code).toBe(2);
    expect(busy.err).toContain(`process ${process.pid}`);
    expect(busy.err).toContain('stop kpki first');
    expect(fs.readFileSync(keyFile, 'utf8')).toBe(oldKeyText);
    await app.close();

    const res = await admin(['rotate-master-key', '--keep-old'], { KPKI_DATA_DIR: dataDir });
    expect(res.code, res.err).toBe(0);
    expect(res.out).toContain('24 secret(s) re-sealed'); // 2 CAs + 18 leaves + 2 deploy keys + 2 encryption keys
    const newKeyText = fs.readFileSync(keyFile, 'utf8');
    const newKey = decodeMasterKey(newKeyText)!;
    expect(newKey.equals(oldKey)).toBe(false);
    expect(res.out.includes(newKeyText.trim())).toBe(false); // a key in a file is never printed
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    const kept = fs.readdirSync(dataDir).filter((f) => f.startsWith('master.key.old-'));
    expect(kept).toHaveLength(1);
    expect(fs.readFileSync(path.join(dataDir, kept[0]), 'utf8')).toBe(oldKeyText);
    expect(fs.statSync(path.join(dataDir, kept[0])).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('master.key.new-'))).toEqual([]);

    // the old key opens nothing, and no old ciphertext is left in the file
    const db = new Database(path.join(dataDir, 'kpki.db'));
    try {
      const ids = (db.prepare('SELECT id FROM secrets').all() as Array<{ id: string }>).map((r) => r.id);
      const oldRepo = secretsRepository(db, oldKey);
      for (const id of ids) expect(() => oldRepo.get(id)).toThrow(/sealed under master key/);
      // even a forged key id does not help: AES-GCM refuses the old key
      const row = db.prepare('SELECT version, key_id AS keyId, iv, tag, ciphertext FROM secrets WHERE id = ?').get(ids[0]) as Sealed;
      expect(() => open(oldKey, ids[0], { ...row, keyId: keyIdOf(oldKey) })).toThrow();
      expect(() => open(newKeyOf(dataDir), ids[0], row)).not.toThrow();
      expect(ciphertexts(db).some((c) => oldCiphertexts.some((o) => o.equals(c)))).toBe(false);
    } finally {
      db.close();
    }
    const file = Buffer.concat([path.join(dataDir, 'kpki.db'), path.join(dataDir, 'kpki.db-wal')].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
    expect(oldCiphertexts.filter((c) => file.indexOf(c) !== -1).length).toBe(0);

    // the server refuses to start with the old key, with a message that says what to do
    expect(() => loadConfig({ KPKI_DATA_DIR: dataDir, KPKI_MASTER_KEY: oldKeyText.trim(), KPKI_LOG_LEVEL: 'silent' })).not.toThrow();
    await expect(buildApp(loadConfig({ KPKI_DATA_DIR: dataDir, KPKI_MASTER_KEY: oldKeyText.trim(), KPKI_LOG_LEVEL: 'silent' }), { logger: false }))
      .rejects.toThrow(/sealed under master key id .* not under the configured one/);

    // started again with the new key: every key downloads and equals the one before
    app = await testApp(dataDir);
    apps.push(app);
    expect(sameKeys(await allKeys(app), before)).toBe(true);
    const iss = (await app.inject({ method: 'POST', url: '/api/v1/clusters/ec/issuances' })).json().jobId;
    expect((await waitJob(app, iss)).status).toBe('succeeded');
    await app.close();

    // without --keep-old no copy of the replaced key is written
    const again = await admin(['rotate-master-key'], { KPKI_DATA_DIR: dataDir });
    expect(again.code, again.err).toBe(0);
    expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('master.key.old-'))).toHaveLength(1);
    expect(fs.readFileSync(keyFile, 'utf8')).not.toBe(newKeyText);
  });

  test('with KPKI_MASTER_KEY: the new key is printed once and no key file is written', async () => {
    const dataDir = newDir();
    const oldKey = crypto.randomBytes(32).toString('hex');
    const app = await testApp(dataDir, { KPKI_MASTER_KEY: oldKey });
    await issuedCluster(app, (c) => (c.keyAlgorithm = 'ecdsa-p256'));
    const before = await allKeys(app);
    await app.close();
    expect(fs.existsSync(path.join(dataDir, 'master.key'))).toBe(false);

    const res = await admin(['rotate-master-key', '--keep-old'], { KPKI_DATA_DIR: dataDir, KPKI_MASTER_KEY: oldKey });
    expect(res.code, res.err).toBe(0);
    const printed = [...res.out.matchAll(/KPKI_MASTER_KEY=(\S+)/g)].map((m) => m[1]);
    expect(printed).toHaveLength(1);
    expect(res.out).toContain('put the new key above into KPKI_MASTER_KEY');
    expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('master.key'))).toEqual([]);

    const rotated = await testApp(dataDir, { KPKI_MASTER_KEY: printed[0] });
    apps.push(rotated);
    expect(sameKeys(await allKeys(rotated), before)).toBe(true);
    await expect(buildApp(loadConfig({ KPKI_DATA_DIR: dataDir, KPKI_MASTER_KEY: oldKey, KPKI_LOG_LEVEL: 'silent' }), { logger: false })).rejects.toThrow(/not under the configured one/);
  });

  test('a wrong current key is refused and changes nothing', async () => {
    const dataDir = newDir();
    const app = await testApp(dataDir);
    await issuedCluster(app, (c) => (c.keyAlgorithm = 'ecdsa-p256'));
    const before = ciphertexts(app.deps.db);
    await app.close();
    const res = await admin(['rotate-master-key'], { KPKI_DATA_DIR: dataDir, KPKI_MASTER_KEY: crypto.randomBytes(32).toString('base64') });
    expect(res.code).toBe(2);
    expect(res.err).toContain('give the key that belongs to this database');
    const db = new Database(path.join(dataDir, 'kpki.db'), { readonly: true });
    expect(ciphertexts(db).every((c, i) => c.equals(before[i]))).toBe(true);
    db.close();
  });
});
