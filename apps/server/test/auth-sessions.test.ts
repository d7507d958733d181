/**
 * Sessions, disabled users, tokens and passwords: signing out and expiry end a session, the
 * database holds only hashes, disabling a user or changing a password ends their sessions and
 * tokens, nobody disables or demotes themselves, role changes apply at once, revoked tokens fail.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { ADMIN_PASSWORD, authHeaders, tempDataDir, testApp } from './helpers/app.ts';
import { bearer, createToken, createUser, signIn } from './helpers/auth.ts';

type App = FastifyInstance & { rawInject: FastifyInstance['inject'] };
const API = '/api/v1';

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
