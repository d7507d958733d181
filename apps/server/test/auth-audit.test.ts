/**
 * The sign-in rate limit (10 a minute per address) and the audit log of who did what: failed and
 * successful sign-ins with their address, key downloads, issuance, distribution and topology
 * changes, refused writes. Each test has an app of its own. (The audit log under floods and over
 * time, and its append-only table: audit.test.ts.)
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { ADMIN_PASSWORD, issuedCluster, reauth, tempDataDir, testApp, waitJob } from './helpers/app.ts';
import { createUser, signIn } from './helpers/auth.ts';

type App = FastifyInstance & { rawInject: FastifyInstance['inject'] };
const API = '/api/v1';

describe('sign-in rate limit and the audit log', () => {
  let dataDir = '';
  let app: App;
  const audit = async () => (await app.inject(`${API}/audit?limit=1000`)).json().items as Array<Record<string, unknown>>;
  const attempt = (password: string, remoteAddress: string, username = 'admin') =>
    app.rawInject({ method: 'POST', url: `${API}/session`, payload: { username, password }, remoteAddress });

  /**
   * Ten failed sign-ins from 127.0.0.9 (at most 4 per name: the 5th would start the per-username
   * backoff of sign-in.test.ts; one for a name nobody has), then an 11th with the right password
   * from there, and one from 127.0.0.10.
   */
  async function tenFailuresThenTwoMore() {
    const failures = [];
    for (let i = 1; i <= 10; i++) {
      failures.push(await attempt(i === 5 ? 'x'.repeat(20) : `wrong-${i}`, '127.0.0.9', i === 7 ? 'nobody' : i <= 4 ? 'admin' : `guess-${i}`));
    }
    return { failures, eleventh: await attempt(ADMIN_PASSWORD, '127.0.0.9'), elsewhere: await attempt(ADMIN_PASSWORD, '127.0.0.10') };
  }

  beforeEach(async () => {
    dataDir = tempDataDir();
    app = await testApp(dataDir);
  });
  afterEach(async () => {
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('the 11th sign-in attempt from one address within a minute is refused with 429 RATE_LIMITED', async () => {
    const { failures, eleventh, elsewhere } = await tenFailuresThenTwoMore();
    failures.forEach((res, i) => {
      expect(res.statusCode, `attempt ${i + 1}`).toBe(401);
      expect(res.json().error.code).toBe('INVALID_CREDENTIALS');
    });
    expect(eleventh.statusCode).toBe(429);
    expect(eleventh.json().error).toMatchObject({ code: 'RATE_LIMITED' });
    expect(eleventh.json().error.message).toContain('wait');
    expect(eleventh.cookies.find((c) => c.name === 'kpki_session')).toBeUndefined();
    // another address is not held back by it
    expect(elsewhere.statusCode).toBe(200);
  });

  test('failed and successful sign-ins are in the audit log with the address and the result', async () => {
    await tenFailuresThenTwoMore();
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
    const cluster = await issuedCluster(app); // POST /clusters, POST ca, POST issuances
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
    const preset = (await app.inject(`${API}/presets/hard-way`)).json();
    const cluster = 'refused';
    expect((await app.inject({ method: 'POST', url: `${API}/clusters`, payload: { ...preset, name: cluster } })).statusCode).toBe(201);
    await createUser(app, 'vic', 'vic-password-12', 'viewer');
    const vic = await signIn(app, 'vic', 'vic-password-12');
    const res = await app.rawInject({ method: 'DELETE', url: `${API}/clusters/${cluster}`, headers: vic });
    expect(res.statusCode).toBe(403);
    expect((await audit()).find((e) => e.action === 'DELETE /api/v1/clusters/:cluster' && e.actor === 'vic')).toMatchObject({ result: 'failed (403)', object: `cluster=${cluster}` });
  });
});
