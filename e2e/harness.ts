/**
 * What every browser test stands on: the real kpki server as a child process (fresh data
 * folder, free port, the built web app) and a fleet of real sshd nodes on loopback. Both are
 * stopped by their own process ids when the test ends, pass or fail.
 */
import { test as base, expect } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFleet, type Fleet } from '../scripts/fleet.ts';

export const ADMIN_PASSWORD = 'e2e-admin-password';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface Server {
  url: string;
  dataDir: string;
  /** this server's copy of apps/web/dist */
  webDir: string;
  process: ChildProcess;
  /** fetch an API path as the admin (bearer token), JSON in and out */
  api<T = any>(method: string, url: string, body?: unknown): Promise<T>;
}

/**
 * A private copy of the built web app for one server: a rebuild of apps/web/dist while a test
 * runs (another terminal, `npm test` of someone else) would otherwise leave the page's lazy
 * chunks pointing at files that no longer exist.
 */
async function copyWebApp(): Promise<string> {
  const dist = path.join(root, 'apps/web/dist');
  const until = Date.now() + 30_000;
  for (;;) {
    if (!fs.existsSync(path.join(dist, 'index.html')) && Date.now() > until) {
      throw new Error('the web app is not built: run `pnpm --filter @kpki/web build` first');
    }
    const webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpki-e2e-web-'));
    try {
      fs.cpSync(dist, webDir, { recursive: true });
      // a build in progress empties dist first: the copy is whole when index.html and every asset it names are there
      const html = fs.readFileSync(path.join(webDir, 'index.html'), 'utf8');
      const assets = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]);
      if (assets.length > 0 && assets.every((a) => fs.existsSync(path.join(webDir, a)))) return webDir;
    } catch {
      /* dist changed under the copy: try again */
    }
    fs.rmSync(webDir, { recursive: true, force: true });
    if (Date.now() > until) throw new Error('apps/web/dist stayed incomplete for 30 s (a build in progress?)');
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function startServer(): Promise<Server> {
  const webDir = await copyWebApp();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpki-e2e-'));
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'apps/server/src/server.ts')], {
    cwd: root,
    env: { ...process.env, KPKI_HOST: '127.0.0.1', KPKI_PORT: String(port), KPKI_DATA_DIR: dataDir, KPKI_WEB_DIR: webDir, KPKI_ADMIN_PASSWORD: ADMIN_PASSWORD, KPKI_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 30_000;
  for (;;) {
    let failure: string | undefined;
    if (child.exitCode !== null) failure = `kpki exited with ${child.exitCode}`;
    else if (await fetch(`${url}/api/v1/health`).then((r) => r.ok, () => false)) break;
    else if (Date.now() > until) failure = 'kpki did not start within 30 s';
    if (failure) {
      await stopServer({ url, dataDir, webDir, process: child, api: (async () => null) as Server['api'] });
      throw new Error(failure);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  // an API token for the test's own calls (the browser signs in through the page)
  const signIn = await fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
  const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
  const { csrfToken } = await signIn.json();
  const created = await fetch(`${url}/api/v1/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken }, body: JSON.stringify({ name: 'e2e' }) });
  const { token } = await created.json();
  const api = async (method: string, p: string, body?: unknown) => {
    const res = await fetch(`${url}/api/v1${p}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  return { url, dataDir, webDir, process: child, api };
}

async function stopServer(s: Server) {
  if (s.process.exitCode === null) {
    const exited = new Promise((r) => s.process.once('exit', r));
    s.process.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (s.process.exitCode === null) s.process.kill('SIGKILL');
  }
  fs.rmSync(s.dataDir, { recursive: true, force: true });
  fs.rmSync(s.webDir, { recursive: true, force: true });
}

/** The tutorial's node names: the fleet mirrors them (the load balancer gets no sshd). */
export const FLEET_NODES = ['cp1', 'cp2', 'worker1', 'worker2'];

export const test = base.extend<{ server: Server; fleet: Fleet }>({
  server: async ({}, use) => {
    const server = await startServer();
    try {
      await use(server);
    } finally {
      await stopServer(server);
    }
  },
  fleet: async ({}, use) => {
    // authorized keys are set by the test once the cluster (and its deploy key) exists
    const fleet = await startFleet({ nodes: FLEET_NODES.map((name) => ({ name })), authorizedKeys: [] });
    try {
      await use(fleet);
    } finally {
      await fleet.stop();
    }
  },
});
export { expect };

/**
 * Signs in through the page: a fresh browser has no session, so the first API call answers 401
 * and the "Not signed in" banner offers the form. Waits until the banner is gone.
 */
export async function signIn(page: import('@playwright/test').Page, server: Server) {
  await page.goto(server.url);
  const banner = page.getByTestId('unauthenticated');
  await expect(banner).toBeVisible({ timeout: 20_000 });
  await banner.getByTestId('sign-in-username').fill('admin');
  await banner.getByTestId('sign-in-password').fill(ADMIN_PASSWORD);
  await banner.getByRole('button', { name: 'Sign in' }).click();
  await expect(banner).toBeHidden({ timeout: 20_000 });
}
