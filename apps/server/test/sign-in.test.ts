/**
 * Sign-in against guessing (issue 8, item 5): the per-username backoff slows a guesser with many
 * addresses while the real user still signs in (known-device cookie; a new browser waits at most
 * the backoff); KPKI_TRUST_PROXY decides whether X-Forwarded-For/-Proto are believed (client
 * address for the limits and the audit, https for the __Host- cookies and HSTS). Injected clock.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { ADMIN_PASSWORD, tempDataDir, testApp, testClock } from './helpers/app.ts';
import { createUser } from './helpers/auth.ts';
import { loadConfig } from '../src/config.ts';

type App = FastifyInstance & { rawInject: FastifyInstance['inject'] };
const API = '/api/v1';

/** One sign-in attempt from `remoteAddress`, with extra headers (a cookie, proxy headers). */
const attempt = (app: App, username: string, password: string, remoteAddress: string, headers: Record<string, string> = {}) =>
  app.rawInject({ method: 'POST', url: `${API}/session`, payload: { username, password }, remoteAddress, headers });
const cookieOf = (res: { cookies: Array<{ name: string; value: string; secure?: boolean }> }, name: string) => res.cookies.find((c) => c.name === name);
const signInLines = async (app: App) => ((await app.inject(`${API}/audit?limit=1000`)).json().items as Array<{ action: string; actor: string; address: string; result: string }>)
  .filter((e) => e.action === 'sign-in');

describe('per-username backoff', () => {
  let dataDir = '';
  let app: App;
  let device = '';
  const clock = testClock(Date.parse('2030-03-01T08:00:00.000Z'));

  beforeAll(async () => {
    dataDir = tempDataDir();
    app = await testApp(dataDir, {}, { now: clock.now });
    await createUser(app, 'vera', 'vera-password-1', 'viewer');
  });
  afterAll(async () => {
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('a guesser from many loopback addresses is slowed: after 5 failures no password is checked until the wait is over, and the wait doubles', async () => {
    // the real admin signed in yesterday from 127.0.6.1: that browser holds the known-device cookie
    const real = await attempt(app, 'admin', ADMIN_PASSWORD, '127.0.6.1');
    expect(real.statusCode).toBe(200);
    device = cookieOf(real, 'kpki_device')!.value;
    expect(device).toMatch(/^\d+\.\d+\.[A-Za-z0-9_-]{43}$/);

    const statuses: Record<number, number> = {};
    for (let i = 0; i < 60; i++) { // one attempt per address: the per-address limit (10 a minute) never applies
      const res = await attempt(app, i % 2 ? 'admin' : 'ADMIN', `guess-${i}`, `127.0.5.${i + 1}`);
      statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
    }
    expect(statuses).toEqual({ 401: 5, 429: 55 });
    const held = await attempt(app, 'admin', 'guess-held', '127.0.5.200');
    expect(held.json().error).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterSeconds: 1 } });
    expect(held.json().error.message).toContain('"admin"');
    expect(held.headers['retry-after']).toBe('1');
    // even the right password is not checked inside the wait (from an unknown browser)
    expect((await attempt(app, 'admin', ADMIN_PASSWORD, '127.0.5.201')).statusCode).toBe(429);

    clock.advance(1000);
    expect((await attempt(app, 'admin', 'guess-61', '127.0.5.202')).statusCode).toBe(401);
    expect((await attempt(app, 'admin', 'guess-62', '127.0.5.203')).headers['retry-after']).toBe('2');
    clock.advance(2000);
    expect((await attempt(app, 'admin', 'guess-63', '127.0.5.204')).statusCode).toBe(401);
    expect((await attempt(app, 'admin', 'guess-64', '127.0.5.205')).headers['retry-after']).toBe('4');
    // only the checked attempts have a line of their own; the refused ones are counted per address and minute
    expect((await signInLines(app)).filter((e) => e.result === 'failed (401)')).toHaveLength(7);
  });

  test('the real user still signs in from another address with the browser that signed in before, during the backoff', async () => {
    const res = await attempt(app, 'admin', ADMIN_PASSWORD, '127.0.6.2', { cookie: `kpki_device=${device}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(cookieOf(res, 'kpki_session')).toBeTruthy();
    // a browser that never signed in is slowed like the guesser, not locked out: after the wait the right password gets in
    const fresh = await attempt(app, 'admin', ADMIN_PASSWORD, '127.0.6.3');
    expect(fresh.statusCode).toBe(429);
    clock.advance(Number(fresh.headers['retry-after']) * 1000);
    expect((await attempt(app, 'admin', ADMIN_PASSWORD, '127.0.6.3')).statusCode).toBe(200);
  });

  test('other names are not held; successful sign-ins do not count; a device cookie counts for its user only, and forged ones for nobody', async () => {
    for (let i = 0; i < 20; i++) expect((await attempt(app, 'vera', 'vera-password-1', `127.0.7.${i + 1}`)).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) expect((await attempt(app, 'Vera', `wrong-${i}`, `127.0.7.${i + 50}`)).statusCode).toBe(401);
    // admin's known device is not vera's
    expect((await attempt(app, 'vera', 'vera-password-1', '127.0.7.60', { cookie: `kpki_device=${device}` })).statusCode).toBe(429);
    expect((await attempt(app, 'admin', 'one-more-guess', '127.0.7.62')).statusCode).toBe(401); // admin waits again
    const [id, at] = device.split('.');
    for (const forged of [`${id}.${at}.${'A'.repeat(43)}`, `2.${at}.${device.split('.')[2]}`, 'garbage']) {
      expect((await attempt(app, 'admin', ADMIN_PASSWORD, '127.0.7.61', { cookie: `kpki_device=${forged}` })).statusCode, forged).toBe(429);
    }
  });

  test('a password change ends the known devices of the old password, except the browser that changed it', async () => {
    clock.advance(3600_001); // failures are forgotten an hour after the last one
    const signedIn = await attempt(app, 'vera', 'vera-password-1', '127.0.8.1');
    const oldDevice = cookieOf(signedIn, 'kpki_device')!.value;
    const headers = { cookie: `kpki_session=${cookieOf(signedIn, 'kpki_session')!.value}; kpki_device=${oldDevice}`, 'x-csrf-token': signedIn.json().csrfToken };
    const changed = await app.rawInject({ method: 'PUT', url: `${API}/users/me/password`, headers, payload: { currentPassword: 'vera-password-1', newPassword: 'vera-password-2' } });
    expect(changed.statusCode, changed.body).toBe(204);
    const newDevice = cookieOf(changed, 'kpki_device')!.value;
    for (let i = 0; i < 6; i++) await attempt(app, 'vera', `wrong-${i}`, `127.0.8.${i + 10}`);
    expect((await attempt(app, 'vera', 'vera-password-2', '127.0.8.20', { cookie: `kpki_device=${oldDevice}` })).statusCode).toBe(429);
    expect((await attempt(app, 'vera', 'vera-password-2', '127.0.8.21', { cookie: `kpki_device=${newDevice}` })).statusCode).toBe(200);
  });
});

describe('KPKI_TRUST_PROXY', () => {
  const apps: Array<{ app: App; dataDir: string }> = [];
  const start = async (env: Record<string, string> = {}) => {
    const dataDir = tempDataDir();
    const app = await testApp(dataDir, env);
    apps.push({ app, dataDir });
    return app;
  };
  afterAll(async () => {
    for (const { app, dataDir } of apps) {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('unset: X-Forwarded-For and X-Forwarded-Proto of any sender are ignored', async () => {
    const app = await start();
    for (let i = 1; i <= 10; i++) {
      const res = await attempt(app, `nobody-${i}`, 'wrong-password', '127.0.0.7', { 'x-forwarded-for': `127.0.9.${i}` });
      expect(res.statusCode).toBe(401);
    }
    expect((await attempt(app, 'nobody-11', 'wrong-password', '127.0.0.7', { 'x-forwarded-for': '127.0.9.11' })).statusCode).toBe(429);
    expect(new Set((await signInLines(app)).filter((e) => e.actor.startsWith('nobody')).map((e) => e.address))).toEqual(new Set(['127.0.0.7']));
    const res = await attempt(app, 'admin', ADMIN_PASSWORD, '127.0.0.8', { 'x-forwarded-proto': 'https' });
    expect(res.statusCode).toBe(200);
    expect(res.cookies.map((c) => c.name).sort()).toEqual(['kpki_device', 'kpki_session']);
    expect(cookieOf(res, 'kpki_session')!.secure).toBeFalsy();
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  test('set: the named proxy\'s headers give the client address (limits, audit) and https (__Host- cookies, Secure, HSTS); nobody else\'s', async () => {
    const app = await start({ KPKI_TRUST_PROXY: '127.0.0.7, ::1' });
    for (let i = 1; i <= 11; i++) {
      expect((await attempt(app, `nobody-${i}`, 'wrong-password', '127.0.0.7', { 'x-forwarded-for': `127.0.9.${i}` })).statusCode, `client ${i}`).toBe(401);
    }
    for (let i = 12; i <= 20; i++) await attempt(app, `nobody-${i}`, 'wrong-password', '127.0.0.7', { 'x-forwarded-for': '127.0.9.1' });
    expect((await attempt(app, 'nobody-21', 'wrong-password', '127.0.0.7', { 'x-forwarded-for': '127.0.9.1' })).statusCode).toBe(429); // that client's 11th
    expect((await attempt(app, 'nobody-22', 'wrong-password', '127.0.0.66', { 'x-forwarded-for': '127.0.9.99' })).statusCode).toBe(401);
    const addresses = new Set((await signInLines(app)).filter((e) => e.actor.startsWith('nobody')).map((e) => e.address));
    expect(addresses).toEqual(new Set([...Array.from({ length: 11 }, (_, i) => `127.0.9.${i + 1}`), '127.0.0.66'])); // not the proxy's, and not a header from a non-proxy

    const https = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '127.0.9.50' };
    const res = await attempt(app, 'admin', ADMIN_PASSWORD, '127.0.0.7', https);
    expect(res.statusCode).toBe(200);
    const lines = ([] as string[]).concat(res.headers['set-cookie'] as string | string[]);
    for (const name of ['__Host-kpki_session', '__Host-kpki_device']) {
      const attrs = lines.find((l) => l.startsWith(`${name}=`))!.split(';').map((a) => a.trim().toLowerCase());
      expect(attrs, name).toEqual(expect.arrayContaining(['secure', 'httponly', 'samesite=strict', 'path=/']));
      expect(attrs.some((a) => a.startsWith('domain='))).toBe(false);
    }
    expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
    const session = cookieOf(res, '__Host-kpki_session')!.value;
    const probe = (cookie: string, from: string) => app.rawInject({ url: `${API}/session`, remoteAddress: from, headers: { ...https, cookie } });
    expect((await probe(`__Host-kpki_session=${session}`, '127.0.0.7')).statusCode).toBe(200);
    expect((await probe(`kpki_session=${session}`, '127.0.0.7')).statusCode).toBe(401); // over https only the __Host- name is read
    // X-Forwarded-Proto from a sender that is not the proxy: plain http, no Secure, no HSTS
    const direct = await attempt(app, 'admin', ADMIN_PASSWORD, '127.0.0.66', { 'x-forwarded-proto': 'https' });
    expect(cookieOf(direct, 'kpki_session')!.secure).toBeFalsy();
    expect(direct.headers['strict-transport-security']).toBeUndefined();
  });

  test('a value that names no proxy stops start-up with a message naming it', () => {
    const base = { KPKI_DATA_DIR: tempDataDir(), KPKI_MASTER_KEY: 'a'.repeat(64) };
    for (const bad of ['yes', 'true', '10.0.0.0/33', '127.0.0.1/8/1', 'proxy.example']) {
      expect(() => loadConfig({ ...base, KPKI_TRUST_PROXY: bad }), bad).toThrow(/KPKI_TRUST_PROXY/);
    }
    expect(loadConfig({ ...base, KPKI_TRUST_PROXY: 'loopback, 10.0.0.0/8, ::1' }).trustProxy).toEqual(['loopback', '10.0.0.0/8', '::1']);
    expect(loadConfig(base).trustProxy).toBe(false);
    fs.rmSync(base.KPKI_DATA_DIR, { recursive: true, force: true });
  });
});
