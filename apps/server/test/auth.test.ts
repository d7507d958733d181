/**
 * Who gets in, and what they may do: the full route table without credentials, roles, CSRF,
 * the sign-in rate limit, the audit log, sessions and tokens, cookie flags, security headers.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { ADMIN_PASSWORD, authHeaders, issuedCluster, reauth, tempDataDir, testApp, waitJob } from './helpers/app.ts';
import { bearer, createToken, createUser, neededRole, signIn, type SessionHeaders } from './helpers/auth.ts';
import { run } from './helpers/tools.ts';

type App = FastifyInstance & { rawInject: FastifyInstance['inject'] };
const API = '/api/v1';
const ROLE_ORDER = ['viewer', 'operator', 'admin'];

/** The routes that answer without credentials. GET /session is public but answers 401 itself. */
const PUBLIC = ['GET /api/v1/health', 'HEAD /api/v1/health', 'GET /api/v1/session', 'HEAD /api/v1/session', 'POST /api/v1/session'];
const OPEN = new Set(['GET /api/v1/health', 'HEAD /api/v1/health', 'POST /api/v1/session']);

function apiRoutes(app: App) {
  return app.routeTable.filter((r) => r.url.startsWith(`${API}/`));
}

describe('the full route table', () => {
  let dataDir = '';
  let app: App;
  let cluster: string;
  const ids: Record<string, string> = {};

  /** A plausible URL for a route: path parameters replaced with objects that exist. */
  const urlOf = (r: { url: string }) =>
    r.url
      .replace(':cluster', cluster)
      .replace(':name', 'admin')
      .replace(':node', 'worker1')
      .replace(':id', r.url.startsWith(`${API}/jobs`) ? ids.job : r.url.startsWith(`${API}/users`) ? ids.user : ids.token);

  beforeAll(async () => {
    dataDir = tempDataDir();
    app = await testApp(dataDir);
    cluster = await issuedCluster(app);
    ids.job = (await app.inject(`${API}/jobs`)).json().items[0].id;
    ids.user = String(await createUser(app, 'walker', 'walker-password-1', 'viewer'));
    ids.token = (await createToken(app, 'walk')).id;
  });
  afterAll(async () => {
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('the only routes without a role are health, sign-in and the session probe', () => {
    const routes = apiRoutes(app);
    expect(routes.length).toBeGreaterThanOrEqual(60);
    expect(routes.filter((r) => r.config.role === 'public').map((r) => `${r.method} ${r.url}`).sort()).toEqual([...PUBLIC].sort());
  });

  test('every documented route is in the table the walk reads', () => {
    const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../../docs/api.md'), 'utf8');
    const documented = [...doc.matchAll(/^\| (GET|POST|PUT|PATCH|DELETE) \| (\/[^ |]*) \|/gm)].map(([, m, p]) => `${m} ${API}${p.replace(/\{(\w+)\}/g, ':$1')}`);
    expect(documented.length).toBeGreaterThan(25);
    const table = new Set(apiRoutes(app).map((r) => `${r.method} ${r.url}`));
    expect(documented.filter((d) => !table.has(d))).toEqual([]);
  });

  test('every other /api/v1 route answers 401 UNAUTHENTICATED without credentials, with a forged cookie or token', async () => {
    const guarded = apiRoutes(app).filter((r) => !OPEN.has(`${r.method} ${r.url}`));
    expect(guarded.length).toBeGreaterThanOrEqual(55);
    const variants: Array<[string, Record<string, string>]> = [
      ['none', {}],
      ['forged cookie', { cookie: `kpki_session=${crypto.randomBytes(32).toString('base64url')}`, 'x-csrf-token': 'x' }],
      ['forged token', bearer(`kpki_${crypto.randomBytes(32).toString('base64url')}`)],
      ['not a bearer scheme', { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` }],
    ];
    const failures: string[] = [];
    let sent = 0;
    for (const r of guarded) {
      for (const [what, headers] of variants) {
        const unsafe = !['GET', 'HEAD'].includes(r.method);
        // each from its own loopback address: requests without sign-in are rate limited per address
        const remoteAddress = `127.0.${10 + Math.floor(sent / 250)}.${(sent % 250) + 1}`;
        sent++;
        const res = await app.rawInject({ method: r.method as 'GET', url: urlOf(r), headers, remoteAddress, ...(unsafe ? { payload: {} } : {}) });
        const code = r.method === 'HEAD' ? null : res.json().error?.code;
        if (res.statusCode !== 401 || (code !== null && code !== 'UNAUTHENTICATED')) failures.push(`${r.method} ${urlOf(r)} (${what}): ${res.statusCode} ${code}`);
      }
    }
    expect(failures).toEqual([]);
  });

  test('GET /metrics, the one data route outside /api/v1, answers 401 without an API token (a session cookie is not one)', async () => {
    const outside = app.routeTable.filter((r) => !r.url.startsWith('/api/') && !['HEAD', 'OPTIONS'].includes(r.method)).map((r) => `${r.method} ${r.url}`);
    expect(outside).toContain('GET /metrics');
    // every other one serves the built web app (files, the index) or the OpenAPI UI
    expect(outside.filter((r) => r !== 'GET /metrics' && !/^GET \/(api\/docs.*|assets\/.*|[\w.-]+\.\w+|\*)?$/.test(r))).toEqual([]);
    for (const headers of [{}, authHeaders.get(app)!, bearer(`kpki_${crypto.randomBytes(32).toString('base64url')}`)]) {
      const res = await app.rawInject({ method: 'GET', url: '/metrics', headers });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHENTICATED');
    }
    const { token } = await createToken(app, 'metrics-walk');
    expect((await app.rawInject({ method: 'GET', url: '/metrics', headers: bearer(token) })).statusCode).toBe(200);
  });

  test('the refused requests changed nothing: the cluster, its certificates and the users are still there', async () => {
    expect((await app.inject(`${API}/clusters/${cluster}`)).statusCode).toBe(200);
    expect((await app.inject(`${API}/clusters/${cluster}/certificates`)).json().items).toHaveLength(10);
    expect((await app.inject(`${API}/users`)).json().items.map((u: { username: string }) => u.username)).toEqual(['admin', 'walker']);
    expect((await app.inject(`${API}/tokens`)).json().items[0].revokedAt).toBeNull();
  });

  test('the open routes answer without credentials', async () => {
    expect((await app.rawInject(`${API}/health`)).json()).toEqual({ status: 'ok' });
    const res = await app.rawInject({ method: 'POST', url: `${API}/session`, payload: { username: 'admin', password: ADMIN_PASSWORD } });
    expect(res.statusCode).toBe(200);
  });
});

describe('roles', () => {
  let dataDir = '';
  let app: App;
  let cluster: string;
  let viewer: SessionHeaders;
  let operator: SessionHeaders;
  let admin: SessionHeaders;
  const c = (p: string) => `${API}/clusters/${cluster}${p}`;
  const as = (headers: Record<string, string>, method: string, url: string, payload?: unknown) =>
    app.rawInject({ method: method as 'GET', url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });

  beforeAll(async () => {
    dataDir = tempDataDir();
    app = await testApp(dataDir);
    cluster = await issuedCluster(app);
    await createUser(app, 'vera', 'vera-password-1', 'viewer');
    await createUser(app, 'otto', 'otto-password-1', 'operator');
    viewer = await signIn(app, 'vera', 'vera-password-1');
    operator = await signIn(app, 'otto', 'otto-password-1');
    admin = await signIn(app, 'admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Every route that needs more than `role` answers 403 FORBIDDEN to it (nothing runs). */
  async function walkForbidden(headers: SessionHeaders, role: string): Promise<number> {
    const ids: Record<string, string> = { job: '00000000-0000-0000-0000-000000000000', user: '1', token: 'none' };
    let walked = 0;
    const failures: string[] = [];
    for (const r of apiRoutes(app)) {
      const need = neededRole(r);
      if (need === 'public' || ROLE_ORDER.indexOf(need) <= ROLE_ORDER.indexOf(role)) continue;
      const url = r.url.replace(':cluster', cluster).replace(':name', 'admin').replace(':node', 'worker1')
        .replace(':id', r.url.includes('/jobs') ? ids.job : r.url.includes('/users') ? ids.user : ids.token);
      const res = await as(headers, r.method, url, ['GET', 'HEAD'].includes(r.method) ? undefined : {});
      walked++;
      if (res.statusCode !== 403 || (r.method !== 'HEAD' && res.json().error.code !== 'FORBIDDEN')) failures.push(`${r.method} ${url}: ${res.statusCode} ${res.body.slice(0, 120)}`);
      else if (r.method !== 'HEAD') expect(res.json().error.message).toContain(need);
    }
    expect(failures).toEqual([]);
    return walked;
  }

  test('a viewer reads everything but the keys', async () => {
    for (const p of ['', '/plan', '/certificates', '/certificates/kubernetes', '/certificates/admin/cert.pem', '/nodes', '/ssh-key', '/issuances']) {
      expect((await as(viewer, 'GET', c(p))).statusCode, p).toBe(200);
    }
    expect((await as(viewer, 'GET', `${API}/jobs`)).statusCode).toBe(200);
  });

  test('a viewer may not write anything, nor download a key or a bundle (403 FORBIDDEN on every such route)', async () => {
    const walked = await walkForbidden(viewer, 'viewer');
    expect(walked).toBeGreaterThanOrEqual(23); // own tokens (POST/DELETE /tokens) are a viewer's too
    for (const p of ['/certificates/admin/key.pem', '/certificates/worker1/key.pem', '/certificates/ca/key.pem', '/bundle.tar.gz', '/bundle.tar.gz?node=worker1']) {
      const res = await as(viewer, 'GET', c(p));
      expect(res.statusCode, p).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
      expect(res.body).not.toContain('PRIVATE KEY');
    }
  });

  test('an operator may not administer users, other users\' tokens, the audit log or backups', async () => {
    const walked = await walkForbidden(operator, 'operator');
    expect(walked).toBeGreaterThanOrEqual(8);
  });

  test('an operator issues, distributes and downloads leaf keys and node bundles', async () => {
    const iss = await as(operator, 'POST', c('/issuances'));
    expect(iss.statusCode, iss.body).toBe(202);
    expect((await waitJob(app, iss.json().jobId)).status).toBe('succeeded');
    const dist = await as(operator, 'POST', c('/distributions'), {});
    expect(dist.statusCode, dist.body).toBe(202); // the nodes have no SSH settings: the job fails per node, but it was allowed
    await waitJob(app, dist.json().jobId);
    for (const name of ['admin', 'worker1', 'kubernetes', 'service-account']) {
      const key = await as(operator, 'GET', c(`/certificates/${name}/key.pem`));
      expect(key.statusCode, name).toBe(200);
      expect(key.body).toMatch(/^-----BEGIN (RSA )?PRIVATE KEY-----/);
    }
    const bundle = await as(operator, 'GET', c('/bundle.tar.gz?node=worker1'));
    expect(bundle.statusCode).toBe(200);
    expect(bundle.headers['content-type']).toBe('application/gzip');
  });

  test('an operator never gets the CA key: not alone, not in a bundle', async () => {
    for (const p of ['/certificates/ca/key.pem', '/bundle.tar.gz', '/bundle.tar.gz?node=cp1']) {
      const res = await as(operator, 'GET', c(p));
      expect(res.statusCode, p).toBe(403);
      expect(res.json().error.code, p).toBe('FORBIDDEN');
      expect(res.json().error.message).toContain('admin');
    }
    expect((await as(operator, 'POST', `${API}/session/reauth`, { password: 'otto-password-1' })).json().error.code).toBe('FORBIDDEN');
  });

  test('an admin gets the CA key only after re-entering the password, for a limited time', async () => {
    const before = await as(admin, 'GET', c('/certificates/ca/key.pem'));
    expect(before.statusCode).toBe(403);
    expect(before.json().error.code).toBe('REAUTH_REQUIRED');
    expect(before.json().error.message).toContain('/session/reauth');
    const wrong = await as(admin, 'POST', `${API}/session/reauth`, { password: 'not-the-password' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('INVALID_CREDENTIALS');
    expect((await as(admin, 'GET', c('/certificates/ca/key.pem'))).statusCode).toBe(403);

    const ok = await as(admin, 'POST', `${API}/session/reauth`, { password: ADMIN_PASSWORD });
    expect(ok.statusCode, ok.body).toBe(200);
    const key = await as(admin, 'GET', c('/certificates/ca/key.pem'));
    expect(key.statusCode).toBe(200);
    const cert = await as(admin, 'GET', c('/certificates/ca/cert.pem'));
    const pub = new crypto.X509Certificate(cert.body).publicKey.export({ type: 'spki', format: 'der' });
    expect(crypto.createPublicKey(crypto.createPrivateKey(key.body)).export({ type: 'spki', format: 'der' })).toEqual(pub);
    expect((await as(admin, 'GET', c('/bundle.tar.gz'))).statusCode).toBe(200);

    // the elevation belongs to this session only, and it ends
    expect((await app.inject(c('/certificates/ca/key.pem'))).json().error.code).toBe('REAUTH_REQUIRED');
    app.deps.db.prepare("UPDATE sessions SET elevated_until = '2000-01-01T00:00:00.000Z' WHERE elevated_until IS NOT NULL").run();
    expect((await as(admin, 'GET', c('/certificates/ca/key.pem'))).json().error.code).toBe('REAUTH_REQUIRED');
  });

  test('API tokens never get the CA key, even an admin\'s', async () => {
    const { token } = await createToken(app, 'script');
    const h = bearer(token);
    expect((await as(h, 'GET', c('/certificates/admin/key.pem'))).statusCode).toBe(200);
    for (const p of ['/certificates/ca/key.pem', '/bundle.tar.gz', '/bundle.tar.gz?node=cp2']) {
      const res = await as(h, 'GET', c(p));
      expect(res.statusCode, p).toBe(403);
      expect(res.json().error.code).toBe('REAUTH_REQUIRED');
    }
    const re = await as(h, 'POST', `${API}/session/reauth`, { password: ADMIN_PASSWORD });
    expect(re.statusCode).toBe(403);
    expect(re.json().error.message).toContain('API tokens never download the CA key');
    expect((await as(h, 'GET', c('/certificates/ca/key.pem'))).statusCode).toBe(403);
  });

  test('an operator\'s token has the operator\'s rights', async () => {
    const { token } = await createToken(app, 'ci', operator);
    expect((await as(bearer(token), 'GET', c('/certificates/worker2/key.pem'))).statusCode).toBe(200);
    expect((await as(bearer(token), 'GET', `${API}/users`)).json().error.code).toBe('FORBIDDEN');
  });
});

describe('CSRF protection of cookie sessions', () => {
  let dataDir = '';
  let app: App;
  let session: SessionHeaders;
  let preset: Record<string, unknown>;

  beforeAll(async () => {
    dataDir = tempDataDir();
    app = await testApp(dataDir);
    session = await signIn(app, 'admin', ADMIN_PASSWORD);
    preset = (await app.inject(`${API}/presets/hard-way`)).json();
  });
  afterAll(async () => {
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const create = (name: string, headers: Record<string, string>) =>
    app.rawInject({ method: 'POST', url: `${API}/clusters`, headers, payload: { ...preset, name } });

  test('GET /session hands out the session\'s CSRF token', async () => {
    const res = await app.rawInject({ url: `${API}/session`, headers: { cookie: session.cookie } });
    expect(res.json()).toMatchObject({ csrfToken: session['x-csrf-token'], via: 'session', user: { username: 'admin', role: 'admin' } });
  });

  test('a cookie session without x-csrf-token, or with a wrong one, is refused with CSRF_INVALID and nothing happens', async () => {
    const other = await signIn(app, 'admin', ADMIN_PASSWORD);
    const variants: Array<Record<string, string>> = [{ cookie: session.cookie }, { cookie: session.cookie, 'x-csrf-token': 'wrong' }, { cookie: session.cookie, 'x-csrf-token': other['x-csrf-token'] }];
    for (const headers of variants) {
      const res = await create('csrf', headers);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('CSRF_INVALID');
      expect(res.json().error.message).toContain('x-csrf-token');
    }
    expect((await app.inject(`${API}/clusters/csrf`)).statusCode).toBe(404);
    const del = await app.rawInject({ method: 'DELETE', url: `${API}/session`, headers: { cookie: session.cookie } });
    expect(del.json().error.code).toBe('CSRF_INVALID');
    expect((await app.rawInject({ url: `${API}/clusters`, headers: { cookie: session.cookie } })).statusCode).toBe(200);
  });

  test('with the token the same request succeeds', async () => {
    const res = await create('csrf', session);
    expect(res.statusCode, res.body).toBe(201);
  });

  test('safe methods need no CSRF token', async () => {
    expect((await app.rawInject({ url: `${API}/clusters/csrf`, headers: { cookie: session.cookie } })).statusCode).toBe(200);
  });

  test('bearer tokens need no CSRF token', async () => {
    const { token } = await createToken(app, 'ci');
    const res = await create('by-token', bearer(token));
    expect(res.statusCode, res.body).toBe(201);
    const put = await app.rawInject({ method: 'PUT', url: `${API}/clusters/by-token`, headers: bearer(token), payload: { ...preset, name: 'by-token' } });
    expect(put.statusCode).toBe(200);
  });
});

describe('sign-in rate limit and the audit log', () => {
  let dataDir = '';
  let app: App;
  let cluster: string;
  const audit = async () => (await app.inject(`${API}/audit?limit=1000`)).json().items as Array<Record<string, unknown>>;

  beforeAll(async () => {
    dataDir = tempDataDir();
    app = await testApp(dataDir);
  });
  afterAll(async () => {
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('the 11th sign-in attempt from one address within a minute is refused with 429 RATE_LIMITED', async () => {
    const attempt = (password: string, remoteAddress = '127.0.0.9', username = 'admin') =>
      app.rawInject({ method: 'POST', url: `${API}/session`, payload: { username, password }, remoteAddress });
    for (let i = 1; i <= 10; i++) {
      // at most 4 failures per name: the 5th would start the per-username backoff (sign-in.test.ts)
      const res = await attempt(i === 5 ? 'x'.repeat(20) : `wrong-${i}`, '127.0.0.9', i === 7 ? 'nobody' : i <= 4 ? 'admin' : `guess-${i}`);
      expect(res.statusCode, `attempt ${i}`).toBe(401);
      expect(res.json().error.code).toBe('INVALID_CREDENTIALS');
    }
    const eleventh = await attempt(ADMIN_PASSWORD);
    expect(eleventh.statusCode).toBe(429);
    expect(eleventh.json().error).toMatchObject({ code: 'RATE_LIMITED' });
    expect(eleventh.json().error.message).toContain('wait');
    expect(eleventh.cookies.find((c) => c.name === 'kpki_session')).toBeUndefined();
    // another address is not held back by it
    expect((await attempt(ADMIN_PASSWORD, '127.0.0.10')).statusCode).toBe(200);
  });

  test('failed and successful sign-ins are in the audit log with the address and the result', async () => {
    const items = await audit();
    const signIns = items.filter((e) => e.action === 'sign-in');
    expect(signIns.filter((e) => e.address === '127.0.0.9' && e.result === 'failed (401)')).toHaveLength(10);
    expect(signIns.find((e) => e.actor === 'nobody')).toMatchObject({ result: 'failed (401)', address: '127.0.0.9' });
    // the refused 11th attempt is in the aggregated line of its address and minute (the rate limit answers before the body is read)
    app.deps.anonymous.flush(true);
    const aggregated = (await audit()).find((e) => e.action === 'rejected-anonymous-requests' && e.address === '127.0.0.9');
    expect(aggregated).toMatchObject({ actor: 'anonymous', result: 'failed (429)', details: { count: 1, statuses: { 429: 1 }, routes: { 'POST /api/v1/session': 1 } } });
    expect(signIns.filter((e) => e.result === 'ok').map((e) => [e.actor, e.address])).toEqual(
      expect.arrayContaining([['admin', '127.0.0.1'], ['admin', '127.0.0.10']]),
    );
    for (const e of items) expect(e.at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(JSON.stringify(items)).not.toContain('wrong-');
    expect(JSON.stringify(items)).not.toContain(ADMIN_PASSWORD);
  });

  test('key downloads, issuance, distribution and topology changes are audited with who, what, which object and the result', async () => {
    cluster = await issuedCluster(app); // POST /clusters, POST ca, POST issuances
    const preset = (await app.inject(`${API}/clusters/${cluster}`)).json();
    const { createdAt: _c, updatedAt: _u, hasCa: _h, caNotAfter: _n, ...input } = preset;
    input.nodes[0].addresses = ['192.168.56.121'];
    expect((await app.inject({ method: 'PUT', url: `${API}/clusters/${cluster}`, payload: input })).statusCode).toBe(200);
    expect((await app.inject({ method: 'PUT', url: `${API}/clusters/${cluster}/nodes/worker1/ssh`, payload: { host: '127.0.0.1', port: 1 } })).statusCode).toBe(200);
    expect((await app.inject(`${API}/clusters/${cluster}/certificates/admin/key.pem`)).statusCode).toBe(200);
    expect((await app.inject(`${API}/clusters/${cluster}/certificates/ca/key.pem`)).statusCode).toBe(403);
    expect((await app.inject(`${API}/clusters/${cluster}/bundle.tar.gz?node=worker2`)).statusCode).toBe(200);
    const dist = await app.inject({ method: 'POST', url: `${API}/clusters/${cluster}/distributions`, payload: { nodes: ['worker2'] } });
    expect(dist.statusCode).toBe(202);
    await waitJob(app, dist.json().jobId);
    await app.inject({ method: 'POST', url: `${API}/clusters`, payload: { ...input, name: 'second' } });
    await reauth(app); // deleting a cluster follows the CA key rule
    expect((await app.inject({ method: 'DELETE', url: `${API}/clusters/second` })).statusCode).toBe(200);

    const items = await audit();
    const find = (action: string, object?: string) => items.filter((e) => e.action === action && (object === undefined || e.object === object));
    const who = { actor: 'admin', address: '127.0.0.1' };
    expect(find('POST /api/v1/clusters')[0]).toMatchObject({ ...who, result: 'ok' });
    expect(find('POST /api/v1/clusters/:cluster/ca', `cluster=${cluster}`)[0]).toMatchObject({ ...who, result: 'ok' });
    expect(find('POST /api/v1/clusters/:cluster/issuances', `cluster=${cluster}`)[0]).toMatchObject({ ...who, result: 'ok' });
    expect(find('PUT /api/v1/clusters/:cluster', `cluster=${cluster}`)[0]).toMatchObject({ ...who, result: 'ok' });
    expect(find('PUT /api/v1/clusters/:cluster/nodes/:node/ssh', `cluster=${cluster} node=worker1`)[0]).toMatchObject({ ...who, result: 'ok' });
    expect(find('DELETE /api/v1/clusters/:cluster', 'cluster=second')[0]).toMatchObject({ ...who, result: 'ok' });
    expect(find('POST /api/v1/clusters/:cluster/distributions', `cluster=${cluster}`)[0]).toMatchObject({ ...who, result: 'ok' });
    expect(find('download-key', `cluster=${cluster} name=admin`)[0]).toMatchObject({ ...who, result: 'ok' });
    expect(find('download-key', `cluster=${cluster} name=ca`)[0]).toMatchObject({ ...who, result: 'failed (403)' });
    expect(find('download-bundle', `cluster=${cluster} node=worker2`)[0]).toMatchObject({ ...who, result: 'ok', details: { node: 'worker2', caKey: false } });
    // plain reads are not audited
    expect(items.some((e) => String(e.action).startsWith('GET '))).toBe(false);
  });

  test('a viewer\'s refused write is audited too', async () => {
    await createUser(app, 'vic', 'vic-password-12', 'viewer');
    const vic = await signIn(app, 'vic', 'vic-password-12');
    const res = await app.rawInject({ method: 'DELETE', url: `${API}/clusters/${cluster}`, headers: vic });
    expect(res.statusCode).toBe(403);
    expect((await audit()).find((e) => e.action === 'DELETE /api/v1/clusters/:cluster' && e.actor === 'vic')).toMatchObject({ result: 'failed (403)', object: `cluster=${cluster}` });
  });

  test('the audit table refuses UPDATE and DELETE (append-only triggers)', async () => {
    const { db } = app.deps;
    const count = () => (db.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n;
    const before = count();
    const first = db.prepare('SELECT * FROM audit ORDER BY id LIMIT 1').get();
    expect(before).toBeGreaterThan(10);
    expect(() => db.prepare("UPDATE audit SET result = 'ok'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit WHERE id = 1').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    expect(count()).toBe(before);
    expect(db.prepare('SELECT * FROM audit ORDER BY id LIMIT 1').get()).toEqual(first);
  });
});

describe('sessions, disabled users, tokens and passwords', () => {
  let dataDir = '';
  let app: App;
  const probe = (headers: Record<string, string>) => app.rawInject({ url: `${API}/clusters`, headers });
  // many sign-ins here: each from its own address, so the sign-in rate limit (10/min per address) stays out of the way
  let host = 10;
  const from = () => `127.0.1.${host++}`;

  beforeAll(async () => {
    dataDir = tempDataDir();
    app = await testApp(dataDir);
  });
  afterAll(async () => {
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('signing out revokes the session: the cookie no longer works', async () => {
    const s = await signIn(app, 'admin', ADMIN_PASSWORD, from());
    expect((await probe(s)).statusCode).toBe(200);
    const out = await app.rawInject({ method: 'DELETE', url: `${API}/session`, headers: s });
    expect(out.statusCode).toBe(204);
    expect(out.headers['set-cookie']).toMatch(/kpki_session=;/);
    expect((await probe(s)).statusCode).toBe(401);
    expect((await app.rawInject({ url: `${API}/session`, headers: s })).json().error.code).toBe('UNAUTHENTICATED');
    expect((await probe(authHeaders.get(app)!)).statusCode).toBe(200); // other sessions live on
  });

  test('an expired session is refused', async () => {
    const s = await signIn(app, 'admin', ADMIN_PASSWORD, from());
    const hash = crypto.createHash('sha256').update(s.cookie.split('=')[1]).digest('hex');
    app.deps.db.prepare("UPDATE sessions SET expires_at = '2000-01-01T00:00:00.000Z' WHERE id_hash = ?").run(hash);
    expect((await probe(s)).statusCode).toBe(401);
  });

  test('the database holds only hashes of session ids and tokens', async () => {
    const s = await signIn(app, 'admin', ADMIN_PASSWORD, from());
    const { token } = await createToken(app, 'hash-check');
    const dump = JSON.stringify([app.deps.db.prepare('SELECT * FROM sessions').all(), app.deps.db.prepare('SELECT * FROM api_tokens').all()]);
    expect(dump).not.toContain(s.cookie.split('=')[1]);
    expect(dump).not.toContain(token);
    expect(JSON.stringify((await app.inject(`${API}/tokens`)).json())).not.toContain(token);
    const users = JSON.stringify(app.deps.db.prepare('SELECT password_hash FROM users').all());
    expect(users).toContain('$argon2id$');
    expect(users).not.toContain(ADMIN_PASSWORD);
  });

  test('disabling a user ends their sessions and tokens and refuses their sign-in; enabling revives neither', async () => {
    const id = await createUser(app, 'dora', 'dora-password-1', 'operator');
    const s = await signIn(app, 'dora', 'dora-password-1', from());
    const { token } = await createToken(app, 'dora-ci', s);
    expect((await probe(s)).statusCode).toBe(200);
    expect((await probe(bearer(token))).statusCode).toBe(200);

    const off = await app.inject({ method: 'PATCH', url: `${API}/users/${id}`, payload: { disabled: true } });
    expect(off.json()).toMatchObject({ username: 'dora', disabled: true });
    expect((await probe(s)).statusCode).toBe(401);
    expect((await probe(bearer(token))).statusCode).toBe(401);
    const again = await app.rawInject({ method: 'POST', url: `${API}/session`, payload: { username: 'dora', password: 'dora-password-1' }, remoteAddress: from() });
    expect(again.statusCode).toBe(401);
    expect(again.json().error.code).toBe('INVALID_CREDENTIALS');

    await app.inject({ method: 'PATCH', url: `${API}/users/${id}`, payload: { disabled: false } });
    expect((await probe(s)).statusCode).toBe(401); // the session was deleted, not suspended
    expect((await probe(bearer(token))).statusCode).toBe(401); // and the token revoked for good
  });

  test('an admin cannot disable or demote themselves', async () => {
    const me = (await app.inject(`${API}/session`)).json().user.id;
    for (const payload of [{ disabled: true }, { role: 'viewer' }]) {
      const res = await app.inject({ method: 'PATCH', url: `${API}/users/${me}`, payload });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
    }
  });

  test('a role change takes effect on the next request of a live session', async () => {
    const id = await createUser(app, 'rita', 'rita-password-1', 'operator');
    const s = await signIn(app, 'rita', 'rita-password-1', from());
    const { token } = await createToken(app, 'rita-ci', s);
    const hardWay = (await app.inject(`${API}/presets/hard-way`)).json();
    const create = (headers: Record<string, string>, name: string) =>
      app.rawInject({ method: 'POST', url: `${API}/clusters`, headers, payload: { ...hardWay, name } });
    expect((await create(s, 'rita-1')).statusCode).toBe(201);
    await app.inject({ method: 'PATCH', url: `${API}/users/${id}`, payload: { role: 'viewer' } });
    expect((await create(s, 'rita-2')).json().error.code).toBe('FORBIDDEN');
    expect((await create(bearer(token), 'rita-3')).json().error.code).toBe('FORBIDDEN');
  });

  test('revoking a token makes it fail at once', async () => {
    const { id, token } = await createToken(app, 'short-lived');
    expect((await probe(bearer(token))).statusCode).toBe(200);
    expect((await app.inject({ method: 'DELETE', url: `${API}/tokens/${id}` })).statusCode).toBe(204);
    expect((await probe(bearer(token))).statusCode).toBe(401);
    const twice = await app.inject({ method: 'DELETE', url: `${API}/tokens/${id}` });
    expect(twice.statusCode).toBe(404);
    const listed = (await app.inject(`${API}/tokens`)).json().items.find((t: { id: string }) => t.id === id);
    expect(listed.revokedAt).toBeTruthy();
  });

  test('everyone changes their own password; the old one stops working and the other sessions end', async () => {
    await createUser(app, 'pia', 'pia-password-01', 'viewer');
    const s = await signIn(app, 'pia', 'pia-password-01', from());
    const elsewhere = await signIn(app, 'pia', 'pia-password-01', from());
    const { token } = await createToken(app, 'pia-ci', s);
    const change = (payload: object) => app.rawInject({ method: 'PUT', url: `${API}/users/me/password`, headers: s, payload });

    const wrong = await change({ currentPassword: 'not-it-at-all', newPassword: 'pia-password-02' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('INVALID_CREDENTIALS');
    const short = await change({ currentPassword: 'pia-password-01', newPassword: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.message).toContain('12');
    const noCsrf = await app.rawInject({ method: 'PUT', url: `${API}/users/me/password`, headers: { cookie: s.cookie }, payload: { currentPassword: 'pia-password-01', newPassword: 'pia-password-02' } });
    expect(noCsrf.json().error.code).toBe('CSRF_INVALID');

    expect((await change({ currentPassword: 'pia-password-01', newPassword: 'pia-password-02' })).statusCode).toBe(204);
    expect((await probe(s)).statusCode).toBe(200); // the session that changed it goes on
    expect((await probe(elsewhere)).statusCode).toBe(401); // every other session of the user ends
    expect((await probe(bearer(token))).statusCode).toBe(401); // every API token of the user is revoked with it
    const old = await app.rawInject({ method: 'POST', url: `${API}/session`, payload: { username: 'pia', password: 'pia-password-01' }, remoteAddress: from() });
    expect(old.statusCode).toBe(401);
    const fresh = await signIn(app, 'pia', 'pia-password-02', from());
    expect((await probe(fresh)).statusCode).toBe(200);
  });
});

describe('cookie flags', () => {
  let dataDir = '';
  let tlsDir = '';
  let app: App;
  let server: https.Server | undefined;

  beforeAll(async () => {
    dataDir = tempDataDir();
    tlsDir = fs.mkdtempSync(path.join(path.dirname(dataDir), 'kpki-tls-'));
    app = await testApp(dataDir);
  });
  afterAll(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    if (tlsDir) fs.rmSync(tlsDir, { recursive: true, force: true });
  });

  test('over http the session cookie is HttpOnly, SameSite=Strict, Path=/ and not Secure', async () => {
    const res = await app.rawInject({ method: 'POST', url: `${API}/session`, payload: { username: 'admin', password: ADMIN_PASSWORD } });
    const cookie = res.cookies.find((c) => c.name === 'kpki_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie.secure).toBeFalsy();
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  test('x-forwarded-proto from a client is not trusted (no trustProxy): the cookie stays without Secure', async () => {
    const res = await app.rawInject({ method: 'POST', url: `${API}/session`, headers: { 'x-forwarded-proto': 'https' }, payload: { username: 'admin', password: ADMIN_PASSWORD } });
    expect(res.cookies.find((c) => c.name === 'kpki_session')!.secure).toBeFalsy();
  });

  test('served over https (a real TLS socket) the cookie is __Host-kpki_session, Secure, and HSTS is sent', async () => {
    const key = path.join(tlsDir, 'key.pem');
    const cert = path.join(tlsDir, 'cert.pem');
    const r = await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert,
      '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
    expect(r.code, r.stderr).toBe(0);
    await app.ready();
    server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (req, res) => app.routing(req, res));
    await new Promise<void>((res) => server!.listen(0, '127.0.0.1', () => res()));
    const port = (server.address() as AddressInfo).port;
    const body = JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD });
    let hsts = '';
    const setCookie = await new Promise<string[]>((resolve, reject) => {
      const req = https.request({ host: '127.0.0.1', port, method: 'POST', path: `${API}/session`, ca: fs.readFileSync(cert), headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        hsts = String(res.headers['strict-transport-security'] ?? '');
        res.on('end', () => (res.statusCode === 200 ? resolve(res.headers['set-cookie'] ?? []) : reject(new Error(`status ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(body);
    });
    // over https the cookie has the __Host- prefix: Secure, Path=/ and no Domain, so no other host can set or shadow it
    expect(setCookie.find((l) => l.startsWith('kpki_session='))).toBeUndefined();
    const line = setCookie.find((l) => l.startsWith('__Host-kpki_session='))!;
    expect(line).toBeTruthy();
    const attrs = line.split(';').map((a) => a.trim().toLowerCase());
    expect(attrs).toEqual(expect.arrayContaining(['secure', 'httponly', 'samesite=strict', 'path=/']));
    expect(attrs.some((a) => a.startsWith('domain='))).toBe(false);
    expect(hsts).toMatch(/^max-age=\d+/); // HSTS over https only
  });
});

describe('security headers', () => {
  let dataDir = '';
  let webDir = '';
  let app: App;

  beforeAll(async () => {
    dataDir = tempDataDir();
    webDir = fs.mkdtempSync(path.join(path.dirname(dataDir), 'kpki-web-'));
    fs.writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>kpki</title><div id="root"></div>');
    app = await testApp(dataDir, { KPKI_WEB_DIR: webDir });
  });
  afterAll(async () => {
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    if (webDir) fs.rmSync(webDir, { recursive: true, force: true });
  });

  test.each([['/'], ['/clusters/some/deep/link'], ['/api/v1/health'], ['/api/v1/clusters']])('%s carries helmet\'s headers and the CSP', async (url) => {
    const res = await app.rawInject(url);
    expect(res.statusCode).toBeLessThan(500);
    if (!url.startsWith('/api')) expect(res.headers['content-type']).toContain('text/html');
    const csp = String(res.headers['content-security-policy']);
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(' ')]));
    expect(directives).toMatchObject({
      'default-src': "'self'", 'script-src': "'self'", 'object-src': "'none'", 'frame-ancestors': "'none'",
      'base-uri': "'self'", 'form-action': "'self'", 'connect-src': "'self'",
    });
    expect(directives['script-src']).not.toContain('unsafe');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(res.headers['strict-transport-security']).toBeUndefined(); // plain http: HSTS only over https (the TLS test above)
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
