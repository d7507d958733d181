/**
 * A CA rotation survives kpki being killed (issue 13): the real server (a child process) is killed
 * with SIGKILL during the switch, once while it issues (before its one transaction: nothing of the
 * switch is stored, the rotation stays prepared) and once while it writes to a fleet of real sshd
 * nodes (after it: the rotation is switched, some nodes hold the new files, some not). After each
 * restart the switch is run again and ends correct; then finalize. The server and the fleet are
 * stopped by their own pids.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { generated } from '@kpki/shared/test-topologies';
import { isJobFinished } from '@kpki/shared';
import { tempDataDir } from './helpers/app.ts';
import { run, waitFor } from './helpers/tools.ts';
import { signInHttp, waitJobHttp, type Client } from './helpers/http-client.ts';
import { sshSessionsOf, startFleet, startServer, type Fleet, type ServerProcess } from './support.ts';

const OPENSSL = '/usr/bin/openssl';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pems = (text: string) => text.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n/g) ?? [];

async function waitUntil(api: Client, jobId: string, ready: (job: any) => boolean, timeoutMs = 120_000): Promise<any> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = await api.get(`/jobs/${jobId}`);
    if (ready(job)) return job;
    if (isJobFinished(job.status)) throw new Error(`job ended (${job.status}) before the point to kill it: ${JSON.stringify(job.log.slice(-5))}`);
    if (Date.now() > until) throw new Error(`job ${jobId} did not reach the point to kill it in ${timeoutMs} ms`);
    await sleep(10);
  }
}

describe('SIGKILL of kpki during a CA rotation\'s switch', () => {
  let dataDir = '';
  let server: ServerProcess | undefined;
  let fleet: Fleet | undefined;
  let api: Client;
  const names = ['cp-0', 'cp-1', 'w-0', 'w-1', 'w-2', 'w-3'];
  const C = '/clusters/generated';
  const dirOf = (n: string) => fleet!.node(n).remoteDir;
  const read = (n: string, f: string) => fs.readFileSync(path.join(dirOf(n), f), 'utf8');
  const ok = async (method: string, url: string, body?: unknown, status = 200) => {
    const r = await api.req(method, url, body);
    if (r.status !== status) throw new Error(`${method} ${url}: ${r.status} ${r.text.slice(0, 400)}`);
    return r.json;
  };
  const restart = async () => {
    await server!.kill();
    // the nodes' sshd must have seen the connections drop before the folders are read
    await waitFor(() => names.every((n) => sshSessionsOf(fleet!.node(n)).length === 0), "the nodes' sshd to close the killed server's sessions", { timeoutMs: 30_000 });
    server = await startServer(dataDir);
    api = await signInHttp(server.base, undefined, undefined, { elevate: true });
  };
  const serials = async () => (await api.get(`${C}/certificates`)).items.map((c: any) => `${c.name} ${c.serial}`).sort();

  beforeAll(async () => {
    dataDir = tempDataDir();
    server = await startServer(dataDir);
    api = await signInHttp(server.base, undefined, undefined, { elevate: true });
    // RSA 3072: key generation takes long enough to kill the switch while it issues
    const topology = { ...generated({ controlPlanes: 2, workers: 4, loadBalancers: 1 }), keyAlgorithm: 'rsa-3072' };
    await ok('POST', '/clusters', topology, 201);
    await ok('POST', `${C}/ca`, undefined, 201);
    expect((await waitJobHttp(api, (await ok('POST', `${C}/issuances`, undefined, 202)).jobId)).status).toBe('succeeded');
    const deployKey = await api.get(`${C}/ssh-key`);
    fleet = await startFleet({ nodes: names.map((name) => ({ name })), authorizedKeys: [deployKey.publicKey] });
    for (const n of names) {
      const f = fleet.node(n);
      await ok('PUT', `${C}/nodes/${n}/ssh`, { host: f.host, port: f.port, user: fleet.user, remoteDir: f.remoteDir, hostKey: f.hostKeyFingerprint });
    }
    const dist = await waitJobHttp(api, (await ok('POST', `${C}/distributions`, {}, 202)).jobId);
    expect(dist.status, JSON.stringify(dist.error)).toBe('succeeded');
    const prepared = await waitJobHttp(api, (await ok('POST', `${C}/ca-rotation`, { phase: 'prepare', distribute: true }, 202)).jobId);
    expect(prepared.status, JSON.stringify(prepared.error)).toBe('succeeded');
  }, 300_000);

  afterAll(async () => {
    await server?.kill();
    await fleet?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('killed while issuing: nothing of the switch is stored; run again, killed while writing: switched; run again: every node correct; then finalize', async () => {
    const before = await serials();
    const newCa = (await api.get(`${C}/ca-rotation`)).newCa;
    expect((await api.get(`${C}/ca-rotation`)).phase).toBe('prepared');

    // 1. killed while it issues (before its one transaction)
    const first = await ok('POST', `${C}/ca-rotation`, { phase: 'switch', distribute: true }, 202);
    const issuing = await waitUntil(api, first.jobId, (j) => j.status === 'running' && j.progress.done >= 1);
    expect(issuing.log.some((l: any) => l.message.startsWith('switched:'))).toBe(false);
    await restart();
    expect((await api.get(`/jobs/${first.jobId}`)).status).toBe('interrupted');
    const still = await api.get(`${C}/ca-rotation`);
    expect(still.phase).toBe('prepared');
    expect(still.newCa.serial).toBe(newCa.serial);
    expect(await serials()).toEqual(before);
    expect(still.nodes.every((n: any) => n.inStep)).toBe(true);

    // 2. run again, killed while it writes to the nodes (after its transaction)
    const second = await ok('POST', `${C}/ca-rotation`, { phase: 'switch', distribute: true }, 202);
    await waitUntil(api, second.jobId, (j) => j.log.some((l: any) => l.message.startsWith('wrote ')));
    await restart();
    expect((await api.get(`/jobs/${second.jobId}`)).status).toBe('interrupted');
    const switched = await api.get(`${C}/ca-rotation`);
    expect(switched.phase).toBe('switched');
    expect(switched.newCa.signing).toBe(true);
    const after = await serials();
    expect(after.filter((s: string) => before.includes(s))).toEqual([]); // every certificate is new, the CA too
    // judged at read time: the switched phase's files are not on every node yet
    expect(switched.nodes.some((n: any) => !n.inStep)).toBe(true);
    // finalize refuses, naming the nodes not in step
    const refused = await api.req('POST', `${C}/ca-rotation`, { phase: 'finalize' });
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe('NODES_NOT_IN_STEP');
    for (const n of switched.nodes.filter((x: any) => !x.inStep)) expect(refused.json.error.message).toContain(`node ${n.node} is not in step with the switched phase`);

    // 3. run again: it only writes, and every node ends correct
    const third = await waitJobHttp(api, (await ok('POST', `${C}/ca-rotation`, { phase: 'switch', distribute: true }, 202)).jobId);
    expect(third.status, JSON.stringify(third.error)).toBe('succeeded');
    expect(third.result).toMatchObject({ again: true, phase: 'switched' });
    expect(await serials()).toEqual(after);
    expect((await api.get(`${C}/ca-rotation`)).nodes.every((n: any) => n.inStep)).toBe(true);
    const signing = (await api.req('GET', `${C}/certificates/ca/cert.pem`)).text;
    const work = fs.mkdtempSync(path.join(dataDir, 'check-'));
    fs.writeFileSync(path.join(work, 'new-ca.pem'), signing);
    for (const n of names) {
      expect(pems(read(n, 'ca.pem')), n).toHaveLength(2);
      expect(pems(read(n, 'ca.pem'))[0], n).toBe(signing);
      const leaf = n.startsWith('cp') ? 'kubernetes.pem' : `${n}.pem`;
      const v = await run(OPENSSL, ['verify', '-CAfile', path.join(work, 'new-ca.pem'), path.join(dirOf(n), leaf)]);
      expect(v.stdout, `${n}/${leaf}`).toContain('OK');
    }

    // 4. finalize: the new CA alone everywhere
    const fin = await waitJobHttp(api, (await ok('POST', `${C}/ca-rotation`, { phase: 'finalize', distribute: true }, 202)).jobId);
    expect(fin.status, JSON.stringify(fin.error)).toBe('succeeded');
    for (const n of names) expect(read(n, 'ca.pem'), n).toBe(signing);
    expect((await api.get(`${C}/ca-rotation`)).phase).toBe('none');
  }, 400_000);
});
