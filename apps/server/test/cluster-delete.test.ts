/**
 * Deleting a cluster (issue 8, item 3): admins only, with the password re-entered; the deleted
 * cluster stays restorable, CA and keys intact, for the retention period (injected clock), and is
 * purged after it, sealed keys included.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { ADMIN_PASSWORD, issuedCluster, tempDataDir, testApp, testClock } from './helpers/app.ts';
import { bearer, createToken, createUser, signIn, type SessionHeaders } from './helpers/auth.ts';
import { dump } from './helpers/db-dump.ts';

type App = FastifyInstance & { rawInject: FastifyInstance['inject'] };
const API = '/api/v1';
const DAY = 86_400_000;
const sha = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

describe('deleting a cluster', () => {
  let dataDir = '';
  let app: App;
  let cluster = '';
  const clock = testClock(Date.parse('2030-03-01T00:00:00.000Z'));
  let admin: SessionHeaders;
  let kept: Awaited<ReturnType<typeof fingerprint>> | null = null;
  let host = 10;
  const as = (headers: Record<string, string>, method: string, url: string) => app.rawInject({ method: method as 'GET', url: `${API}${url}`, headers });
  /** A fresh admin session from its own address with the password re-entered (sessions end when the clock jumps days). */
  const elevatedAdmin = async () => {
    admin = await signIn(app, 'admin', ADMIN_PASSWORD, `127.0.8.${host++}`);
    expect((await app.rawInject({ method: 'POST', url: `${API}/session/reauth`, headers: admin, payload: { password: ADMIN_PASSWORD } })).statusCode).toBe(200);
    return admin;
  };
  /** What must come back on restore: the CA key, every certificate, the deploy key, the nodes. */
  const fingerprint = async (headers: Record<string, string>) => ({
    caKey: sha((await as(headers, 'GET', `/clusters/${cluster}/certificates/ca/key.pem`)).body),
    certificates: (await as(headers, 'GET', `/clusters/${cluster}/certificates`)).json().items.map((c: { name: string; serial: string; sha256: string }) => `${c.name} ${c.serial} ${c.sha256}`).sort(),
    deployKey: (await as(headers, 'GET', `/clusters/${cluster}/ssh-key`)).json().fingerprint,
    nodes: (await as(headers, 'GET', `/clusters/${cluster}/nodes`)).json().items.map((n: { name: string }) => n.name),
  });
  const certificatesOf = (clusterId: number) =>
    (app.deps.db.prepare('SELECT count(*) AS n FROM certificates WHERE cluster_id = ?').get(clusterId) as { n: number }).n;

  beforeAll(async () => {
    dataDir = tempDataDir();
    app = await testApp(dataDir, {}, { now: clock.now });
    cluster = await issuedCluster(app, (c) => (c.keyAlgorithm = 'ecdsa-p256'));
  });
  afterAll(async () => {
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('an operator, an admin without the password re-entered and an admin token are refused; nothing changes', async () => {
    await createUser(app, 'otto', 'otto-password-1', 'operator');
    const otto = await signIn(app, 'otto', 'otto-password-1', '127.0.8.2');
    const plain = await signIn(app, 'admin', ADMIN_PASSWORD, '127.0.8.3');
    const { token } = await createToken(app, 'admin-ci');
    const before = dump(app.deps.db);
    for (const [who, headers, code] of [['operator', otto, 'FORBIDDEN'], ['admin session', plain, 'REAUTH_REQUIRED'], ['admin token', bearer(token), 'REAUTH_REQUIRED']] as const) {
      const res = await as(headers, 'DELETE', `/clusters/${cluster}`);
      expect(res.statusCode, who).toBe(403);
      expect(res.json().error.code, who).toBe(code);
    }
    expect(dump(app.deps.db)).toBe(before);
    expect((await app.inject(`${API}/clusters/${cluster}`)).statusCode).toBe(200);
  });

  test('an elevated admin deletes it: gone from every route, listed as deleted with its purge time, its name still taken', async () => {
    const h = await elevatedAdmin();
    kept = await fingerprint(h);
    const res = await as(h, 'DELETE', `/clusters/${cluster}`);
    expect(res.statusCode, res.body).toBe(200);
    const deletedAt = clock.now().toISOString();
    expect(res.json()).toEqual({ name: cluster, deletedAt, deletedBy: 'admin', purgeAfter: new Date(clock.now().getTime() + 7 * DAY).toISOString(), hasCa: true, certificates: 10, nodes: 5 });
    for (const url of ['', '/certificates', '/nodes', '/certificates/ca/key.pem', '/plan']) {
      expect((await as(h, 'GET', `/clusters/${cluster}${url}`)).json().error.code, url).toBe('CLUSTER_NOT_FOUND');
    }
    expect((await as(h, 'GET', '/clusters')).json().items).toEqual([]);
    expect((await as(h, 'GET', '/deleted-clusters')).json().items.map((d: { name: string }) => d.name)).toEqual([cluster]);
    const preset = (await as(h, 'GET', '/presets/hard-way')).json();
    const again = await app.rawInject({ method: 'POST', url: `${API}/clusters`, headers: h, payload: preset });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('deleted cluster');
  });

  test('restored within the retention, it comes back with its CA and keys intact', async () => {
    clock.advance(6 * DAY);
    const h = await elevatedAdmin();
    const restored = await app.rawInject({ method: 'POST', url: `${API}/deleted-clusters/${cluster}/restore`, headers: h });
    expect(restored.statusCode, restored.body).toBe(200);
    expect(restored.json()).toMatchObject({ name: cluster, hasCa: true });
    expect(await fingerprint(h)).toEqual(kept);
    expect((await as(h, 'GET', '/deleted-clusters')).json().items).toEqual([]);
    const audit = (await as(h, 'GET', '/audit?limit=50')).json().items;
    expect(audit.find((e: { action: string }) => e.action === 'POST /api/v1/deleted-clusters/:cluster/restore')).toMatchObject({ actor: 'admin', result: 'ok' });
  });

  test('past the retention it is purged, sealed keys included, and can no longer be restored', async () => {
    let h = await elevatedAdmin();
    const id = app.deps.clusters.get(cluster)!.id;
    const secretIds = app.deps.db.prepare('SELECT key_secret_id AS id FROM certificates WHERE cluster_id = ? UNION SELECT secret_id FROM deploy_keys WHERE cluster_id = ?').all(id, id) as Array<{ id: string }>;
    expect(secretIds).toHaveLength(11);
    expect((await as(h, 'DELETE', `/clusters/${cluster}`)).statusCode).toBe(200);
    clock.advance(7 * DAY - 1000);
    h = await elevatedAdmin();
    expect((await as(h, 'GET', '/deleted-clusters')).json().items).toHaveLength(1); // still inside the retention
    clock.advance(2000);
    h = await elevatedAdmin();
    expect((await as(h, 'GET', '/deleted-clusters')).json().items).toEqual([]);
    expect(certificatesOf(id)).toBe(0);
    const left = app.deps.db.prepare(`SELECT count(*) AS n FROM secrets WHERE id IN (${secretIds.map(() => '?').join(',')})`).get(...secretIds.map((s) => s.id)) as { n: number };
    expect(left.n).toBe(0);
    const restore = await app.rawInject({ method: 'POST', url: `${API}/deleted-clusters/${cluster}/restore`, headers: h });
    expect(restore.statusCode).toBe(404);
    expect(restore.json().error.message).toContain('purged');
    const purged = (await as(h, 'GET', '/audit?limit=50')).json().items.find((e: { action: string }) => e.action === 'cluster-purged');
    expect(purged).toMatchObject({ actor: 'kpki', object: `cluster=${cluster}` });
    // the name is free again
    const preset = (await as(h, 'GET', '/presets/hard-way')).json();
    expect((await app.rawInject({ method: 'POST', url: `${API}/clusters`, headers: h, payload: preset })).statusCode).toBe(201);
  });

  test('an admin purges a deleted cluster at once only with the password re-entered', async () => {
    let h = await elevatedAdmin();
    expect((await as(h, 'DELETE', `/clusters/${cluster}`)).statusCode).toBe(200);
    const plain = await signIn(app, 'admin', ADMIN_PASSWORD, `127.0.8.${host++}`);
    const refused = await as(plain, 'DELETE', `/deleted-clusters/${cluster}`);
    expect(refused.json().error.code).toBe('REAUTH_REQUIRED');
    expect((await as(plain, 'GET', '/deleted-clusters')).json().items).toHaveLength(1);
    h = await elevatedAdmin();
    expect((await as(h, 'DELETE', `/deleted-clusters/${cluster}`)).statusCode).toBe(204);
    expect((await as(h, 'GET', '/deleted-clusters')).json().items).toEqual([]);
  });
});

describe('the retention period is a setting', () => {
  test('KPKI_DELETED_CLUSTER_RETENTION_DAYS=2 purges after two days, at start-up too', async () => {
    const dataDir = tempDataDir();
    const clock = testClock(Date.parse('2030-05-01T00:00:00.000Z'));
    let app = await testApp(dataDir, { KPKI_DELETED_CLUSTER_RETENTION_DAYS: '2' }, { now: clock.now });
    try {
      const cluster = await issuedCluster(app, (c) => (c.keyAlgorithm = 'ecdsa-p256'));
      await app.inject({ method: 'POST', url: `${API}/session/reauth`, payload: { password: ADMIN_PASSWORD } });
      const res = await app.inject({ method: 'DELETE', url: `${API}/clusters/${cluster}` });
      expect(res.json().purgeAfter).toBe(new Date(clock.now().getTime() + 2 * DAY).toISOString());
      await app.close();
      clock.advance(2 * DAY + 1);
      app = await testApp(dataDir, { KPKI_DELETED_CLUSTER_RETENTION_DAYS: '2' }, { now: clock.now });
      // nobody asked: the start-up maintenance purged it
      expect((app.deps.db.prepare('SELECT count(*) AS n FROM clusters').get() as { n: number }).n).toBe(0);
      expect((app.deps.db.prepare('SELECT count(*) AS n FROM secrets').get() as { n: number }).n).toBe(0);
    } finally {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
