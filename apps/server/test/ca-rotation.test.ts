/**
 * CA rotation (issue 13), in process: who may start a phase and what the CA key rule decides for
 * its distribution (as for every distribution), the audit line in words, node states judged at
 * read time against the phase (no node contacted: none has an SSH target here), the kubeconfigs
 * and the bundle carrying both CAs, and the cross-signed CA verified by openssl.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { auditSentence, summariseRotation, type CaRotationStatus, type CaRotationSummary, type Job } from '@kpki/shared';
import { issuedCluster, reauth, tempDataDir, testApp, waitJob } from './helpers/app.ts';
import { createToken, createUser, signIn, bearer } from './helpers/auth.ts';
import { run, tmpDir, removeDir } from './helpers/tools.ts';

type App = Awaited<ReturnType<typeof testApp>>;
const pems = (text: string) => text.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n/g) ?? [];

describe('CA rotation in process', () => {
  let dataDir = '';
  let work = '';
  let app: App;
  let cluster = '';
  const c = (p: string) => `/api/v1/clusters/${cluster}${p}`;
  /** the banner's summary (?view=summary): the full answer summarised, computed without it */
  const summaryAgrees = async (status: CaRotationStatus): Promise<CaRotationSummary> => {
    const summary = (await app.inject(c('/ca-rotation?view=summary'))).json() as CaRotationSummary;
    expect(summary).toEqual(summariseRotation(status));
    return summary;
  };

  beforeAll(async () => {
    dataDir = tempDataDir();
    work = await tmpDir('kpki-rotation-');
    app = await testApp(dataDir);
    cluster = await issuedCluster(app);
    await createUser(app, 'vera', 'vera-password-1', 'viewer');
    await createUser(app, 'otto', 'otto-password-1', 'operator');
  });
  afterAll(async () => {
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    await removeDir(work);
  });

  test('a viewer may read the rotation, not start a phase', async () => {
    const vera = await signIn(app, 'vera', 'vera-password-1');
    expect((await app.rawInject({ url: c('/ca-rotation'), headers: vera })).statusCode).toBe(200);
    expect((await app.rawInject({ url: c('/ca-rotation?view=summary'), headers: vera })).json()).toEqual({ phase: 'none', startedAt: null, nodes: null, nodesInStep: null });
    expect((await app.rawInject({ url: c('/expiry?view=summary'), headers: vera })).statusCode).toBe(200);
    const res = await app.rawInject({ method: 'POST', url: c('/ca-rotation'), headers: vera, payload: { phase: 'prepare' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    expect((await app.rawInject({ method: 'POST', url: c('/ca-rotation'), headers: vera, payload: { phase: 'rotate' } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: c('/ca-rotation'), payload: { phase: 'rotate' } })).statusCode).toBe(400);
  });

  test('an operator prepares; nodes read stale for ca.pem and the kubeconfigs at once; the bundle and kubeconfigs carry both CAs', async () => {
    const before = (await app.inject(c('/certificates/ca/cert.pem'))).body;
    const otto = await signIn(app, 'otto', 'otto-password-1');
    const res = await app.rawInject({ method: 'POST', url: c('/ca-rotation'), headers: otto, payload: { phase: 'prepare' } });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().message).toMatch(/^creating a new CA/);
    const job = await waitJob(app, res.json().jobId);
    expect(job).toMatchObject({ status: 'succeeded', type: 'ca-rotation', startedBy: 'otto' });
    const status = (await app.inject(c('/ca-rotation'))).json() as CaRotationStatus;
    expect(status.phase).toBe('prepared');
    // no node has an SSH target: none that holds files is in step (the load balancer holds nothing: it is)
    expect(await summaryAgrees(status)).toEqual({ phase: 'prepared', startedAt: status.startedAt, nodes: 5, nodesInStep: 1 });
    expect(status.next).toEqual(['switch', 'abort']);
    expect(status.blocked).toMatch(/^cannot switch: node cp1 is not in step with the prepared phase \(not-configured: node "cp1" has no SSH host/);
    // the CA itself is unchanged until switch
    expect((await app.inject(c('/certificates/ca/cert.pem'))).body).toBe(before);
    // what a node must hold now: the bundle, old first
    const kubeconfig = (await app.inject(c('/kubeconfigs/worker1'))).body;
    const cas = pems(Buffer.from(parse(kubeconfig).clusters[0].cluster['certificate-authority-data'], 'base64').toString());
    expect(cas).toHaveLength(2);
    expect(cas[0]).toBe(before);
    const st = (await app.inject(c('/nodes/worker1/status'))).json();
    const caFile = st.files.find((f: { file: string }) => f.file === 'ca.pem');
    expect(caFile.expectedSha256).toBe(crypto.createHash('sha256').update(cas.join('')).digest('hex'));
    // the cross-signed CA verifies under the old CA with openssl
    fs.writeFileSync(path.join(work, 'old.pem'), before);
    fs.writeFileSync(path.join(work, 'cross.pem'), (await app.inject(c('/ca-rotation/cross-signed.pem'))).body);
    expect((await run('/usr/bin/openssl', ['verify', '-CAfile', 'old.pem', 'cross.pem'], { cwd: work })).stdout).toBe('cross.pem: OK\n');
  });

  test('distribute: the CA key rule decides as for every distribution (an operator or an API token never sends it); the audit line reads in words', async () => {
    const otto = await signIn(app, 'otto', 'otto-password-1');
    const res = await app.rawInject({ method: 'POST', url: c('/ca-rotation'), headers: otto, payload: { phase: 'prepare', distribute: true } });
    expect(res.statusCode).toBe(202);
    const job = await waitJob(app, res.json().jobId) as Job;
    expect(job.params).toMatchObject({ phase: 'prepare', distribute: true, caKey: false, caKeyReason: 'started by otto, who is operator (only admins move the CA key)' });
    // no node has an SSH target: the distribution fails on every node that holds files, naming them
    expect(job.status).toBe('failed');
    expect(job.error!.code).toBe('NODES_FAILED');
    const { token } = await createToken(app, 'rotation');
    const byToken = await app.rawInject({ method: 'POST', url: c('/ca-rotation'), headers: bearer(token), payload: { phase: 'prepare', distribute: true } });
    expect(byToken.statusCode).toBe(202);
    expect((await waitJob(app, byToken.json().jobId)).params).toMatchObject({ caKey: false, caKeyReason: expect.stringContaining('API tokens never move the CA key') });
    await reauth(app);
    const elevated = await app.inject({ method: 'POST', url: c('/ca-rotation'), payload: { phase: 'prepare', distribute: true } });
    expect((await waitJob(app, elevated.json().jobId)).params).toMatchObject({ caKey: true });
    const lines = (await app.inject('/api/v1/audit?action=' + encodeURIComponent('POST /api/v1/clusters/:cluster/ca-rotation'))).json().items;
    expect(lines.map((l: never) => auditSentence(l))).toContain(`started a CA rotation (prepare: trust both CAs) of ${cluster}, writing to cp1, cp2, lb, worker1, worker2 (with the CA key to cp1, cp2)`);
  });

  test('abort after prepare: the old CA alone; the cross-signed CA is gone', async () => {
    const res = await app.inject({ method: 'POST', url: c('/ca-rotation'), payload: { phase: 'abort' } });
    expect(res.statusCode).toBe(202);
    expect((await waitJob(app, res.json().jobId)).status).toBe('succeeded');
    const status = (await app.inject(c('/ca-rotation'))).json() as CaRotationStatus;
    expect(status).toMatchObject({ phase: 'none', newCa: null, next: ['prepare'], blocked: null });
    expect(await summaryAgrees(status)).toEqual({ phase: 'none', startedAt: null, nodes: null, nodesInStep: null });
    expect(status.history[0].status).toBe('aborted');
    const kubeconfig = (await app.inject(c('/kubeconfigs/worker1'))).body;
    expect(pems(Buffer.from(parse(kubeconfig).clusters[0].cluster['certificate-authority-data'], 'base64').toString())).toHaveLength(1);
    const gone = await app.inject(c('/ca-rotation/cross-signed.pem'));
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.message).toContain('no CA rotation is in progress');
  });

  test('purging the cluster removes its rotations and the new CA keys they sealed', async () => {
    const prepared = await app.inject({ method: 'POST', url: c('/ca-rotation'), payload: { phase: 'prepare' } });
    expect((await waitJob(app, prepared.json().jobId)).status).toBe('succeeded');
    const id = app.deps.clusters.get(cluster)!.id;
    const sealed = app.deps.caRotations.secretIds(id);
    expect(sealed).toHaveLength(2);
    await reauth(app);
    expect((await app.inject({ method: 'DELETE', url: c('') })).statusCode).toBe(200);
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/deleted-clusters/${cluster}` })).statusCode).toBe(204);
    const left = app.deps.db.prepare(`SELECT count(*) AS n FROM secrets WHERE id IN (${sealed.map(() => '?').join(',')})`).get(...sealed) as { n: number };
    expect(left.n).toBe(0);
    expect((app.deps.db.prepare('SELECT count(*) AS n FROM ca_rotations').get() as { n: number }).n).toBe(0);
  });
});
