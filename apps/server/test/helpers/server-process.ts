/**
 * The real kpki server as a child process (`node --import tsx apps/server/src/server.ts`) on
 * 127.0.0.1 and a free port, with its output captured, and a small fetch client for it.
 * Stop it by its own pid (stop() or kill()); never by name.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const SERVER_PASSWORD = 'child-admin-password';

export interface ServerProcess {
  pid: number;
  base: string;
  /** stdout and stderr so far */
  output(): string;
  /** SIGTERM (graceful: jobs finish, the database is closed), then wait for the exit */
  stop(): Promise<void>;
  /** SIGKILL, then wait for the exit */
  kill(): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A free TCP port on 127.0.0.1 (bind port 0, read it, release it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Every server process started here, killed when the test process exits (safety net). */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

/** Starts the server on `dataDir` and waits until GET /api/v1/health answers. */
export async function startServer(dataDir: string, env: Record<string, string> = {}, timeoutMs = 30_000): Promise<ServerProcess> {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'apps/server/src/server.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        KPKI_HOST: '127.0.0.1', KPKI_PORT: String(port), KPKI_DATA_DIR: dataDir, KPKI_ADMIN_PASSWORD: SERVER_PASSWORD, KPKI_LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(child);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => {
        live.delete(child);
        resolve({ code, signal });
      }),
    );
    let gone = false;
    void exited.then(() => (gone = true));
    const base = `http://127.0.0.1:${port}`;
    const until = Date.now() + timeoutMs;
    let up = false;
    while (!gone && Date.now() < until) {
      try {
        if ((await fetch(`${base}/api/v1/health`)).ok) {
          up = true;
          break;
        }
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const wait = async (signal: NodeJS.Signals) => {
      if (!gone) child.kill(signal);
      await exited;
    };
    if (up) {
      return { pid: child.pid!, base, output: () => out, stop: () => wait('SIGTERM'), kill: () => wait('SIGKILL'), exited };
    }
    await wait('SIGKILL');
    if (attempt < 2 && /EADDRINUSE|cannot listen/.test(out)) continue; // the free port was taken meanwhile
    throw new Error(`kpki did not start within ${timeoutMs} ms:\n${out.slice(-3000)}`);
  }
}

/** A signed-in admin over HTTP: JSON requests with the session cookie and CSRF token. */
export interface Client {
  headers: Record<string, string>;
  req(method: string, url: string, body?: unknown): Promise<{ status: number; json: any; text: string }>;
  get(url: string): Promise<any>;
}

export async function signInHttp(base: string, username = 'admin', password = SERVER_PASSWORD): Promise<Client> {
  const res = await fetch(`${base}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('kpki_session='))!.split(';')[0];
  const headers = { cookie, 'x-csrf-token': (await res.json()).csrfToken as string };
  const req = async (method: string, url: string, body?: unknown) => {
    const r = await fetch(`${base}/api/v1${url}`, {
      method,
      headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await r.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: r.status, json, text };
  };
  return {
    headers,
    req,
    async get(url: string) {
      const r = await req('GET', url);
      if (r.status !== 200) throw new Error(`GET ${url}: ${r.status} ${r.text.slice(0, 300)}`);
      return r.json;
    },
  };
}

/** Polls a job until it ends. */
export async function waitJobHttp(client: Client, jobId: string, timeoutMs = 180_000): Promise<any> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = await client.get(`/jobs/${jobId}`);
    if (['succeeded', 'failed', 'interrupted'].includes(job.status)) return job;
    if (Date.now() > until) throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
