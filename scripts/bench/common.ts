/**
 * Shared helpers of `npm run bench`: timing, small aligned tables with PASS/MISS verdicts,
 * a pool of child processes spread over the cores, and job waiting. Loopback only.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Job } from '../../packages/shared/src/index.ts';
import { authHeaders, tempDataDir, testApp, waitJob as waitJobEvery } from '../../apps/server/test/helpers/app.ts';
export { eventLoopStats } from './lag.ts';
export { removeDir, tmpDir } from '../../apps/server/test/helpers/tools.ts';

/** A kpki app built by the test helper (admin signed in). */
export type App = Awaited<ReturnType<typeof testApp>>;

/** The test helper's waitJob, polling every `intervalMs` (default 10 ms, for timing) for up to 10 minutes. */
export const waitJob = (app: App, jobId: string, intervalMs = 10): Promise<Job> => waitJobEvery(app, jobId, 600_000, intervalMs);

export const CORES = availableParallelism();

/** A JSON call to the API over the socket: throws on a status of 300 or more, returns the parsed body. */
export type ApiCall = (method: string, url: string, body?: unknown) => Promise<any>;

/**
 * A kpki app on a new temp data dir (`env` added to its config), listening on loopback (a free
 * port), with a fetch client that sends the signed-in admin's session: what an API client sees,
 * over a real socket; `jobEnd` follows a job's event stream to its end, as a client that waits
 * for a job does. `close` stops the app and removes its data dir.
 */
export async function httpApp(env: Record<string, string> = {}): Promise<{
  app: App; base: string; call: ApiCall; jobEnd: (jobId: string) => Promise<Job>; close: () => Promise<void>;
  /** the signed-in admin's session headers, for clients of their own (anonymous requests are rate limited) */
  headers: Record<string, string>;
}> {
  const dataDir = tempDataDir();
  const app = await testApp(dataDir, env);
  const close = async () => {
    await app.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  };
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
  } catch (err) {
    await close();
    throw err;
  }
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1`;
  const call: ApiCall = async (method, url, body) => {
    const headers = { ...authHeaders.get(app)!, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
    const r = await fetch(base + url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    if (r.status >= 300) throw new Error(`${method} ${url}: HTTP ${r.status} ${text.slice(0, 300)}`);
    return JSON.parse(text);
  };
  /** GET /jobs/{id}/events until its `end` event: the final job, the moment the server says it ended (no polling). */
  const jobEnd = async (jobId: string): Promise<Job> => {
    const r = await fetch(`${base}/jobs/${jobId}/events`, { headers: authHeaders.get(app)! });
    if (r.status !== 200 || !r.body) throw new Error(`GET /jobs/${jobId}/events: HTTP ${r.status}`);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of r.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
        const message = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        const event = /^event: (.*)$/m.exec(message)?.[1];
        const data = /^data: (.*)$/m.exec(message)?.[1];
        if (event === 'end' && data) {
          await r.body.cancel().catch(() => undefined);
          return JSON.parse(data) as Job;
        }
      }
    }
    throw new Error(`the event stream of job ${jobId} closed before its end`);
  };
  return { app, base, call, jobEnd, close, headers: authHeaders.get(app)! };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs `work` and returns its wall time in ms together with its result. */
export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await work();
  return { ms: performance.now() - t0, value };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The p-th percentile (0..100, nearest rank) of `xs`. */
export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** "1234 ms" below 10 s, "12.3 s" above. */
export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  return ms < 10_000 ? `${ms.toFixed(ms < 100 ? 1 : 0)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export const fmtRatio = (r: number) => (Number.isFinite(r) ? `${r.toFixed(2)}x` : 'n/a');

/** "PASS" when `ok`, "MISS" otherwise, "n/a" when undefined (not measured). */
export const verdict = (ok: boolean | undefined) => (ok === undefined ? 'n/a' : ok ? 'PASS' : 'MISS');

/** Every verdict printed so far, for the summary at the end. */
export const verdicts: Array<{ section: string; what: string; result: string }> = [];

/** Records a target check and returns its verdict text. */
export function check(section: string, what: string, ok: boolean | undefined): string {
  const result = verdict(ok);
  verdicts.push({ section, what, result });
  return result;
}

/** Prints a titled table with aligned columns. */
export function table(title: string, headers: string[], rows: Array<Array<string | number>>): void {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(`\n${title}`);
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of cells.slice(1)) console.log(line(r));
}

export function heading(text: string): void {
  console.log(`\n=== ${text} ${'='.repeat(Math.max(3, 76 - text.length))}`);
}

export function note(text: string): void {
  for (const l of text.split('\n')) console.log(`  ${l}`);
}

/** Runs a command to completion; rejects with the tail of its stderr on a non-zero exit. */
export function exec(cmd: string, args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
    child.on('error', (e) => (clearTimeout(timer), reject(e)));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(out).toString());
      else reject(new Error(`${cmd} ${args.slice(0, 3).join(' ')} ... exited ${code ?? signal}: ${err.trim().slice(-1000)}`));
    });
  });
}

/**
 * Runs one command per item over `lanes` concurrent child processes (each lane takes the next
 * item when its previous command ends). Stops taking items after `deadlineMs` (from the start);
 * returns the wall time and how many items completed.
 */
export async function pool(items: string[], lanes: number, command: (item: string) => [string, string[]], opts: { cwd?: string; deadlineMs?: number } = {}): Promise<{ ms: number; done: number; stopped: boolean }> {
  let next = 0;
  let done = 0;
  let stopped = false;
  const t0 = performance.now();
  const lane = async () => {
    while (next < items.length) {
      if (opts.deadlineMs !== undefined && performance.now() - t0 > opts.deadlineMs) {
        stopped = true;
        return;
      }
      const [cmd, args] = command(items[next++]);
      await exec(cmd, args, { cwd: opts.cwd });
      done++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane));
  return { ms: performance.now() - t0, done, stopped };
}

/** Throws with the response body unless the status is the expected one. */
export function expectStatus(res: { statusCode: number; body: string }, status: number, what: string): void {
  if (res.statusCode !== status) throw new Error(`${what}: HTTP ${res.statusCode} ${res.body.slice(0, 500)}`);
}

/** Job wall time as the runner recorded it (startedAt -> finishedAt), ms. */
export function jobMs(job: Job): number {
  return job.startedAt && job.finishedAt ? Date.parse(job.finishedAt) - Date.parse(job.startedAt) : NaN;
}

/** CPU time (ms) of this process (all threads, libuv's pool included) and of its waited-for children. */
export function cpuNow(): { self: number; children: number } {
  const u = process.cpuUsage();
  let children = NaN;
  try {
    // /proc/self/stat fields 16-17: cutime, cstime in clock ticks (100 Hz on Linux)
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    children = (Number(f[13]) + Number(f[14])) * 10;
  } catch {
    /* not Linux */
  }
  return { self: (u.user + u.system) / 1000, children };
}

/** Wall and CPU time of `work`: `cpu` counts this process's CPU when `of` is "self", its children's when "children". */
export async function measured<T>(of: 'self' | 'children', work: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
  const c0 = cpuNow();
  const { ms, value } = await timed(work);
  const c1 = cpuNow();
  return { ms, cpuMs: c1[of] - c0[of], value };
}

/** "3.2 s CPU, 1.6 cores" */
export const fmtCpu = (cpuMs: number, wallMs: number) =>
  Number.isFinite(cpuMs) ? `${(cpuMs / 1000).toFixed(1)} s / ${(cpuMs / wallMs).toFixed(2)}` : 'n/a';
