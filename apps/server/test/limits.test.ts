/**
 * The smaller findings of issue 8 (item 9): parallel backups never collide (unique names, created
 * exclusively, a retention count, each a sound SQLite file); open event streams are capped per
 * user; one issuance may not ask for more than a bound of key generation, with a clear message
 * and nothing started. (HSTS only over https: sign-in.test.ts and auth.test.ts; the nested body:
 * audit.test.ts; usernames case-insensitively: tokens.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { issuanceSizeProblem, MAX_ISSUANCE_COST } from '@kpki/shared';
import { hardWayPreset } from '@kpki/shared/preset';
import { authHeaders, issuedCluster, tempDataDir, testApp } from './helpers/app.ts';
import { dump } from './helpers/db-dump.ts';
import { inspectBackup } from '../src/store/backup.ts';
import { MAX_STREAMS_PER_USER } from '../src/routes/jobs.routes.ts';

type App = FastifyInstance & { rawInject: FastifyInstance['inject'] };
const API = '/api/v1';

describe('parallel backups', () => {
  let dataDir = '';
  let app: App;
  beforeAll(async () => {
    dataDir = tempDataDir();
    app = await testApp(dataDir, { KPKI_BACKUP_KEEP: '5' });
  });
  afterAll(async () => {
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('twenty at once all succeed with their own file; the newest five are kept, each a sound copy', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => app.inject({ method: 'POST', url: `${API}/backups` })));
    expect(answers.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
    const files = answers.map((r) => r.json().file as string);
    expect(new Set(files).size).toBe(20);
    const dir = path.join(dataDir, 'backups');
    const databases = () => fs.readdirSync(dir).filter((n) => n.endsWith('.db')); // opening a copy may add its -wal/-shm
    const left = databases().sort();
    expect(left).toHaveLength(5);
    for (const name of left) {
      expect(files).toContain(path.join(dir, name));
      expect(fs.statSync(path.join(dir, name)).mode & 0o777).toBe(0o600);
      expect(inspectBackup(path.join(dir, name))).toMatchObject({ users: 1 });
    }
    // a file of someone else's in the folder is never pruned
    fs.writeFileSync(path.join(dir, 'keep-me.db'), 'x');
    expect((await app.inject({ method: 'POST', url: `${API}/backups` })).statusCode).toBe(201);
    expect(fs.readdirSync(dir)).toContain('keep-me.db');
    expect(databases()).toHaveLength(6);
    expect(fs.readdirSync(dir).filter((n) => !databases().some((d) => n.startsWith(d)))).toEqual([]); // a pruned copy's -wal/-shm go with it
  });
});

describe('event streams per user', () => {
  let dataDir = '';
  let app: App;
  let base = '';
  let silent: net.Server;
  const sockets: net.Socket[] = [];
  const aborts: AbortController[] = [];

  beforeAll(async () => {
    dataDir = tempDataDir();
    app = await testApp(dataDir);
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    silent = net.createServer((s) => sockets.push(s)); // accepts and never speaks: a verification waits for its timeout
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    for (const a of aborts) a.abort();
    for (const s of sockets) s.destroy();
    await new Promise((r) => silent.close(r));
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test(`at most ${MAX_STREAMS_PER_USER} open at once; closing one makes room`, async () => {
    const cluster = await issuedCluster(app);
    const port = (silent.address() as AddressInfo).port;
    const ssh = { host: '127.0.0.1', port, user: 'kpki', hostKey: `SHA256:${'A'.repeat(43)}` };
    expect((await app.inject({ method: 'PUT', url: `${API}/clusters/${cluster}/nodes/worker1/ssh`, payload: ssh })).statusCode).toBe(200);
    const { jobId } = (await app.inject({ method: 'POST', url: `${API}/clusters/${cluster}/verifications`, payload: { nodes: ['worker1'] } })).json();
    const open = async () => {
      const abort = new AbortController();
      aborts.push(abort);
      const res = await fetch(`${base}${API}/jobs/${jobId}/events`, { headers: authHeaders.get(app)!, signal: abort.signal });
      return { res, abort };
    };
    const streams = [];
    for (let i = 0; i < MAX_STREAMS_PER_USER; i++) streams.push(await open());
    expect(streams.map((s) => s.res.status)).toEqual(Array(MAX_STREAMS_PER_USER).fill(200));
    expect((await app.inject(`${API}/jobs/${jobId}`)).json().status).toBe('running'); // the streams are live, not ended
    const refused = await open();
    expect(refused.res.status).toBe(429);
    expect((await refused.res.json()).error).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining(`at most ${MAX_STREAMS_PER_USER}`) });
    streams[0].abort.abort();
    let again = await open();
    for (let i = 0; i < 50 && again.res.status === 429; i++) { // the server sees the close a moment later
      await new Promise((r) => setTimeout(r, 20));
      again = await open();
    }
    expect(again.res.status).toBe(200);
  });
});

describe('the size of one issuance', () => {
  let dataDir = '';
  let app: App;
  beforeAll(async () => {
    dataDir = tempDataDir();
    app = await testApp(dataDir, { KPKI_PREPARED_KEYS: '0' }); // no keys made ahead of time for the huge cluster in the background
  });
  afterAll(async () => {
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('the bound: the tutorial and the benchmark topology fit, 600 workers with RSA-4096 do not', () => {
    expect(issuanceSizeProblem(10, 'rsa-2048')).toBeNull();
    expect(issuanceSizeProblem(510, 'rsa-2048')).toBeNull(); // 3 control-plane + 500 workers (npm run bench)
    expect(issuanceSizeProblem(5010, 'ecdsa-p256')).toBeNull();
    expect(issuanceSizeProblem(MAX_ISSUANCE_COST + 1, 'rsa-2048')).toMatch(/at most 4000 rsa-2048 keys/);
    expect(issuanceSizeProblem(608, 'rsa-4096')).toMatch(/issuing 608 certificates with rsa-4096 keys.*choose ecdsa-p256/);
  });

  test('is refused before any key is made (issuance, apply): 409 ISSUANCE_TOO_LARGE, no job, the database unchanged', async () => {
    const body = hardWayPreset();
    body.name = 'huge';
    body.keyAlgorithm = 'rsa-4096';
    body.nodes = [
      ...body.nodes.filter((n) => n.role !== 'worker'),
      ...Array.from({ length: 600 }, (_, i) => ({ name: `w${i}`, role: 'worker' as const, addresses: [`10.${Math.floor(i / 250)}.${i % 250}.10`] })),
    ];
    expect((await app.inject({ method: 'POST', url: `${API}/clusters`, payload: body })).statusCode).toBe(201);
    expect((await app.inject({ method: 'POST', url: `${API}/clusters/huge/ca` })).statusCode).toBe(201);
    const before = dump(app.deps.db);
    const res = await app.inject({ method: 'POST', url: `${API}/clusters/huge/issuances` });
    expect(res.statusCode).toBe(409);
    expect(res.json().error, res.body).toMatchObject({ code: 'ISSUANCE_TOO_LARGE', details: { certificates: 607, keyAlgorithm: 'rsa-4096' } });
    expect(res.json().error.message).toMatch(/at most 500 rsa-4096 keys.*choose ecdsa-p256/);
    // the same bound for applying the changes (all 607 leaves are new: never issued)
    const apply = await app.inject({ method: 'POST', url: `${API}/clusters/huge/changes/apply`, payload: {} });
    expect(apply.statusCode, apply.body).toBe(409);
    expect(apply.json().error.code).toBe('ISSUANCE_TOO_LARGE');
    expect(dump(app.deps.db)).toBe(before);
    expect((await app.inject(`${API}/jobs?cluster=huge`)).json().items).toEqual([]);
  });
});
