/**
 * Test support: the one module the server tests, the e2e harness and the benchmarks use for free
 * loopback ports, the built kpki server as a child process, waiting for a job to end, and the
 * fleet of real sshd nodes. Everything binds or dials loopback only; every process started here
 * is stopped by its own pid.
 */
import { spawnSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isJobFinished, type Job } from '../../../packages/shared/src/api/jobs.ts';
import { descendants, freePort } from '../../../scripts/fleet-support.ts';
import type { Fleet, FleetNode } from '../../../scripts/fleet.ts';

export { freePort, freePorts } from '../../../scripts/fleet-support.ts';
export { SSH_KEYGEN, startFleet, type Fleet, type FleetNode } from '../../../scripts/fleet.ts';
export { startKeyedFleet, type KeyedFleet } from './helpers/ssh-fleet.ts';

/** Pids of the per-connection sshd processes of a fleet node: [] once no client is connected. */
export const sshSessionsOf = (node: FleetNode): number[] => (node.pid ? descendants(node.pid) : []);

/**
 * Every connection each node's sshd accepted so far (node name -> count, from sshd's own log),
 * read after sshd had time to log: compare two readings to prove no SSH connection was made.
 */
export async function fleetConnections(fleet: Fleet): Promise<Record<string, number>> {
  await new Promise((r) => setTimeout(r, 300));
  return Object.fromEntries(fleet.nodes.map((n) => [n.name, n.connections]));
}

/** The repository's root folder. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** The compiled server, as `npm start` and the container run it (apps/server/build.mjs). */
export const SERVER_ENTRY = path.join(ROOT, 'apps/server/dist/server.js');
/** The first admin's password of every server started here (KPKI_ADMIN_PASSWORD). */
export const SERVER_PASSWORD = 'child-admin-password';

/**
 * Polls `getJob(id)` every `intervalMs` (default 50) until the job has ended (succeeded, failed
 * or interrupted) and returns it; throws after `timeoutMs` (default 180 000).
 */
export async function waitJob(getJob: (id: string) => Promise<Job>, id: string, opts: { timeoutMs?: number; intervalMs?: number } = {}): Promise<Job> {
  const until = Date.now() + (opts.timeoutMs ?? 180_000);
  for (;;) {
    const job = await getJob(id);
    if (isJobFinished(job.status)) return job;
    if (Date.now() > until) throw new Error(`job ${id} still ${job.status} after ${opts.timeoutMs ?? 180_000} ms`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 50));
  }
}

/** Compiles the server when a source is newer than apps/server/dist (a no-op after `npm test` built it). */
export function buildServerIfStale(): void {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'apps/server/build.mjs'), '--if-stale'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building the server failed:\n${r.stderr}${r.stdout}`);
}

export interface ServerProcess {
  pid: number;
  /** http://127.0.0.1:<port> */
  base: string;
  /** stdout and stderr so far (empty with stdio 'inherit') */
  output(): string;
  /** SIGTERM (graceful: jobs finish, the database is closed), SIGKILL after `graceMs` (default 10 000); waits for the exit */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL, then wait for the exit */
  kill(): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface StartServerOptions {
  /** added to the environment (KPKI_WEB_DIR, KPKI_MASTER_KEY, ...) */
  env?: Record<string, string>;
  /** 'pipe' (default) captures the output for output(); 'inherit' shows it */
  stdio?: 'pipe' | 'inherit';
  /** until GET /api/v1/health answers; default 60 000 ms */
  timeoutMs?: number;
}

/** Every server process started here, killed when the test process exits (safety net). */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

/**
 * Starts the compiled server (`node apps/server/dist/server.js`, the container's command) on
 * `dataDir`, 127.0.0.1 and a free port, with SERVER_PASSWORD for the first admin, and waits
 * until GET /api/v1/health answers. Retries on another port when the free one was taken meanwhile.
 */
export async function startServer(dataDir: string, opts: StartServerOptions = {}): Promise<ServerProcess> {
  buildServerIfStale();
  const timeoutMs = opts.timeoutMs ?? 60_000;
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const child = spawn(process.execPath, [SERVER_ENTRY], {
      cwd: ROOT,
      env: {
        ...process.env,
        KPKI_HOST: '127.0.0.1', KPKI_PORT: String(port), KPKI_DATA_DIR: dataDir, KPKI_ADMIN_PASSWORD: SERVER_PASSWORD, KPKI_LOG_LEVEL: 'warn',
        // the test fleet is on loopback: servers started here may connect there only (KPKI_SSH_ALLOWED_NETWORKS)
        KPKI_SSH_ALLOWED_NETWORKS: '127.0.0.0/8',
        ...opts.env,
      },
      stdio: ['ignore', opts.stdio ?? 'pipe', opts.stdio ?? 'pipe'],
    });
    live.add(child);
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
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
      up = await fetch(`${base}/api/v1/health`).then((r) => r.ok, () => false);
      if (up) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const kill = async () => {
      if (!gone) child.kill('SIGKILL');
      await exited;
    };
    const stop = async (graceMs = 10_000) => {
      if (!gone) child.kill('SIGTERM');
      const timer = setTimeout(() => !gone && child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    };
    if (up) return { pid: child.pid!, base, output: () => out, stop, kill, exited };
    await kill();
    if (attempt < 2 && /EADDRINUSE|cannot listen/.test(out)) continue; // the free port was taken meanwhile
    throw new Error(`kpki did not start within ${timeoutMs} ms:\n${out.slice(-3000)}`);
  }
}
