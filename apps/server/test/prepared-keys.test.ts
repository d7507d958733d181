/**
 * Keys ahead of time (issue 10): a new cluster's keys are generated in the background by a
 * thread at nice 19, sealed at rest, and issuance takes them (each once: every certificate has
 * its own key); a topology change and renewals coming due prepare what they will need; keys not
 * taken within their time to live are discarded; KPKI_PREPARED_KEYS=0 turns it off.
 *
 * The clusters use ECDSA P-256: a thread at nice 19 gets almost no CPU on a machine busy with
 * other work (that is the point), and RSA keys would then take minutes here; the mechanism is
 * the same for every algorithm (the bench measures RSA).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createPublicKey, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { hardWayPreset } from '@kpki/shared/preset';
import { DAY_MS, reauth, refreshSession, tempDataDir, testApp, testClock, waitJob } from './helpers/app.ts';
import { open, type Sealed } from '../src/store/secret-box.ts';

type App = Awaited<ReturnType<typeof testApp>>;
const spki = (pem: string) => createPublicKey(pem).export({ type: 'spki', format: 'der' }).toString('base64');

/** Rows of prepared_keys, opened with the master key: id, cluster, expiry and the key's public half. */
function preparedRows(app: FastifyInstance) {
  const { db, config } = (app as App).deps;
  const rows = db.prepare('SELECT id, cluster_id AS clusterId, algorithm, version, key_id AS keyId, iv, tag, ciphertext, expires_at AS expiresAt FROM prepared_keys').all() as Array<Sealed & { id: string; clusterId: number; algorithm: string; expiresAt: string }>;
  return rows.map((r) => ({ id: r.id, clusterId: r.clusterId, algorithm: r.algorithm, expiresAt: r.expiresAt, spki: spki(open(config.masterKey, r.id, r)) }));
}

/** Threads of this process whose nice value is 19, as the kernel reports them. */
function niceThreads(): number {
  let n = 0;
  for (const tid of fs.readdirSync('/proc/self/task')) {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16] === '19') n++;
    } catch {
      /* the thread ended */
    }
  }
  return n;
}

describe('keys ahead of time', () => {
  const clock = testClock();
  let dataDir = '';
  let app: App;
  const api = (c: string, url = '') => `/api/v1/clusters/${c}${url}`;
  const createCluster = async (change: (c: any) => void) => {
    const body: any = hardWayPreset();
    change(body);
    const res = await app.inject({ method: 'POST', url: '/api/v1/clusters', payload: body });
    expect(res.statusCode, res.body).toBe(201);
    return (app.deps.clusters.get(body.name))!.id;
  };

  beforeAll(async () => {
    dataDir = tempDataDir();
    app = await testApp(dataDir, { KPKI_PREPARED_KEY_TTL_HOURS: '2' }, { now: clock.now });
  });
  afterAll(async () => {
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('a new cluster\'s keys are generated in the background by a nice-19 thread, sealed at rest', async () => {
    const before = niceThreads();
    const id = await createCluster((c) => {
      c.name = 'ahead';
      c.keyAlgorithm = 'ecdsa-p256';
    });
    await app.deps.keys.settled();
    // the generating thread stays (idle) for the next keys: the kernel shows it at nice 19, nothing else is
    expect(niceThreads()).toBe(before + 1);
    expect(app.deps.keys.stats.generated).toBeGreaterThanOrEqual(10);
    const rows = preparedRows(app).filter((r) => r.clusterId === id);
    expect(rows).toHaveLength(10); // the CA and 9 leaves
    expect(rows.every((r) => r.algorithm === 'ecdsa-p256')).toBe(true);
    expect(new Set(rows.map((r) => r.spki)).size).toBe(10);
    // nothing of a private key in clear in the database files
    app.deps.db.pragma('wal_checkpoint(TRUNCATE)');
    for (const f of fs.readdirSync(dataDir).filter((f) => f.startsWith('kpki.db'))) {
      const bytes = fs.readFileSync(path.join(dataDir, f));
      expect(bytes.includes('PRIVATE KEY'), f).toBe(false);
    }
  });

  test('the CA and the issuance take them, each once: every certificate has its own prepared key', async () => {
    const prepared = new Set(preparedRows(app).map((r) => r.spki));
    expect((await app.inject({ method: 'POST', url: api('ahead', '/ca') })).statusCode).toBe(201);
    const job = await waitJob(app, (await app.inject({ method: 'POST', url: api('ahead', '/issuances') })).json().jobId);
    expect(job.status).toBe('succeeded');
    expect(job.log.map((l) => l.message)).toContain('9 of 9 key(s) were ready ahead of time or kept');
    const keys: string[] = [];
    for (const c of (await app.inject(api('ahead', '/certificates'))).json().items as Array<{ name: string }>) {
      const pem = (await app.inject(api('ahead', `/certificates/${c.name}/cert.pem`))).body;
      keys.push(new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' }).toString('base64'));
    }
    expect(keys).toHaveLength(10);
    expect(new Set(keys).size).toBe(10);
    expect(keys.every((k) => prepared.has(k))).toBe(true);
    // taken means gone: nothing left to hand out twice, and nothing more is needed now
    await app.deps.keys.settled();
    expect(preparedRows(app)).toEqual([]);
  });

  test('a topology change prepares the keys of what it will re-issue, and apply takes them', async () => {
    const id = app.deps.clusters.get('ahead')!.id;
    const c = (await app.inject(api('ahead'))).json();
    c.nodes.push({ name: 'cp3', role: 'control-plane', addresses: ['192.168.56.25'] });
    await reauth(app); // a new control-plane node is the CA key's way: the admin re-entered the password
    expect((await app.inject({ method: 'PUT', url: api('ahead'), payload: c })).statusCode).toBe(200);
    await app.deps.keys.settled();
    const rows = preparedRows(app).filter((r) => r.clusterId === id);
    expect(rows).toHaveLength(2); // kubernetes and etcd
    const res = await app.inject({ method: 'POST', url: api('ahead', '/changes/apply'), payload: {} });
    const job = await waitJob(app, res.json().jobId);
    expect(job.log.map((l) => l.message)).toContain('2 of 2 key(s) were ready ahead of time or kept');
    await app.deps.keys.settled();
    expect(preparedRows(app)).toEqual([]);
  });

  test('renewals coming due: keys are prepared within the warning threshold plus a week (the service-account key is kept)', async () => {
    const id = app.deps.clusters.get('ahead')!.id;
    clock.advance(365 * DAY_MS - 36 * DAY_MS); // 36 days left: due within 30 + 7
    await refreshSession(app);
    await app.deps.keys.look(); // what the periodic look does
    await app.deps.keys.settled();
    // 8 leaves due (kubernetes and etcd were re-issued seconds later: same window), the service-account keeps its key
    expect(preparedRows(app).filter((r) => r.clusterId === id)).toHaveLength(8);
    // renewing them now (a week before they turn warning) takes them
    const names = ['admin', 'worker1', 'worker2', 'kube-controller-manager', 'kube-proxy', 'kube-scheduler', 'kubernetes', 'etcd', 'service-account'];
    const res = await app.inject({ method: 'POST', url: api('ahead', '/renewals'), payload: { certificates: names } });
    expect(res.json().certificates).toHaveLength(9);
    const job = await waitJob(app, res.json().jobId);
    expect(job.log.map((l) => l.message)).toContain('9 of 9 key(s) were ready ahead of time or kept');
  });

  test('a prepared key not taken within its time to live is discarded, never handed out', async () => {
    const id = await createCluster((c) => {
      c.name = 'expires';
      c.keyAlgorithm = 'ecdsa-p256';
    });
    await app.deps.keys.settled();
    const first = preparedRows(app).filter((r) => r.clusterId === id);
    expect(first).toHaveLength(10);
    clock.advance(3 * 3_600_000); // TTL 2 h
    await refreshSession(app);
    await app.deps.keys.look();
    await app.deps.keys.settled();
    const now = preparedRows(app);
    expect(now.filter((r) => first.some((f) => f.id === r.id))).toEqual([]);
    expect(now.every((r) => Date.parse(r.expiresAt) > clock.now().getTime())).toBe(true);
    // and the keys the CA gets are none of the discarded ones
    const ca = await app.inject({ method: 'POST', url: api('expires', '/ca') });
    const pem = (await app.inject(api('expires', '/certificates/ca/cert.pem'))).body;
    expect(ca.statusCode).toBe(201);
    expect(first.map((f) => f.spki)).not.toContain(new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' }).toString('base64'));
  });

  test('KPKI_PREPARED_KEYS=0: nothing is generated ahead', async () => {
    const dir = tempDataDir();
    const off = await testApp(dir, { KPKI_PREPARED_KEYS: '0' });
    try {
      const res = await off.inject({ method: 'POST', url: '/api/v1/clusters', payload: { ...hardWayPreset(), keyAlgorithm: 'ecdsa-p256' } });
      expect(res.statusCode).toBe(201);
      await off.deps.keys.settled();
      expect(preparedRows(off)).toEqual([]);
      expect(off.deps.keys.stats.generated).toBe(0);
    } finally {
      await off.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
