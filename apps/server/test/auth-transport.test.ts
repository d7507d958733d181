/** Cookie flags over http and over a real TLS socket (__Host- prefix, Secure, HSTS), and the security headers of every answer. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { ADMIN_PASSWORD, tempDataDir, testApp } from './helpers/app.ts';
import { run } from './helpers/tools.ts';

type App = FastifyInstance & { rawInject: FastifyInstance['inject'] };
const API = '/api/v1';

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
    fs.mkdirSync(path.join(webDir, 'assets'));
    fs.writeFileSync(path.join(webDir, 'assets/index-BtClZrgH.js'), 'export {};');
    fs.writeFileSync(path.join(webDir, 'assets/index-GgTN_p-J.css'), 'body{}');
    fs.writeFileSync(path.join(webDir, 'assets/notes.txt'), 'not named by a hash');
    fs.writeFileSync(path.join(webDir, 'favicon.ico'), 'icon');
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

  // the build's hashed files are kept by the browser without asking again; index.html (naming the
  // current hashes) and anything not named by its content is asked again, so a new build is picked up
  test.each([
    ['/assets/index-BtClZrgH.js', 'public, max-age=31536000, immutable'],
    ['/assets/index-GgTN_p-J.css', 'public, max-age=31536000, immutable'],
    ['/assets/notes.txt', 'no-cache'],
    ['/favicon.ico', 'no-cache'],
    ['/index.html', 'no-cache'],
    ['/', 'no-cache'],
    ['/clusters/some/deep/link', 'no-cache'],
  ])('%s is served with cache-control %s', async (url, cacheControl) => {
    const res = await app.rawInject(url);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe(cacheControl);
  });

  test('an asset that is not there is a 404, not index.html kept for a year', async () => {
    const res = await app.rawInject('/assets/index-Missing1.js');
    expect(res.headers['cache-control'] ?? '').not.toContain('immutable');
  });
});
