/**
 * The full route table without credentials: which routes are open, every documented route is in
 * the table, every other route answers 401 without credentials or with forged ones (and changes
 * nothing), and /metrics wants an API token. Every new route is walked here and in
 * auth-identities.test.ts. The rest of who gets in and what they may do: auth-roles.test.ts,
 * auth-csrf.test.ts, auth-sessions.test.ts, auth-audit.test.ts, auth-transport.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ADMIN_PASSWORD, authHeaders, issuedCluster, tempDataDir, testApp } from './helpers/app.ts';
import { bearer, createToken, createUser } from './helpers/auth.ts';

type App = FastifyInstance & { rawInject: FastifyInstance['inject'] };
const API = '/api/v1';

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
