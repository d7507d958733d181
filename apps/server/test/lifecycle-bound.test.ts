/**
 * The bound of one issuance (issuanceSizeProblem, 4000 key-cost units) holds for renewals and
 * applies too, counted in the keys they generate: 500 workers issued with ECDSA P-256, then the
 * topology switched to RSA-4096 (8 units a key) asks for 507 new keys = 4056 units. Refused with
 * 409 ISSUANCE_TOO_LARGE, no job, and the database unchanged; within the bound it starts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fs from 'node:fs';
import { hardWayPreset } from '@kpki/shared/preset';
import type { ClusterInput } from '@kpki/shared';
import { dump } from './helpers/db-dump.ts';
import { tempDataDir, testApp, waitJob } from './helpers/app.ts';

type App = Awaited<ReturnType<typeof testApp>>;
const WORKERS = 500;

describe('renewals and applies stay within the bound of one issuance', () => {
  let dataDir = '';
  let app: App;
  const cluster = 'big';
  const api = (u: string) => `/api/v1/clusters/${cluster}${u}`;
  let topology: ClusterInput;

  beforeAll(async () => {
    dataDir = tempDataDir();
    app = await testApp(dataDir, { KPKI_PREPARED_KEYS: '0' });
    const preset = hardWayPreset();
    topology = {
      ...preset, name: cluster, keyAlgorithm: 'ecdsa-p256',
      nodes: [
        ...preset.nodes.filter((n) => n.role !== 'worker'),
        ...Array.from({ length: WORKERS }, (_, i) => ({ name: `w${i + 1}`, role: 'worker' as const, addresses: [`10.1.${Math.floor(i / 250)}.${(i % 250) + 1}`] })),
      ],
    };
    expect((await app.inject({ method: 'POST', url: '/api/v1/clusters', payload: topology })).statusCode).toBe(201);
    expect((await app.inject({ method: 'POST', url: api('/ca') })).statusCode).toBe(201);
    const job = await waitJob(app, (await app.inject({ method: 'POST', url: api('/issuances') })).json().jobId, 300_000);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    const { createdAt: _c, updatedAt: _u, hasCa: _h, caNotAfter: _n, ...current } = (await app.inject(api(''))).json();
    expect((await app.inject({ method: 'PUT', url: api(''), payload: { ...current, keyAlgorithm: 'rsa-4096' } })).statusCode).toBe(200);
  }, 600_000);
  afterAll(async () => {
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('apply: every leaf re-keyed with RSA-4096 is 4056 units: 409, nothing started or stored', async () => {
    // the review first: reading renders (and records) the kubeconfigs of the current certificates once
    expect((await app.inject(api('/changes'))).json().counts.outdated).toBe(WORKERS + 7);
    const before = dump(app.deps.db);
    const jobs = (await app.inject('/api/v1/jobs')).json().items.length;
    const res = await app.inject({ method: 'POST', url: api('/changes/apply'), payload: { distribute: false } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'ISSUANCE_TOO_LARGE', details: { certificates: WORKERS + 7, keyAlgorithm: 'rsa-4096' } });
    expect(res.json().error.message).toMatch(/at most 500 rsa-4096 keys.*choose ecdsa-p256/);
    expect((await app.inject('/api/v1/jobs')).json().items.length).toBe(jobs);
    expect(dump(app.deps.db)).toBe(before);
  });

  test('renewal: counted in new keys, a kept key costs nothing', async () => {
    const leaves = (await app.inject(api('/certificates'))).json().items.map((c: { name: string }) => c.name).filter((n: string) => n !== 'ca');
    expect(leaves).toHaveLength(WORKERS + 7);
    const before = dump(app.deps.db);
    const tooMany = await app.inject({ method: 'POST', url: api('/renewals'), payload: { certificates: leaves } });
    expect(tooMany.statusCode).toBe(409);
    // the service-account pair keeps its key by default: 506 new keys
    expect(tooMany.json().error).toMatchObject({ code: 'ISSUANCE_TOO_LARGE', details: { certificates: WORKERS + 6 } });
    expect(dump(app.deps.db)).toBe(before);
    // three certificates with new RSA-4096 keys: within the bound, the job runs
    const kept = await app.inject({ method: 'POST', url: api('/renewals'), payload: { certificates: leaves.slice(0, 3), keepKeys: false } });
    expect(kept.statusCode).toBe(202);
    expect((await waitJob(app, kept.json().jobId, 300_000)).status).toBe('succeeded');
  });
});
