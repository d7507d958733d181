/**
 * Faults: the real server (a child process) killed with SIGKILL in the middle of an issuance
 * and in the middle of a distribution to real sshd nodes, and nodes that fail in four ways at
 * once while the others complete. The child server and the fleets are stopped by their own pids.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { generated } from '@kpki/shared/test-topologies';
import { isJobFinished } from '@kpki/shared';
import { SSH_KEYGEN, startFleet, type Fleet } from './support.ts';
import { generateDeployKey } from '../src/ssh/keys.ts';
import { tempDataDir } from './helpers/app.ts';
import { run, waitFor } from './helpers/tools.ts';
import { signInHttp, waitJobHttp, type Client } from './helpers/http-client.ts';
import { SERVER_PASSWORD, sshSessionsOf, startServer, type ServerProcess } from './support.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls a job until `ready(job)` holds, failing if it ends first. */
async function waitUntil(api: Client, jobId: string, ready: (job: any) => boolean, timeoutMs = 60_000): Promise<any> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = await api.get(`/jobs/${jobId}`);
    if (ready(job)) return job;
    if (isJobFinished(job.status)) throw new Error(`job ended (${job.status}) before the point to kill it`);
    if (Date.now() > until) throw new Error(`job ${jobId} did not reach the point to kill it in ${timeoutMs} ms`);
    await sleep(15);
  }
}

const ok = async (api: Client, method: string, url: string, body?: unknown, status = 200) => {
  const r = await api.req(method, url, body);
  if (r.status !== status) throw new Error(`${method} ${url}: ${r.status} ${r.text.slice(0, 400)}`);
  return r.json;
};

describe('SIGKILL in the middle of an issuance', () => {
  let dataDir = '';
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.kill();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('restarts with the previous certificates intact, the job interrupted, and issues again', async () => {
    dataDir = tempDataDir();
    server = await startServer(dataDir);
    let api = await signInHttp(server.base);
    const topology = generated({ controlPlanes: 2, workers: 3, loadBalancers: 1 });
    await ok(api, 'POST', '/clusters', topology, 201);
    await ok(api, 'POST', '/clusters/generated/ca', undefined, 201);
    const first = await ok(api, 'POST', '/clusters/generated/issuances', undefined, 202);
    expect((await waitJobHttp(api, first.jobId)).status).toBe('succeeded');
    const before = (await api.get('/clusters/generated/certificates')).items.map((c: any) => `${c.name} ${c.serial} ${c.sha256}`).sort();
    expect(before).toHaveLength(1 + 7 + 3); // ca, admin, 6 control-plane/cluster-wide, 3 kubelets

    // 400 workers: the issuance takes seconds; kill it once it has issued a few
    const big = generated({ controlPlanes: 2, workers: 400, loadBalancers: 1 });
    await ok(api, 'PUT', '/clusters/generated', big);
    const { jobId } = await ok(api, 'POST', '/clusters/generated/issuances', undefined, 202);
    const running = await waitUntil(api, jobId, (j) => j.status === 'running' && j.progress.done >= 3);
    await server.kill();
    server = undefined;
    expect(running.progress.done).toBeLessThan(running.progress.total);

    // the file as the kill left it: nothing of the interrupted issuance, the job row still "running"
    const db = new Database(path.join(dataDir, 'kpki.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
      expect(n('SELECT count(*) AS n FROM certificates')).toBe(11);
      expect(n('SELECT count(*) AS n FROM secrets')).toBe(11 + 1 + 1); // + the deploy key and the encryption key
      expect(n('SELECT count(*) AS n FROM issuances')).toBe(2);
      expect((db.prepare('SELECT status FROM jobs WHERE id = ?').get(jobId) as { status: string }).status).toBe('running');
    } finally {
      db.close();
    }

    server = await startServer(dataDir);
    api = await signInHttp(server.base);
    const job = await api.get(`/jobs/${jobId}`);
    expect(job.status).toBe('interrupted');
    expect(job.error.code).toBe('INTERRUPTED');
    expect(job.error.message).toContain('run it again');
    expect(job.finishedAt).toBeTruthy();
    const after = (await api.get('/clusters/generated/certificates')).items.map((c: any) => `${c.name} ${c.serial} ${c.sha256}`).sort();
    expect(after).toEqual(before);
    const key = await api.req('GET', '/clusters/generated/certificates/w-0/key.pem');
    const cert = await api.req('GET', '/clusters/generated/certificates/w-0/cert.pem');
    expect(crypto.createPublicKey(crypto.createPrivateKey(key.text)).export({ type: 'spki', format: 'der' })
      .equals(new crypto.X509Certificate(cert.text).publicKey.export({ type: 'spki', format: 'der' }))).toBe(true);

    // and it issues again (back on the small topology, to keep the test short)
    await ok(api, 'PUT', '/clusters/generated', topology);
    const again = await ok(api, 'POST', '/clusters/generated/issuances', undefined, 202);
    const done = await waitJobHttp(api, again.jobId, 300_000);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.progress).toEqual({ done: 7 + 3, total: 7 + 3 });
    const current = (await api.get('/clusters/generated/certificates')).items;
    expect(current).toHaveLength(1 + 7 + 3);
    const serials = new Set(current.map((c: any) => c.serial));
    expect(before.filter((b: string) => b.startsWith('ca ')).every((b: string) => serials.has(b.split(' ')[1]))).toBe(true);
    expect(before.filter((b: string) => !b.startsWith('ca ')).some((b: string) => serials.has(b.split(' ')[1]))).toBe(false);
    await server.stop();
    server = undefined;
  }, 400_000);
});

describe('distribution faults on a fleet of real sshd nodes', () => {
  let dataDir = '';
  const WORKERS = 12;
  const names = ['cp-0', ...Array.from({ length: WORKERS }, (_, i) => `w-${i}`)];
  let server: ServerProcess | undefined;
  let fleet: Fleet | undefined;
  let stranger: Fleet | undefined;
  let api: Client;
  /** file name -> the content the store holds (current issuance) */
  const stored = new Map<string, string>();
  let plan: Record<string, Array<{ file: string; mode: string }>>;

  const dirOf = (n: string) => fleet!.node(n).remoteDir;
  const pin = (n: string, over: object = {}) => {
    const f = fleet!.node(n);
    return ok(api, 'PUT', `/clusters/fleet/nodes/${n}/ssh`, { host: f.host, port: f.port, user: fleet!.user, remoteDir: f.remoteDir, hostKey: f.hostKeyFingerprint, ...over });
  };

  /** What is really on a node, file by file, judged against the store. */
  function truth(node: string) {
    const expected = plan[node];
    const files = expected.map((e) => {
      const p = path.join(dirOf(node), e.file);
      if (!fs.existsSync(p)) return { file: e.file, state: 'missing' };
      const same = fs.readFileSync(p, 'utf8') === stored.get(e.file);
      const modeOk = (fs.statSync(p).mode & 0o777) === parseInt(e.mode, 8);
      return { file: e.file, state: !same ? 'foreign' : !modeOk ? 'mode' : 'in-sync' };
    });
    const worst = ['foreign', 'mode', 'missing'].find((s) => files.some((f) => f.state === s));
    return { files, state: worst ?? 'in-sync' };
  }

  beforeAll(async () => {
    dataDir = tempDataDir();
    server = await startServer(dataDir, { env: { KPKI_DISTRIBUTION_CONCURRENCY: '2' } });
    api = await signInHttp(server.base, undefined, undefined, { elevate: true });
    const topology = generated({ controlPlanes: 1, workers: WORKERS });
    topology.name = 'fleet';
    topology.keyAlgorithm = 'ecdsa-p256';
    await ok(api, 'POST', '/clusters', topology, 201);
    await ok(api, 'POST', '/clusters/fleet/ca', undefined, 201);
    const iss = await ok(api, 'POST', '/clusters/fleet/issuances', undefined, 202);
    expect((await waitJobHttp(api, iss.jobId)).status).toBe('succeeded');
    plan = (await api.get('/clusters/fleet/plan')).files;
    await ok(api, 'POST', '/session/reauth', { password: SERVER_PASSWORD });
    for (const c of (await api.get('/clusters/fleet/certificates')).items as Array<{ name: string }>) {
      stored.set(`${c.name}.pem`, (await api.req('GET', `/clusters/fleet/certificates/${c.name}/cert.pem`)).text);
      stored.set(`${c.name}-key.pem`, (await api.req('GET', `/clusters/fleet/certificates/${c.name}/key.pem`)).text);
    }
    // the kubeconfigs nodes receive (not the workstation's: download only) and the encryption config
    for (const k of (await api.get('/clusters/fleet/kubeconfigs')).items as Array<{ name: string; file: string; recipients: string[] }>) {
      if (k.recipients.length) stored.set(k.file, (await api.req('GET', `/clusters/fleet/kubeconfigs/${k.name}`)).text);
    }
    stored.set('encryption-config.yaml', (await api.req('GET', '/clusters/fleet/encryption-config')).text);
    const deployKey = await api.get('/clusters/fleet/ssh-key');
    fleet = await startFleet({ nodes: names.map((name) => ({ name })), authorizedKeys: [deployKey.publicKey] });
    for (const n of names) await pin(n);
  }, 240_000);

  afterAll(async () => {
    await server?.kill();
    await fleet?.stop();
    await stranger?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('killed mid-distribution: no node holds a half-written file under a final name, and verify reports each node\'s true state', async () => {
    const { jobId } = await ok(api, 'POST', '/clusters/fleet/distributions', {}, 202);
    const running = await waitUntil(api, jobId, (j) => j.status === 'running' && j.progress.total > 0 && j.progress.done >= j.progress.total * 0.25);
    await server!.kill();
    server = undefined;
    expect(running.progress.done).toBeLessThan(running.progress.total);
    // the nodes' sshd must have seen the connections drop (their session processes end) before the folders are read
    await waitFor(() => names.every((n) => sshSessionsOf(fleet!.node(n)).length === 0), "the nodes' sshd to close the killed server's sessions", { timeoutMs: 30_000 });

    let complete = 0;
    let incomplete = 0;
    let temps = 0;
    let nodesInFlight = 0;
    for (const n of names) {
      const entries = fs.readdirSync(dirOf(n));
      const finals = entries.filter((f) => !f.startsWith('.'));
      temps += entries.filter((f) => f.startsWith('.') && f.includes('.kpki-tmp-')).length;
      // every file under a final name is one the node should hold, complete, with its mode
      for (const f of finals) {
        const e = plan[n].find((x) => x.file === f);
        expect(e, `${n}/${f} is not one of its files`).toBeTruthy();
        expect(fs.readFileSync(path.join(dirOf(n), f), 'utf8') === stored.get(f), `${n}/${f} equals the stored file`).toBe(true);
        expect(fs.statSync(path.join(dirOf(n), f)).mode & 0o777, `${n}/${f}`).toBe(parseInt(e!.mode, 8));
      }
      // the rest are the temporary files of writes in flight: a node's writes go together (one SFTP session), so one
      // per file of the node not yet in place, never another file's, never two for one file
      const inFlight = entries.filter((f) => f.startsWith('.')).map((f) => /^\.(.+)\.kpki-tmp-[0-9a-f]{12}$/.exec(f)?.[1] ?? f);
      for (const f of inFlight) expect(plan[n].some((x) => x.file === f) && !finals.includes(f), `${n}: ${f} is a file of the node not yet in place`).toBe(true);
      expect(new Set(inFlight).size, `${n}: one temporary file per file in flight`).toBe(inFlight.length);
      if (inFlight.length) nodesInFlight++;
      if (finals.length === plan[n].length) complete++;
      else incomplete++;
    }
    expect(complete, 'some nodes were done before the kill').toBeGreaterThan(0);
    expect(incomplete, 'some nodes were not done at the kill').toBeGreaterThan(0);
    expect(nodesInFlight).toBeLessThanOrEqual(2); // concurrency 2: writes in flight on two nodes at most

    server = await startServer(dataDir, { env: { KPKI_DISTRIBUTION_CONCURRENCY: '2' } });
    api = await signInHttp(server.base, undefined, undefined, { elevate: true });
    const job = await api.get(`/jobs/${jobId}`);
    expect(job.status).toBe('interrupted');
    for (const n of names) {
      const status = await ok(api, 'POST', `/clusters/fleet/nodes/${n}/verify`);
      const t = truth(n);
      expect(status.state, n).toBe(t.state);
      expect(status.files.map((f: any) => [f.file, f.state]), n).toEqual(t.files.map((f) => [f.file, f.state]));
      expect(status.error).toBeNull();
    }

    // files that only look like kpki's temporary files are not kpki's to remove
    const foreign = ['.notes.pem.kpki-tmp-0123456789ab', '.ca.pem.kpki-tmp-backup'];
    for (const f of foreign) fs.writeFileSync(path.join(dirOf('w-5'), f), 'mine');
    const redo = await ok(api, 'POST', '/clusters/fleet/distributions', {}, 202);
    const done = await waitJobHttp(api, redo.jobId);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    for (const n of names) expect(truth(n).state, n).toBe('in-sync');
    // the temporary files the kill left (they may hold part of a key) are gone too
    expect(names.flatMap((n) => fs.readdirSync(dirOf(n)).filter((f) => f.includes('.kpki-tmp-') && !foreign.includes(f)))).toEqual([]);
    for (const f of foreign) expect(fs.readFileSync(path.join(dirOf('w-5'), f), 'utf8')).toBe('mine');
    for (const f of foreign) fs.rmSync(path.join(dirOf('w-5'), f));
    if (temps) expect(done.log.some((l: { message: string }) => l.message.includes('left by an interrupted write'))).toBe(true);
  }, 240_000);

  test('sshd stopped, host key changed, authentication refused, remote folder not writable: a clear error per node while the others complete', async () => {
    // start from every node in sync (whatever the test before left), then every node misses ca.pem
    const sync = await ok(api, 'POST', '/clusters/fleet/distributions', {}, 202);
    expect((await waitJobHttp(api, sync.jobId)).status).toBe('succeeded');
    for (const n of names) fs.rmSync(path.join(dirOf(n), 'ca.pem'), { force: true });

    // w-0: sshd stopped
    await fleet!.stopNode('w-0');
    // w-1: reinstalled, a new host key (the pinned one is the old)
    const w1 = fleet!.node('w-1');
    await fleet!.stopNode('w-1');
    fs.rmSync(w1.hostKeyPath);
    fs.rmSync(`${w1.hostKeyPath}.pub`);
    expect((await run(SSH_KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-f', w1.hostKeyPath])).code).toBe(0);
    await fleet!.startNode('w-1');
    // w-2: a node whose authorized_keys does not hold the deploy key
    stranger = await startFleet({ nodes: [{ name: 'w-2' }], authorizedKeys: [generateDeployKey('someone-else').publicKey] });
    const s = stranger.node('w-2');
    await ok(api, 'PUT', '/clusters/fleet/nodes/w-2/ssh', { host: s.host, port: s.port, user: stranger.user, remoteDir: s.remoteDir, hostKey: s.hostKeyFingerprint });
    // w-3: its folder is not writable by the login user
    fs.chmodSync(dirOf('w-3'), 0o555);

    try {
      const { jobId } = await ok(api, 'POST', '/clusters/fleet/distributions', {}, 202);
      const job = await waitJobHttp(api, jobId);
      expect(job.status).toBe('failed');
      expect(job.error.message).toContain(`4 of ${names.length} node(s) failed`);
      const nodes = job.result.nodes as Record<string, { state: string; uploaded: string[]; error?: { code: string; message: string } }>;
      if (process.env.KPKI_SHOW_MESSAGES) for (const n of ['w-0', 'w-1', 'w-2', 'w-3']) console.log(n, nodes[n].error);

      expect(nodes['w-0'].error!.code).toBe('SSH_UNREACHABLE');
      // the same words for a refused, closed or silent port (no port scanner); the admin's node status names the cause
      expect(nodes['w-0'].error!.message).toMatch(/no SSH server could be reached on \S+ \(node w-0\): check that the node is up, that sshd runs/);
      expect((await ok(api, 'GET', '/clusters/fleet/nodes/w-0/status')).error.detail).toMatch(/refused/);
      expect(nodes['w-1'].error!.code).toBe('SSH_HOST_KEY_MISMATCH');
      expect(nodes['w-1'].error!.message).toContain(w1.hostKeyFingerprint);
      expect(nodes['w-1'].error!.message).toContain('nothing was sent');
      expect(nodes['w-2'].error!.code).toBe('SSH_AUTH_FAILED');
      expect(nodes['w-2'].error!.message).toMatch(/refused the deploy key SHA256:\S+: add the cluster's public key to the authorized_keys of kpki-fleet/);
      expect(nodes['w-3'].error!.code).toBe('SSH_WRITE_FAILED');
      expect(nodes['w-3'].error!.message).toContain(dirOf('w-3'));
      expect(nodes['w-3'].error!.message).toContain('w-3');
      expect(nodes['w-0'].state).toBe('unreachable');

      for (const n of names.filter((x) => !['w-0', 'w-1', 'w-2', 'w-3'].includes(x))) {
        expect(nodes[n], n).toMatchObject({ state: 'in-sync', uploaded: ['ca.pem'] });
        expect(truth(n).state, n).toBe('in-sync');
      }
      // the refused nodes received nothing
      for (const n of ['w-1', 'w-3']) expect(fs.existsSync(path.join(dirOf(n), 'ca.pem')), n).toBe(false);
      expect(fs.readdirSync(s.remoteDir)).toEqual([]);
      expect(fs.readdirSync(dirOf('w-3')).filter((f) => f.includes('kpki-tmp'))).toEqual([]);

      // the node list shows the same per node
      const list = (await api.get('/clusters/fleet/nodes')).items as Array<{ name: string; status: { state: string; error: { code: string } | null } }>;
      const byName = Object.fromEntries(list.map((x) => [x.name, x.status]));
      expect(byName['w-2'].error!.code).toBe('SSH_AUTH_FAILED');
      expect(byName['w-5'].state).toBe('in-sync');
    } finally {
      fs.chmodSync(dirOf('w-3'), 0o755);
      await fleet!.startNode('w-0');
    }
  }, 240_000);
});
