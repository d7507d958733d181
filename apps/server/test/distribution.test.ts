/** Distribution of the preset to real OpenSSH sshd nodes on loopback (scripts/fleet.ts). */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Job, NodeStatus } from '@kpki/shared';
import { fleetConnections, startFleet, type Fleet } from './support.ts';
import { authHeaders, issuedCluster, reauth, tempDataDir, testApp, waitJob } from './helpers/app.ts';
import { renewCertificate } from './helpers/renew.ts';
import { storedFile } from './helpers/stored-files.ts';

const sha = (b: Buffer | string) => crypto.createHash('sha256').update(b).digest('hex');

describe('distribution to a fleet of real sshd nodes', () => {
  let dataDir = '';
  let app: FastifyInstance;
  let fleet: Fleet;
  let cluster: string;
  const api = (url: string) => `/api/v1/clusters/${cluster}${url}`;
  const get = async (url: string) => (await app.inject(api(url))).json();
  const post = async (url: string, payload?: object) => app.inject({ method: 'POST', url: api(url), ...(payload ? { payload } : {}) });
  // the admin re-enters the password first: control-plane targets and ca-key.pem need it (the CA key rule)
  const distribute = async (url = '/distributions', payload?: object): Promise<Job> => {
    await reauth(app);
    const res = await post(url, payload);
    expect(res.statusCode, res.body).toBe(202);
    return waitJob(app, res.json().jobId);
  };
  const dirOf = (node: string) => fleet.node(node).remoteDir;
  const filesOn = (node: string) => fs.readdirSync(dirOf(node)).sort();
  const mtimes = (node: string) => Object.fromEntries(filesOn(node).map((f) => [f, fs.statSync(path.join(dirOf(node), f)).mtimeMs]));
  const setSsh = async (node: string, ssh: object) => {
    await reauth(app);
    const res = await app.inject({ method: 'PUT', url: api(`/nodes/${node}/ssh`), payload: ssh });
    expect(res.statusCode, res.body).toBe(200);
  };
  const pin = (node: string, over: object = {}) => {
    const n = fleet.node(node);
    return setSsh(node, { host: n.host, port: n.port, user: fleet.user, remoteDir: n.remoteDir, hostKey: n.hostKeyFingerprint, ...over });
  };

  beforeAll(async () => {
    dataDir = tempDataDir();
    app = await testApp(dataDir);
    cluster = await issuedCluster(app);
    const key = await get('/ssh-key');
    fleet = await startFleet({ nodes: ['cp1', 'cp2', 'worker1', 'worker2', 'lb'].map((name) => ({ name })), authorizedKeys: [key.publicKey] });
  });
  afterAll(async () => {
    await fleet?.stop();
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('a node without a host is not-configured, and the host-key scan pins nothing', async () => {
    const status = (await get('/nodes/cp1/status')) as NodeStatus;
    expect(status.state).toBe('not-configured');
    const n = fleet.node('cp1');
    await setSsh('cp1', { host: n.host, port: n.port, user: fleet.user, remoteDir: n.remoteDir });
    const scan = await post('/nodes/cp1/host-key-scan');
    expect(scan.json()).toMatchObject({ host: n.host, port: n.port, fingerprint: n.hostKeyFingerprint, keyType: 'ssh-ed25519' });
    const nodes = (await get('/nodes')).items;
    expect(nodes.find((x: { name: string }) => x.name === 'cp1').ssh.hostKey).toBeUndefined();
    const verify = (await post('/nodes/cp1/verify')).json() as NodeStatus;
    expect(verify.error?.code).toBe('SSH_HOST_KEY_NOT_PINNED');
    expect(filesOn('cp1')).toEqual([]);
  });

  test('distribution gives each node exactly its files, with modes and hashes of the store', async () => {
    for (const n of fleet.nodes) await pin(n.name);
    const seen = await fleetConnections(fleet);
    const job = await distribute();
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    // the load balancer holds nothing: configured and pinned, it is not even contacted
    expect(filesOn('lb')).toEqual([]);
    expect((await fleetConnections(fleet)).lb, 'no SSH connection to the load balancer').toBe(seen.lb);
    const cpPems = ['ca-key.pem', 'ca.pem', 'etcd-key.pem', 'etcd.pem', 'kube-controller-manager-key.pem', 'kube-controller-manager.pem',
      'kube-scheduler-key.pem', 'kube-scheduler.pem', 'kubernetes-key.pem', 'kubernetes.pem', 'service-account-key.pem', 'service-account.pem'];
    const cpFiles = [...cpPems, 'admin.kubeconfig', 'encryption-config.yaml', 'kube-controller-manager.kubeconfig', 'kube-scheduler.kubeconfig'].sort();
    const pems = (node: string) => filesOn(node).filter((f) => f.endsWith('.pem'));
    // the tutorial's checkpoints (ls ~/*.pem): 12 on a control-plane node, 5 on a worker; plus 3 kubeconfigs
    // and the encryption config, or 2 kubeconfigs
    expect(pems('cp1')).toEqual(cpPems);
    expect(filesOn('cp1')).toEqual(cpFiles);
    expect(filesOn('cp2')).toEqual(cpFiles);
    expect(pems('worker1')).toHaveLength(5);
    expect(filesOn('worker1')).toEqual(['ca.pem', 'kube-proxy-key.pem', 'kube-proxy.kubeconfig', 'kube-proxy.pem', 'worker1-key.pem', 'worker1.kubeconfig', 'worker1.pem']);
    expect(filesOn('worker2')).toEqual(['ca.pem', 'kube-proxy-key.pem', 'kube-proxy.kubeconfig', 'kube-proxy.pem', 'worker2-key.pem', 'worker2.kubeconfig', 'worker2.pem']);
    await reauth(app); // ca-key.pem and admin.kubeconfig are read back below
    for (const n of fleet.nodes) {
      for (const f of filesOn(n.name)) {
        const st = fs.statSync(path.join(dirOf(n.name), f));
        const secret = f.endsWith('-key.pem') || f.endsWith('.kubeconfig') || f === 'encryption-config.yaml';
        expect(st.mode & 0o777, `${n.name}/${f}`).toBe(secret ? 0o600 : 0o644);
        expect(sha(fs.readFileSync(path.join(dirOf(n.name), f))), `${n.name}/${f}`).toBe(sha(await storedFile(app, cluster, f)));
      }
      expect(filesOn(n.name).some((f) => f.startsWith('admin') && f !== 'admin.kubeconfig')).toBe(false);
    }
    for (const w of ['worker1', 'worker2']) {
      expect(filesOn(w)).not.toContain('ca-key.pem');
      expect(filesOn(w)).not.toContain('admin.kubeconfig');
      const other = w === 'worker1' ? 'worker2' : 'worker1';
      expect(filesOn(w)).not.toContain(`${other}-key.pem`);
      expect(filesOn(w)).not.toContain(`${other}.kubeconfig`);
    }
    // the encryption config is the same file, byte for byte, on every control-plane node
    const enc = (node: string) => fs.readFileSync(path.join(dirOf(node), 'encryption-config.yaml'));
    expect(enc('cp1').equals(enc('cp2'))).toBe(true);
    expect(enc('cp1').toString()).toContain('aescbc');
    const nodes = (await get('/nodes')).items as Array<{ name: string; expectedFiles: number; status: NodeStatus }>;
    const byName = Object.fromEntries(nodes.map((n) => [n.name, n]));
    expect(byName.cp1.status.state).toBe('in-sync');
    expect(byName.cp1.expectedFiles).toBe(16);
    expect(byName.worker2.expectedFiles).toBe(7);
    expect(byName.lb.expectedFiles).toBe(0);
    expect(byName.lb.status.state).toBe('nothing-to-hold');
  });

  test('renewing worker1 turns worker1 stale for worker1.pem, its key and worker1.kubeconfig without contacting any node; redistribution brings it back in sync', async () => {
    const seen = await fleetConnections(fleet);
    // renewed twice through the renewal route (no distribution), nothing read in between: the node holds the version before both
    await renewCertificate(app, cluster, 'worker1');
    await renewCertificate(app, cluster, 'worker1');
    // read, not verified: the state is judged from the last look (the distribution's) against the new files
    const status = (await get('/nodes/worker1/status')) as NodeStatus;
    expect(status.state).toBe('stale');
    const states = Object.fromEntries(status.files.map((f) => [f.file, f.state]));
    expect(states).toEqual({
      'ca.pem': 'in-sync', 'worker1.pem': 'stale', 'worker1-key.pem': 'stale', 'kube-proxy.pem': 'in-sync', 'kube-proxy-key.pem': 'in-sync',
      'worker1.kubeconfig': 'stale', 'kube-proxy.kubeconfig': 'in-sync',
    });
    // the expected worker1.kubeconfig is the one that embeds the new certificate; the node's is the earlier version
    const kubeconfig = status.files.find((f) => f.file === 'worker1.kubeconfig')!;
    const pem = status.files.find((f) => f.file === 'worker1.pem')!;
    expect(kubeconfig.expectedSha256).toBe(sha(await storedFile(app, cluster, 'worker1.kubeconfig')));
    expect(kubeconfig.remoteSha256).toBe(sha(fs.readFileSync(path.join(dirOf('worker1'), 'worker1.kubeconfig'))));
    expect(kubeconfig.reason!.message).toMatch(/^an earlier version of worker1\.kubeconfig \(superseded \d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/);
    // superseded when the certificate it embeds was (the first renewal), not when a later version was first rendered
    const versions = ((await get('/certificates?status=all')).items as Array<{ name: string; serial: string }>).filter((c) => c.name === 'worker1');
    expect(versions).toHaveLength(3);
    expect(pem.reason!.serial).toBe(versions[2].serial);
    expect(kubeconfig.reason!.supersededAt).toBe(pem.reason!.supersededAt);
    const nodes = (await get('/nodes')).items as Array<{ name: string; status: NodeStatus }>;
    for (const n of nodes.filter((x) => x.name !== 'worker1')) expect(n.status.state, n.name).toMatch(/^(in-sync|nothing-to-hold)$/);
    expect(await fleetConnections(fleet), 'no SSH connection was made to any node').toEqual(seen);
    const job = await distribute('/nodes/worker1/distribute');
    expect(job.status).toBe('succeeded');
    expect((job.result!.nodes as Record<string, { uploaded: string[] }>).worker1.uploaded.sort()).toEqual(['worker1-key.pem', 'worker1.kubeconfig', 'worker1.pem']);
    expect(((await post('/nodes/worker1/verify')).json() as NodeStatus).state).toBe('in-sync');
    const onNode = fs.readFileSync(path.join(dirOf('worker1'), 'worker1.kubeconfig'), 'utf8');
    const cert = (await app.inject(api('/certificates/worker1/cert.pem'))).body;
    expect(onNode.includes(Buffer.from(cert).toString('base64'))).toBe(true);
  });

  test('a second distribution with nothing changed uploads no file', async () => {
    const before = mtimes('cp1');
    const job = await distribute();
    expect(job.status).toBe('succeeded');
    const nodes = job.result!.nodes as Record<string, { uploaded: string[] }>;
    for (const [name, o] of Object.entries(nodes)) expect(o.uploaded, name).toEqual([]);
    expect(mtimes('cp1')).toEqual(before);
  });

  test('redistributing one node repairs it and touches no other node', async () => {
    fs.writeFileSync(path.join(dirOf('worker1'), 'kube-proxy.pem'), 'not the certificate\n');
    fs.rmSync(path.join(dirOf('worker1'), 'worker1.pem'));
    fs.writeFileSync(path.join(dirOf('worker1'), 'someone-elses.pem'), 'x');
    const status = (await post('/nodes/worker1/verify')).json() as NodeStatus;
    expect(status.state).toBe('foreign');
    expect(status.files.find((f) => f.file === 'kube-proxy.pem')!.state).toBe('foreign');
    expect(status.files.find((f) => f.file === 'worker1.pem')!.state).toBe('missing');
    expect(status.otherFiles).toEqual(['someone-elses.pem']);
    const others = Object.fromEntries(['cp1', 'cp2', 'worker2'].map((n) => [n, mtimes(n)]));

    const job = await distribute('/nodes/worker1/distribute');
    expect(job.status).toBe('succeeded');
    expect((job.result!.nodes as Record<string, { uploaded: string[] }>).worker1.uploaded.sort()).toEqual(['kube-proxy.pem', 'worker1.pem']);
    expect(new Set(job.log.filter((l) => l.node).map((l) => l.node))).toEqual(new Set(['worker1']));
    expect(((await post('/nodes/worker1/verify')).json() as NodeStatus).state).toBe('in-sync');
    for (const n of ['cp1', 'cp2', 'worker2']) expect(mtimes(n), n).toEqual(others[n]);
    expect(filesOn('worker1')).toContain('someone-elses.pem');
  });

  test('after a re-issue the nodes are stale until redistributed', async () => {
    const iss = await waitJob(app, (await post('/issuances')).json().jobId);
    expect(iss.status).toBe('succeeded');
    const status = (await post('/nodes/cp2/verify')).json() as NodeStatus;
    expect(status.state).toBe('stale');
    // every certificate, key and kubeconfig is new; the CA and the encryption config are kept
    expect(status.files.filter((f) => f.state !== 'stale').map((f) => f.file).sort()).toEqual(['ca-key.pem', 'ca.pem', 'encryption-config.yaml']);
    expect((await distribute()).status).toBe('succeeded');
    expect(((await post('/nodes/cp2/verify')).json() as NodeStatus).state).toBe('in-sync');
  });

  test('two redistributions of the same node at once: the second waits and finds nothing to write', async () => {
    fs.rmSync(path.join(dirOf('cp1'), 'etcd.pem'));
    const [a, b] = await Promise.all([post('/nodes/cp1/distribute'), post('/nodes/cp1/distribute')]);
    const [ja, jb] = await Promise.all([waitJob(app, a.json().jobId), waitJob(app, b.json().jobId)]);
    const uploaded = [ja, jb].map((j) => (j.result!.nodes as Record<string, { uploaded: string[] }>).cp1.uploaded);
    expect(uploaded.flat()).toEqual(['etcd.pem']);
  });

  test('a stopped node ends unreachable while the others succeed', async () => {
    fs.rmSync(path.join(dirOf('worker1'), 'ca.pem'));
    await fleet.stopNode('worker2');
    try {
      const job = await distribute();
      expect(job.status).toBe('failed');
      const nodes = job.result!.nodes as Record<string, { state: string; error?: { code: string; message: string } }>;
      expect(nodes.worker2.state).toBe('unreachable');
      expect(nodes.worker2.error!.code).toBe('SSH_UNREACHABLE');
      expect(nodes.worker1.state).toBe('in-sync');
      expect(filesOn('worker1')).toContain('ca.pem');
      expect(((await get('/nodes/worker2/status')) as NodeStatus).state).toBe('unreachable');
    } finally {
      await fleet.startNode('worker2');
    }
  });

  test('a node whose host key differs from the pinned one is refused and receives nothing', async () => {
    fs.rmSync(path.join(dirOf('cp2'), 'ca.pem'));
    await pin('cp2', { hostKey: fleet.node('cp1').hostKeyFingerprint });
    try {
      const job = await distribute('/nodes/cp2/distribute');
      expect(job.status).toBe('failed');
      const o = (job.result!.nodes as Record<string, { error: { code: string; message: string } }>).cp2;
      expect(o.error.code).toBe('SSH_HOST_KEY_MISMATCH');
      expect(filesOn('cp2')).not.toContain('ca.pem');
    } finally {
      await pin('cp2');
    }
  });

  test('a remote folder without write permission gives an error naming the node and the path', async () => {
    const locked = path.join(fleet.baseDir, 'locked');
    fs.mkdirSync(locked, { mode: 0o555 });
    fs.chmodSync(locked, 0o555);
    await pin('worker2', { remoteDir: locked });
    try {
      const job = await distribute('/nodes/worker2/distribute');
      expect(job.status).toBe('failed');
      const o = (job.result!.nodes as Record<string, { error: { code: string; message: string } }>).worker2;
      expect(o.error.code).toBe('SSH_WRITE_FAILED');
      expect(o.error.message).toContain('worker2');
      expect(o.error.message).toContain(locked);
      expect(fs.readdirSync(locked)).toEqual([]);
    } finally {
      await pin('worker2');
    }
  });

  test('the event stream of a job is read to its end over a real socket', async () => {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as { port: number }).port;
    fs.rmSync(path.join(dirOf('worker2'), 'kube-proxy.pem'));
    await reauth(app);
    const { jobId } = (await post('/distributions')).json();
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/jobs/${jobId}/events`, { headers: authHeaders.get(app)! });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await res.text();
    const events = text.split('\n\n').filter((b) => b.startsWith('event:')).map((b) => {
      const [ev, data] = b.split('\n');
      return { event: ev.slice(7), data: JSON.parse(data.slice(6)) };
    });
    expect(events.at(-1)!.event).toBe('end');
    expect(events.at(-1)!.data.status).toBe('succeeded');
    expect(events.some((e) => e.event === 'log' && e.data.node === 'worker2' && e.data.message.includes('kube-proxy.pem'))).toBe(true);
    expect(events.some((e) => e.event === 'progress')).toBe(true);
    // each node once as it is through, with the outcome the final result holds
    const nodeEvents = events.filter((e) => e.event === 'node');
    expect(nodeEvents.map((e) => e.data.node).sort()).toEqual(['cp1', 'cp2', 'lb', 'worker1', 'worker2']);
    for (const e of nodeEvents) expect(e.data.outcome).toEqual(events.at(-1)!.data.result.nodes[e.data.node]);
    expect(nodeEvents.find((e) => e.data.node === 'worker2')!.data.outcome.uploaded).toEqual(['kube-proxy.pem']);
  });
});
