/**
 * API tokens (issue 8, item 2): a token is always its creator's, cannot manage users or tokens,
 * expires (injected clock), is revoked for good when its user's password changes or the user is
 * disabled, and is named in the audit log. Usernames compare case-insensitively (item 9).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { ADMIN_PASSWORD, tempDataDir, testApp, testClock } from './helpers/app.ts';
import { bearer, createToken, createUser, signIn, type SessionHeaders } from './helpers/auth.ts';

type App = FastifyInstance & { rawInject: FastifyInstance['inject'] };
const API = '/api/v1';
const DAY = 86_400_000;

describe('API tokens', () => {
  let dataDir = '';
  let app: App;
  const clock = testClock(Date.parse('2030-01-01T00:00:00.000Z'));
  let otto: SessionHeaders;
  let host = 10;
  const from = () => `127.0.7.${host++}`;
  const probe = (headers: Record<string, string>) => app.rawInject({ url: `${API}/clusters`, headers });
  const as = (headers: Record<string, string>, method: string, url: string, payload?: object) =>
    app.rawInject({ method: method as 'GET', url: `${API}${url}`, headers, ...(payload ? { payload } : {}) });
  const audit = async () => (await app.inject(`${API}/audit?limit=1000`)).json().items as Array<Record<string, any>>;

  beforeAll(async () => {
    dataDir = tempDataDir();
    app = await testApp(dataDir, {}, { now: clock.now });
    await createUser(app, 'otto', 'otto-password-1', 'operator');
    otto = await signIn(app, 'otto', 'otto-password-1', from());
  });
  afterAll(async () => {
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('a token is always its creator\'s: an operator makes their own, nobody mints one for another user', async () => {
    const mine = await createToken(app, 'otto-ci', otto);
    const listed = (await as(otto, 'GET', '/tokens')).json().items;
    expect(listed.map((t: { username: string }) => t.username)).toEqual(['otto']);
    expect(listed[0]).toMatchObject({ id: mine.id, name: 'otto-ci', revokedAt: null });
    const forOther = await app.inject({ method: 'POST', url: `${API}/tokens`, payload: { name: 'for-otto', username: 'otto' } });
    expect(forOther.statusCode).toBe(400);
    expect(forOther.json().error.message).toContain('username');
    const admins = await createToken(app, 'admin-ci');
    const all = (await app.inject(`${API}/tokens`)).json().items;
    expect(all.find((t: { id: string }) => t.id === admins.id).username).toBe('admin');
    // otto sees only his own; he may not revoke the admin's
    expect((await as(otto, 'GET', '/tokens')).json().items).toHaveLength(1);
    const theirs = await as(otto, 'DELETE', `/tokens/${admins.id}`);
    expect(theirs.statusCode).toBe(403);
    expect((await probe(bearer(admins.token))).statusCode).toBe(200);
  });

  test('tokens cannot manage users or tokens, not even an admin\'s', async () => {
    const { token } = await createToken(app, 'admin-script');
    const h = bearer(token);
    const tries: Array<[string, string, object | undefined]> = [
      ['POST', '/users', { username: 'mallory', password: 'mallory-password', role: 'admin' }],
      ['PATCH', '/users/2', { role: 'admin' }],
      ['POST', '/tokens', { name: 'another' }],
      ['DELETE', `/tokens/${(await createToken(app, 'victim')).id}`, undefined],
      ['PUT', '/users/me/password', { currentPassword: ADMIN_PASSWORD, newPassword: 'a-new-password-1' }],
    ];
    for (const [method, url, payload] of tries) {
      const res = await as(h, method, url, payload);
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
      expect(res.json().error.message).toContain('browser session');
    }
    expect((await app.inject(`${API}/users`)).json().items.map((u: { username: string }) => u.username)).toEqual(['admin', 'otto']);
    expect((await app.inject(`${API}/users`)).json().items[1].role).toBe('operator');
  });

  test('the audit names the token (id and name) as well as its user', async () => {
    const { id, token } = await createToken(app, 'audit-me', otto);
    await as(bearer(token), 'POST', '/clusters', { name: 'x' });
    const line = (await audit()).find((e) => e.action === 'POST /api/v1/clusters' && e.token?.id === id);
    expect(line).toMatchObject({ actor: 'otto', token: { id, name: 'audit-me' }, result: 'failed (400)' });
    const bySession = (await audit()).find((e) => e.action === 'POST /api/v1/tokens' && e.actor === 'otto');
    expect(bySession!.token).toBeNull();
  });

  test('a token lives 90 days by default, or the lifetime chosen, shown in the list; then it stops working', async () => {
    const standard = await createToken(app, 'ninety', otto);
    const short = await createToken(app, 'two-days', otto, 2);
    expect(standard.expiresAt).toBe(new Date(clock.now().getTime() + 90 * DAY).toISOString());
    expect(short.expiresAt).toBe(new Date(clock.now().getTime() + 2 * DAY).toISOString());
    const listed = (await as(otto, 'GET', '/tokens')).json().items.find((t: { id: string }) => t.id === short.id);
    expect(listed.expiresAt).toBe(short.expiresAt);
    expect((await as(otto, 'POST', '/tokens', { name: 'forever', lifetimeDays: 10_000 })).statusCode).toBe(400);

    clock.advance(2 * DAY + 1000);
    expect((await probe(bearer(short.token))).statusCode).toBe(401);
    expect((await probe(bearer(standard.token))).statusCode).toBe(200);
    clock.advance(88 * DAY);
    expect((await probe(bearer(standard.token))).statusCode).toBe(401);
  });

  test('changing the password revokes every token of the user; disabling does too, and re-enabling revives none', async () => {
    otto = await signIn(app, 'otto', 'otto-password-1', from()); // the sessions above expired with the clock
    const admin = await signIn(app, 'admin', ADMIN_PASSWORD, from());
    const a = await createToken(app, 'before-change', otto);
    const changed = await as(otto, 'PUT', '/users/me/password', { currentPassword: 'otto-password-1', newPassword: 'otto-password-2' });
    expect(changed.statusCode, changed.body).toBe(204);
    expect((await probe(bearer(a.token))).statusCode).toBe(401);
    const revoked = (await as(otto, 'GET', '/tokens')).json().items.find((t: { id: string }) => t.id === a.id);
    expect(revoked).toMatchObject({ revokedReason: 'the password changed' });
    expect(revoked.revokedAt).toBeTruthy();

    const b = await createToken(app, 'before-disable', otto);
    expect((await probe(bearer(b.token))).statusCode).toBe(200);
    expect((await as(admin, 'PATCH', '/users/2', { disabled: true })).statusCode).toBe(200);
    expect((await probe(bearer(b.token))).statusCode).toBe(401);
    expect((await as(admin, 'PATCH', '/users/2', { disabled: false })).statusCode).toBe(200);
    expect((await probe(bearer(b.token))).statusCode).toBe(401);
    expect((await as(admin, 'GET', '/tokens')).json().items.find((t: { id: string }) => t.id === b.id).revokedReason).toBe('the user was disabled');
  });
});

describe('usernames compare case-insensitively', () => {
  let dataDir = '';
  let app: App;
  beforeAll(async () => {
    dataDir = tempDataDir();
    app = await testApp(dataDir);
  });
  afterAll(async () => {
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('"Admin" beside "admin" is refused; sign-in finds the user in any case', async () => {
    const before = (await app.inject(`${API}/users`)).json().items;
    const res = await app.inject({ method: 'POST', url: `${API}/users`, payload: { username: 'ADMIN', password: 'another-password-1', role: 'viewer' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('USER_EXISTS');
    expect(res.json().error.message).toContain('case');
    expect((await app.inject(`${API}/users`)).json().items).toEqual(before);
    await createUser(app, 'Vera', 'vera-password-1', 'viewer');
    expect((await app.inject({ method: 'POST', url: `${API}/users`, payload: { username: 'vera', password: 'vera-password-2', role: 'viewer' } })).statusCode).toBe(409);
    const s = await app.rawInject({ method: 'POST', url: `${API}/session`, payload: { username: 'VERA', password: 'vera-password-1' } });
    expect(s.statusCode).toBe(200);
    expect(s.json().user.username).toBe('Vera');
  });
});
