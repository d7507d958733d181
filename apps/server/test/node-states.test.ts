/**
 * States never lie (issue 15, items 1 and 2), against real OpenSSH sshd nodes on loopback: a
 * change of what nodes should hold turns exactly the changed files stale without any SSH
 * connection; each kind of drift shows its own reason; one redistribution mends all.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { nodeRowOf, type Job, type NodeRow, type NodeStatus, type NodeSummary } from '@kpki/shared';
import { buildCatalog } from '@kpki/shared/catalog';
import { fleetConnections, type Fleet } from './support.ts';
import { storedFile } from './helpers/stored-files.ts';
import { certificateColumns, issueAll } from '../src/pki/index.ts';
import { reauth, waitJob, type TestApp } from './helpers/app.ts';
import { useFleetCluster } from './helpers/fleet-cluster.ts';

const sha = (b: Buffer | string) => crypto.createHash('sha256').update(b).digest('hex');
const NODES = ['cp1', 'cp2', 'worker1', 'worker2'];

describe('node states judged from the last look, against a fleet of real sshd nodes', () => {
  let shift = 0; // minutes the injected clock runs ahead
  const fx = useFleetCluster({ fleetNodes: NODES, pin: false, now: () => new Date(Date.now() + shift * 60_000) });
  let app: TestApp;
  let fleet: Fleet;
  let cluster: string;
  const api = (url: string) => `/api/v1/clusters/${cluster}${url}`;
  const get = async (url: string) => (await app.inject(api(url))).json();
  const post = async (url: string, payload?: object) => app.inject({ method: 'POST', url: api(url), ...(payload ? { payload } : {}) });
  const job = async (url: string, payload?: object): Promise<Job> => {
    const res = await post(url, payload);
    expect(res.statusCode, res.body).toBe(202);
    return waitJob(app, res.json().jobId);
  };
  /** SSH targets of control-plane nodes and distributions with ca-key.pem need the password re-entered (the CA key rule). */
  const putSsh = async (node: string, over: { remoteDir?: string } = {}) => {
    await reauth(app);
    const n = fleet.node(node);
    const res = await app.inject({ method: 'PUT', url: api(`/nodes/${node}/ssh`), payload: { host: n.host, port: n.port, user: fleet.user, remoteDir: n.remoteDir, hostKey: n.hostKeyFingerprint, ...over } });
    expect(res.statusCode, res.body).toBe(200);
  };
  const distribute = async () => (await reauth(app), job('/distributions'));
  /** Every node with its full state; each read also checks that the brief list (?view=brief, the nodes page's) says the same, judged at the same moment. */
  const nodes = async () => {
    const full = (await get('/nodes')).items as NodeSummary[];
    const brief = (await get('/nodes?view=brief')).items as NodeRow[];
    expect(brief).toEqual(full.map(nodeRowOf));
    for (const [i, row] of brief.entries()) {
      expect(row.status.filesInSync + row.status.filesUnknown + row.status.drift.length).toBe(full[i].status.files.length);
      expect(row.status).not.toHaveProperty('files');
    }
    return Object.fromEntries(full.map((n) => [n.name, n]));
  };
  const dirOf = (node: string) => fleet.node(node).remoteDir;
  const onDisk = (node: string) => Object.fromEntries(fs.readdirSync(dirOf(node)).map((f) => [f, sha(fs.readFileSync(path.join(dirOf(node), f)))]));
  const connections = () => fleetConnections(fleet);
  const fileOf = (s: NodeStatus, file: string) => s.files.find((f) => f.file === file)!;
  const certificates = async () => Object.fromEntries(((await get('/certificates')).items as Array<{ name: string; serial: string }>).map((c) => [c.name, c.serial]));

  /** A later job that changes one certificate (as a renewal would): one new version of `name`, stored as an issuance. */
  async function reissueOne(name: string) {
    const deps = app.deps;
    const row = deps.clusters.get(cluster)!;
    const ca = deps.certificates.getCurrent(row.id, 'ca')!;
    const [c] = await issueAll({
      ca: { certPem: ca.pem, keyPem: deps.certificates.keyPem(ca) }, certificates: buildCatalog(row.input).filter((x) => x.name === name),
      subject: row.input.subject, algorithm: row.input.keyAlgorithm, validityHours: row.input.certValidityHours, now: deps.now(),
    });
    deps.certificates.storeIssuance(row.id, 'leaves', null, [deps.certificates.prepare({ name: c.name, ...certificateColumns(c.certPem), keyAlgorithm: row.input.keyAlgorithm, pem: c.certPem, keyPem: c.keyPem })], deps.now().toISOString(), row.input);
  }

  beforeAll(() => {
    ({ app, fc: { fleet, cluster } } = fx);
  });

  test('before any look: not-checked (due), not-configured, and the load balancer has nothing to hold', async () => {
    await putSsh('cp1');
    const all = await nodes();
    expect(all.cp1.status).toMatchObject({ state: 'not-checked', checkedAt: null, checkDue: true });
    expect(all.cp1.status.files.every((f) => f.state === 'unknown')).toBe(true);
    expect(all.worker1.status).toMatchObject({ state: 'not-configured', checkDue: false, error: { code: 'SSH_NOT_CONFIGURED' } });
    expect(all.lb.status).toMatchObject({ state: 'nothing-to-hold', checkedAt: null, checkDue: false, files: [] });
    expect(all.lb.expectedFiles).toBe(0);
  });

  test('distribution ends with a look at every node it wrote: in sync, checked now, not due', async () => {
    for (const name of NODES) await putSsh(name);
    const before = Date.now();
    const j = await distribute();
    expect(j.status, JSON.stringify(j.error)).toBe('succeeded');
    const all = await nodes();
    for (const name of NODES) {
      expect(all[name].status.state, name).toBe('in-sync');
      expect(all[name].status.checkDue, name).toBe(false);
      expect(Date.parse(all[name].status.checkedAt!)).toBeGreaterThanOrEqual(before - 1000);
      expect(all[name].status.filesCheckedAt).toBe(all[name].status.checkedAt);
    }
    expect(all.lb.status.state).toBe('nothing-to-hold');
  });

  test('after a re-issue every node reports stale for exactly the files that changed, and no SSH connection is made', async () => {
    const held = Object.fromEntries(NODES.map((n) => [n, onDisk(n)]));
    const oldSerials = await certificates();
    const seen = await connections();
    const iss = await job('/issuances');
    expect(iss.status).toBe('succeeded');
    const newSerials = await certificates();
    const all = await nodes();
    await reauth(app); // ca-key.pem is compared below
    for (const name of NODES) {
      const status = all[name].status;
      // what changed: the files whose current content differs from what the node holds (read from its folder)
      const changed: string[] = [];
      for (const f of status.files) if (sha(await storedFile(app, cluster, f.file)) !== held[name][f.file]) changed.push(f.file);
      expect(changed.length, name).toBeGreaterThan(0);
      expect(status.state, name).toBe('stale');
      expect(status.files.filter((f) => f.state === 'stale').map((f) => f.file).sort(), name).toEqual(changed.sort());
      expect(status.files.filter((f) => f.state !== 'stale').map((f) => f.file).sort(), name).toEqual(
        status.files.map((f) => f.file).filter((f) => !changed.includes(f)).sort(),
      );
      for (const f of status.files.filter((x) => x.state !== 'stale')) expect(f.state, `${name}/${f.file}`).toBe('in-sync');
      // the reason names the serial the node holds and when it was superseded
      const w = fileOf(status, status.files.find((f) => f.state === 'stale')!.file);
      const base = w.file.replace(/(-key)?\.pem$/, '');
      expect(w.reason!.serial).toBe(oldSerials[base]);
      expect(Date.parse(w.reason!.supersededAt!)).toBeGreaterThanOrEqual(Date.parse(iss.startedAt!));
      expect(Date.parse(w.reason!.supersededAt!)).toBeLessThanOrEqual(Date.parse(iss.finishedAt!));
      expect(newSerials[base]).not.toBe(oldSerials[base]);
      expect(w.reason!.message).toContain(oldSerials[base]);
    }
    expect(['ca.pem', 'ca-key.pem'].map((f) => fileOf(all.cp1.status, f).state)).toEqual(['in-sync', 'in-sync']);
    expect(all.lb.status.state).toBe('nothing-to-hold');
    expect(await connections(), 'no SSH connection was made to any node').toEqual(seen);
  });

  test('a later change of one certificate turns only its files stale, only on its node, without contacting any node', async () => {
    expect((await distribute()).status).toBe('succeeded');
    const seen = await connections();
    await reissueOne('worker1');
    const all = await nodes();
    expect(all.worker1.status.state).toBe('stale');
    // worker1.kubeconfig embeds the certificate and its key: it changed with them
    expect(all.worker1.status.files.filter((f) => f.state !== 'in-sync').map((f) => f.file).sort()).toEqual(['worker1-key.pem', 'worker1.kubeconfig', 'worker1.pem']);
    for (const name of ['cp1', 'cp2', 'worker2']) expect(all[name].status.state, name).toBe('in-sync');
    expect(await connections()).toEqual(seen);
  });

  test('drift reasons from a real look: another kpki file, a key chmod 0644, an earlier version, a deleted file, unknown content; one redistribution mends all', async () => {
    expect((await distribute()).status).toBe('succeeded');
    // an earlier version of worker2.pem, kept aside before a change of worker2
    const earlier = fs.readFileSync(path.join(dirOf('worker2'), 'worker2.pem'));
    const earlierSerial = (await certificates()).worker2;
    await reissueOne('worker2');
    expect((await distribute()).status).toBe('succeeded');

    const w1 = dirOf('worker1');
    fs.copyFileSync(path.join(w1, 'kube-proxy.pem'), path.join(w1, 'worker1.pem')); // another kpki file
    fs.chmodSync(path.join(w1, 'worker1-key.pem'), 0o644); // the key readable by all
    fs.rmSync(path.join(w1, 'ca.pem')); // deleted
    fs.writeFileSync(path.join(dirOf('worker2'), 'worker2.pem'), earlier); // an earlier version
    fs.writeFileSync(path.join(dirOf('worker2'), 'kube-proxy-key.pem'), 'not a key\n', { mode: 0o600 }); // unknown content

    const s1 = (await post('/nodes/worker1/verify')).json() as NodeStatus;
    expect(s1.state).toBe('foreign');
    expect(fileOf(s1, 'worker1.pem')).toMatchObject({ state: 'foreign', reason: { is: 'kube-proxy.pem', message: 'this is kube-proxy.pem, not worker1.pem' } });
    expect(fileOf(s1, 'worker1-key.pem')).toMatchObject({
      state: 'mode', remoteMode: '0644',
      reason: { security: true, message: 'worker1-key.pem is 0644: readable by every user on the node; expected 0600' },
    });
    expect(fileOf(s1, 'ca.pem')).toMatchObject({ state: 'missing', remoteSha256: null, reason: { message: 'ca.pem is not on the node' } });
    expect(fileOf(s1, 'kube-proxy.pem').state).toBe('in-sync');

    const s2 = (await post('/nodes/worker2/verify')).json() as NodeStatus;
    expect(s2.state).toBe('foreign');
    expect(fileOf(s2, 'worker2.pem')).toMatchObject({ state: 'stale', reason: { serial: earlierSerial, supersededAt: expect.any(String) } });
    expect(fileOf(s2, 'worker2.pem').reason!.message).toMatch(new RegExp(`^an earlier version of worker2.pem \\(serial ${earlierSerial}, superseded \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\)$`));
    expect(fileOf(s2, 'kube-proxy-key.pem')).toMatchObject({ state: 'foreign', reason: { message: 'kube-proxy-key.pem holds content kpki never issued' } });
    expect(fileOf(s2, 'kube-proxy-key.pem').reason!.is).toBeUndefined();

    const mend = await distribute();
    expect(mend.status).toBe('succeeded');
    const uploaded = mend.result!.nodes as Record<string, { uploaded: string[] }>;
    expect(uploaded.worker1.uploaded.sort()).toEqual(['ca.pem', 'worker1-key.pem', 'worker1.pem']);
    expect(uploaded.worker2.uploaded.sort()).toEqual(['kube-proxy-key.pem', 'worker2.pem']);
    const all = await nodes();
    for (const name of NODES) expect(all[name].status.state, name).toBe('in-sync');
    expect(fs.statSync(path.join(w1, 'worker1-key.pem')).mode & 0o777).toBe(0o600);
  });

  test('verify all is a job that looks at every node it can reach; an old look is due again; a changed SSH target is not judged from the old look', async () => {
    expect((await nodes()).cp1.status.checkDue).toBe(false);
    shift = 11; // the default KPKI_VERIFY_AFTER_MINUTES is 10
    try {
      const due = await nodes();
      for (const name of NODES) expect(due[name].status.checkDue, name).toBe(true);
      expect(due.cp1.status.state).toBe('in-sync'); // still the last known state, with its age
      await app.deps.sshPool.closeIdle(); // connections kept from the jobs before: each look below is then one sshd accepts and counts
      const seen = await connections();
      const j = await job('/verifications');
      expect(j.status).toBe('succeeded');
      expect(j.type).toBe('verification');
      expect(j.result!.nodes).toMatchObject({ cp1: { state: 'in-sync' }, worker2: { state: 'in-sync' }, lb: { state: 'nothing-to-hold' } });
      const after = await connections();
      for (const name of NODES) expect(after[name], name).toBe(seen[name] + 1);
      for (const n of Object.values(await nodes())) expect(n.status.checkDue, n.name).toBe(false);
    } finally {
      shift = 0;
    }
    await putSsh('cp2', { remoteDir: fleet.node('cp1').remoteDir });
    expect((await get('/nodes/cp2/status')).state).toBe('not-checked');
    await putSsh('cp2');
    expect((await get('/nodes/cp2/status')).state).toBe('in-sync');
  });

  test('a node that stops answering is unreachable, and its files keep their last known states with their age', async () => {
    const last = (await get('/nodes/worker2/status')) as NodeStatus;
    await fleet.stopNode('worker2');
    try {
      const s = (await post('/nodes/worker2/verify')).json() as NodeStatus;
      expect(s).toMatchObject({ state: 'unreachable', error: { code: 'SSH_UNREACHABLE' } });
      expect(s.files.every((f) => f.state === 'in-sync')).toBe(true);
      expect(s.filesCheckedAt).toBe(last.filesCheckedAt); // the files' age: the last look that read them
      expect(s.checkedAt).not.toBe(last.checkedAt); // the state's age: the failed look
    } finally {
      await fleet.startNode('worker2');
    }
    expect(((await post('/nodes/worker2/verify')).json() as NodeStatus).state).toBe('in-sync');
  });
});
