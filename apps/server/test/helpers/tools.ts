/**
 * Helpers for tests that drive real tools (openssl, cfssl, etcd, sshd): run a command, start a
 * long-running process and stop it by its own pid, temporary directories (free ports: support.ts).
 * Everything binds or dials 127.0.0.1 only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  /** written to stdin, which is then closed */
  input?: string;
  /** added to process.env */
  env?: Record<string, string>;
  /** kill (SIGKILL) after this many ms; default 60 000 */
  timeoutMs?: number;
}

/** Runs a command to completion and collects its output. Never rejects for a non-zero exit. */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const stdin = opts.input === undefined ? 'ignore' : 'pipe';
    const child = spawn(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: [stdin, 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (c: Buffer) => out.push(c));
    child.stderr?.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    });
    if (child.stdin) {
      child.stdin.on('error', () => {}); // EPIPE when the command exits without reading its input
      child.stdin.end(opts.input);
    }
  });
}

/** Like run, but rejects with the command's stderr when it exits non-zero. */
export async function runOk(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code ?? r.signal}: ${r.stderr.slice(-2000)}`);
  return r;
}

/** Runs a shell pipeline with `bash -o pipefail -c`. */
export function sh(script: string, opts: RunOptions = {}): Promise<RunResult> {
  return runOk('bash', ['-o', 'pipefail', '-c', script], opts);
}

/** Throws a clear error when a tool of the test environment is missing. */
export function requireTool(file: string, debianPackage: string): void {
  if (!existsSync(file)) throw new Error(`${file} is missing: apt-get install -y ${debianPackage} (npm test installs it when run as root)`);
}

/** A new empty directory under os.tmpdir(); remove it with removeDir. */
export function tmpDir(prefix = 'kpki-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Removes a directory made by tmpDir (refuses anything outside os.tmpdir()). */
export async function removeDir(dir: string | undefined): Promise<void> {
  if (!dir) return;
  const resolved = path.resolve(dir);
  if (!resolved.startsWith(path.resolve(os.tmpdir()) + path.sep)) throw new Error(`refusing to remove ${dir}: not under ${os.tmpdir()}`);
  await fs.rm(resolved, { recursive: true, force: true });
}

/** A process started by startProcess. */
export interface RunningProcess {
  pid: number;
  child: ChildProcess;
  /** the last ~64 KiB of stdout and stderr, interleaved */
  output(): string;
  /** true once the process has exited */
  exited(): boolean;
  /** SIGTERM to this pid, SIGKILL after `graceMs` (default 5000); resolves once it has exited */
  stop(graceMs?: number): Promise<void>;
}

/** Starts a long-running process (not detached); the caller must stop() it in a finally/afterAll. */
export function startProcess(cmd: string, args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): RunningProcess {
  const child = spawn(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const append = (c: Buffer) => {
    log = (log + c.toString()).slice(-65_536);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  let done = false;
  const exit = new Promise<void>((resolve) => {
    child.on('exit', () => {
      done = true;
      resolve();
    });
    child.on('error', (e) => {
      append(Buffer.from(`spawn error: ${e.message}\n`));
      done = true;
      resolve();
    });
  });
  if (child.pid === undefined) done = true;
  return {
    pid: child.pid ?? -1,
    child,
    output: () => log,
    exited: () => done,
    async stop(graceMs = 5000) {
      if (done || child.pid === undefined) return;
      process.kill(child.pid, 'SIGTERM');
      const timer = setTimeout(() => {
        if (!done && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      }, graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** Polls `check` every `intervalMs` (default 100) until it returns a truthy value or `timeoutMs` (default 20 000) passes. */
export async function waitFor<T>(check: () => Promise<T> | T, what: string, opts: { timeoutMs?: number; intervalMs?: number } = {}): Promise<T> {
  const until = Date.now() + (opts.timeoutMs ?? 20_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
  }
}
