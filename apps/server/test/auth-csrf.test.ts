/** CSRF protection of cookie sessions: every unsafe method needs the session's x-csrf-token; safe methods and API tokens do not. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { ADMIN_PASSWORD, tempDataDir, testApp } from './helpers/app.ts';
import { bearer, createToken, signIn, type SessionHeaders } from './helpers/auth.ts';

type App = FastifyInstance & { rawInject: FastifyInstance['inject'] };
const API = '/api/v1';

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
    // a cluster to read: safe methods are tried on it
    expect((await app.inject({ method: 'POST', url: `${API}/clusters`, payload: { ...preset, name: 'existing' } })).statusCode).toBe(201);
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
      const res = await create('csrf-refused', headers);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('CSRF_INVALID');
      expect(res.json().error.message).toContain('x-csrf-token');
    }
    expect((await app.inject(`${API}/clusters/csrf-refused`)).statusCode).toBe(404);
    const del = await app.rawInject({ method: 'DELETE', url: `${API}/session`, headers: { cookie: session.cookie } });
    expect(del.json().error.code).toBe('CSRF_INVALID');
    expect((await app.rawInject({ url: `${API}/clusters`, headers: { cookie: session.cookie } })).statusCode).toBe(200);
  });

  test('with the token the same request succeeds', async () => {
    const res = await create('csrf-accepted', session);
    expect(res.statusCode, res.body).toBe(201);
  });

  test('safe methods need no CSRF token', async () => {
    expect((await app.rawInject({ url: `${API}/clusters/existing`, headers: { cookie: session.cookie } })).statusCode).toBe(200);
    expect((await app.rawInject({ method: 'HEAD', url: `${API}/clusters/existing/plan`, headers: { cookie: session.cookie } })).statusCode).toBe(200);
  });

  test('bearer tokens need no CSRF token', async () => {
    const { token } = await createToken(app, 'ci');
    const res = await create('by-token', bearer(token));
    expect(res.statusCode, res.body).toBe(201);
    const put = await app.rawInject({ method: 'PUT', url: `${API}/clusters/by-token`, headers: bearer(token), payload: { ...preset, name: 'by-token' } });
    expect(put.statusCode).toBe(200);
  });
});
