/** Builds a kpki app on a temporary data directory, and waits for jobs. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Job } from '@kpki/shared';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { waitJob as waitJobOf } from '../support.ts';

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kpki-test-'));
}

export const ADMIN_PASSWORD = 'test-admin-password';

/** Headers that authenticate as the signed-in admin (cookie session + CSRF token). */
export const authHeaders = new WeakMap<FastifyInstance, Record<string, string>>();

/**
 * A kpki app on `dataDir` (clock `opts.now`), with the admin signed in: its `inject` sends the session cookie and
 * CSRF token unless the request sets its own headers; `rawInject` sends nothing.
 */
export async function testApp(dataDir = tempDataDir(), env: Record<string, string> = {}, opts: { now?: () => Date } = {}): Promise<FastifyInstance & { rawInject: FastifyInstance['inject'] }> {
  const config = loadConfig({ KPKI_DATA_DIR: dataDir, KPKI_LOG_LEVEL: 'silent', KPKI_WEB_DIR: '', KPKI_ADMIN_PASSWORD: ADMIN_PASSWORD, ...env });
  const app = (await buildApp(config, { logger: false, ...(opts.now ? { now: opts.now } : {}) })) as FastifyInstance & { rawInject: FastifyInstance['inject'] };
  const raw = app.inject.bind(app);
  app.rawInject = raw as FastifyInstance['inject'];
  await refreshSession(app);
  app.inject = ((opts: string | Record<string, unknown>) => {
    const o = typeof opts === 'string' ? { url: opts } : opts;
    return raw({ ...o, headers: { ...authHeaders.get(app), ...((o.headers as object) ?? {}) } } as never);
  }) as FastifyInstance['inject'];
  return app;
}

export type TestApp = Awaited<ReturnType<typeof testApp>>;

/** The app of a describe block (useTestApp): set before its tests run, read it in hooks and tests. */
export interface AppFixture {
  app: TestApp;
  dataDir: string;
}

/**
 * In a describe block: a testApp on a temporary data directory (`env`, clock `now`) before its
 * tests, closed and its folder removed after them. Hooks registered after this one run after it
 * before the tests and before it after them.
 */
export function useTestApp(opts: { env?: Record<string, string>; now?: () => Date } = {}): AppFixture {
  const fx = { dataDir: '' } as AppFixture;
  beforeAll(async () => {
    fx.dataDir = tempDataDir();
    fx.app = await testApp(fx.dataDir, opts.env, { now: opts.now });
  });
  afterAll(async () => {
    await fx.app?.close();
    if (fx.dataDir) fs.rmSync(fx.dataDir, { recursive: true, force: true });
  });
  return fx;
}

/** A day in milliseconds (tests that move a clock by days). */
export const DAY_MS = 86_400_000;

/** A clock tests move by hand: `now` for buildApp, `advance(ms)` to let time pass. */
export function testClock(start = Date.now()) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => void (t += ms) };
}

/**
 * Signs the admin in (again): `inject` then sends the new session. Tests that move the server's
 * clock past the session's 12 hours call it after moving.
 */
export async function refreshSession(app: FastifyInstance & { rawInject: FastifyInstance['inject'] }): Promise<void> {
  const res = await app.rawInject({ method: 'POST', url: '/api/v1/session', payload: { username: 'admin', password: ADMIN_PASSWORD } });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'kpki_session')!;
  authHeaders.set(app, { cookie: `kpki_session=${cookie.value}`, 'x-csrf-token': res.json().csrfToken as string });
}

/**
 * Re-enters the admin password so the session may move the CA key for 5 minutes; skipped while
 * more than a minute of the last re-entry is left (re-entry is rate limited: 10 a minute).
 */
export async function reauth(app: FastifyInstance): Promise<void> {
  const { elevatedUntil } = (await app.inject('/api/v1/session')).json();
  if (elevatedUntil && Date.parse(elevatedUntil) - app.deps.now().getTime() > 60_000) return;
  const res = await app.inject({ method: 'POST', url: '/api/v1/session/reauth', payload: { password: ADMIN_PASSWORD } });
  if (res.statusCode !== 200) throw new Error(`reauth failed: ${res.body}`);
}

/** Polls GET /jobs/{id} of an in-process app every `intervalMs` until the job has ended (support.ts waitJob). */
export function waitJob(app: FastifyInstance, jobId: string, timeoutMs = 120_000, intervalMs = 50): Promise<Job> {
  return waitJobOf(async (id) => (await app.inject({ method: 'GET', url: `/api/v1/jobs/${id}` })).json() as Job, jobId, { timeoutMs, intervalMs });
}

/** Creates the preset cluster (optionally changed), its CA, and issues; returns the cluster name. */
export async function issuedCluster(app: FastifyInstance, change: (c: any) => void = () => {}): Promise<string> {
  const preset = (await app.inject({ method: 'GET', url: '/api/v1/presets/hard-way' })).json();
  change(preset);
  const created = await app.inject({ method: 'POST', url: '/api/v1/clusters', payload: preset });
  if (created.statusCode !== 201) throw new Error(`create cluster: ${created.body}`);
  const ca = await app.inject({ method: 'POST', url: `/api/v1/clusters/${preset.name}/ca` });
  if (ca.statusCode !== 201) throw new Error(`create CA: ${ca.body}`);
  const iss = await app.inject({ method: 'POST', url: `/api/v1/clusters/${preset.name}/issuances` });
  const job = await waitJob(app, iss.json().jobId);
  if (job.status !== 'succeeded') throw new Error(`issuance ${job.status}: ${JSON.stringify(job.error)}`);
  return preset.name;
}
