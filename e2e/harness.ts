/**
 * What every browser test stands on: the real, compiled kpki server as a child process (fresh
 * data folder, free port, the built web app) and a fleet of real sshd nodes on loopback, both
 * from the test support module (apps/server/test/support.ts). Both are stopped by their own
 * process ids when the test ends, pass or fail.
 */
import { test as base, expect } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT as root, SERVER_PASSWORD, startFleet, startServer as startServerProcess, type Fleet, type ServerProcess } from '../apps/server/test/support.ts';

export const ADMIN_PASSWORD = SERVER_PASSWORD;

export interface Server {
  url: string;
  dataDir: string;
  /** this server's copy of apps/web/dist */
  webDir: string;
  process: ServerProcess;
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
  let proc: ServerProcess;
  try {
    proc = await startServerProcess(dataDir, { env: { KPKI_WEB_DIR: webDir }, stdio: 'inherit' });
  } catch (err) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(webDir, { recursive: true, force: true });
    throw err;
  }
  const url = proc.base;
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
  return { url, dataDir, webDir, process: proc, api };
}

async function stopServer(s: Server) {
  await s.process.stop(5000);
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
