/**
 * What every browser test stands on: the real kpki server as a child process (fresh data
 * folder, free port, the built web app) and a fleet of real sshd nodes on loopback. Both are
 * stopped by their own process ids when the test ends, pass or fail.
 */
import { test as base } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startFleet, type Fleet } from '../scripts/fleet.ts';

export const ADMIN_PASSWORD = 'e2e-admin-password';
const root = path.resolve(__dirname, '..');

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
  process: ChildProcess;
  /** fetch an API path as the admin (bearer token), JSON in and out */
  api<T = any>(method: string, url: string, body?: unknown): Promise<T>;
}

async function startServer(): Promise<Server> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpki-e2e-'));
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'apps/server/src/server.ts')], {
    cwd: root,
    env: { ...process.env, KPKI_HOST: '127.0.0.1', KPKI_PORT: String(port), KPKI_DATA_DIR: dataDir, KPKI_ADMIN_PASSWORD: ADMIN_PASSWORD, KPKI_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`kpki exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/api/v1/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > until) throw new Error('kpki did not start within 30 s');
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
  return { url, dataDir, process: child, api };
}

async function stopServer(s: Server) {
  if (s.process.exitCode === null) {
    const exited = new Promise((r) => s.process.once('exit', r));
    s.process.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (s.process.exitCode === null) s.process.kill('SIGKILL');
  }
  fs.rmSync(s.dataDir, { recursive: true, force: true });
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
export { expect } from '@playwright/test';

/** Signs in through the page. */
export async function signIn(page: import('@playwright/test').Page, server: Server) {
  await page.goto(server.url);
  const user = page.getByLabel(/username/i);
  if (await user.isVisible().catch(() => false)) {
    await user.fill('admin');
    await page.getByLabel(/password/i).fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: /sign in/i }).click();
  }
}
