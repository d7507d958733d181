/**
 * CA rotation without downtime, proven on a real two-member etcd 3.4 cluster (issue 13): each
 * member runs from the files kpki distributed over SSH into a fleet node's folder (cp1, cp2; peer
 * and client TLS, client certificate authentication on both), on loopback with free ports. The
 * rotation goes prepare -> restart members one at a time -> switch -> restart -> finalize ->
 * restart, as the restart order says, with the cluster healthy after each restart and the key
 * written before the rotation still there at the end.
 *
 * Quorum: a two-member cluster needs both members for a write, so while one member restarts
 * writes wait (etcd's arithmetic, not the rotation's); what the test shows is that every restarted
 * member rejoins the other one across the CA change (peer TLS with old and new certificates) and
 * the data is intact. A client that trusts only the old CA: Go clients (etcdctl) verify only the
 * chain the server sends, and kpki's leaves are single certificates, so such a client needs the
 * cross-signed CA as an intermediate; `openssl verify -CAfile old-ca.pem -untrusted
 * cross-signed.pem` accepts the member's new certificate that way and refuses it without.
 * Members are stopped by their own pids on success and failure.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { summariseRotation, type CaRotationStatus, type Job } from '@kpki/shared';
import { buildCatalog } from '@kpki/shared/catalog';
import { parse } from 'yaml';
import { certificateColumns, issueCertificate } from '../src/pki/index.ts';
import { reauth, tempDataDir, testApp, waitJob } from './helpers/app.ts';
import { fleetCluster, type FleetCluster } from './helpers/fleet-cluster.ts';
import { ETCD, ETCDCTL, etcdctl, startEtcd, type EtcdOptions } from './helpers/etcd.ts';
import { removeDir, requireTool, run, runOk, tmpDir, waitFor, type RunningProcess } from './helpers/tools.ts';
import { freePorts } from './support.ts';

const OPENSSL = '/usr/bin/openssl';
const MEMBERS = ['cp1', 'cp2'] as const;
const pems = (text: string) => text.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n/g) ?? [];

describe('a CA rotation under a running two-member etcd cluster', () => {
  let dataDir = '';
  let work = '';
  let app: Awaited<ReturnType<typeof testApp>>;
  let fc: FleetCluster;
  const members: Partial<Record<(typeof MEMBERS)[number], RunningProcess>> = {};
  const options: Partial<Record<(typeof MEMBERS)[number], EtcdOptions>> = {};
  let endpoints = '';
  /** the CA before the rotation, and the cross-signed new CA */
  let oldCaPem = '';
  let newCaPem = '';

  const file = (node: string, name: string) => path.join(fc.dirOf(node), name);
  const read = (node: string, name: string) => fs.readFileSync(file(node, name), 'utf8');
  /** the full answer, and the banner's summary (?view=summary) read after it: the full answer summarised */
  const rotation = async () => {
    const status = (await app.inject(fc.api('/ca-rotation'))).json() as CaRotationStatus;
    expect((await app.inject(fc.api('/ca-rotation?view=summary'))).json()).toEqual(summariseRotation(status));
    return status;
  };
  const post = (body: object) => app.inject({ method: 'POST', url: fc.api('/ca-rotation'), payload: body });
  const phase = async (body: object): Promise<Job> => {
    await reauth(app); // the switch writes ca-key.pem, every phase admin.kubeconfig: the CA key rule
    const res = await post(body);
    expect(res.statusCode, res.body).toBe(202);
    const job = await waitJob(app, res.json().jobId, 180_000);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    return job;
  };
  /** etcdctl against both members with a client certificate and a CA file (paths) */
  const ctl = (args: string[], auth: { cert: string; key: string; ca: string }, expectRefusal = false) =>
    etcdctl({ endpoints, cacert: auth.ca, cert: auth.cert, key: auth.key, args, expectRefusal });
  /** cp1's own files: its kubernetes.pem (the API server's client certificate to etcd) and ca.pem */
  const cp1Client = () => ({ cert: file('cp1', 'kubernetes.pem'), key: file('cp1', 'kubernetes-key.pem'), ca: file('cp1', 'ca.pem') });
  const healthy = async () => {
    const r = await ctl(['endpoint', 'health'], cp1Client());
    return r.code === 0;
  };
  const waitHealthy = (what: string) => waitFor(async () => {
    for (const m of MEMBERS) if (members[m]!.exited()) throw new Error(`etcd ${m} exited: ${members[m]!.output().slice(-1500)}`);
    return healthy();
  }, `the etcd cluster to be healthy ${what}`, { timeoutMs: 60_000, intervalMs: 300 });
  /** The restart order's first step: etcd members one at a time, healthy before the next. */
  const restartMembers = async (after: string) => {
    for (const m of MEMBERS) {
      await members[m]!.stop();
      members[m] = startEtcd(options[m]!);
      await waitHealthy(`after restarting ${m} (${after})`);
    }
  };
  /** The certificate a member presents to a new TLS connection (PEM). */
  const presented = async (port: number) => {
    const r = await runOk('bash', ['-o', 'pipefail', '-c',
      `${OPENSSL} s_client -connect 127.0.0.1:${port} -cert kubernetes.pem -key kubernetes-key.pem </dev/null 2>/dev/null | ${OPENSSL} x509`,
    ], { cwd: fc.dirOf('cp1'), timeoutMs: 20_000 });
    return r.stdout;
  };
  const verify = (args: string[]) => run(OPENSSL, ['verify', ...args], { cwd: work });
  const kubeconfigCas = (node: string, name: string) =>
    pems(Buffer.from(parse(read(node, name)).clusters[0].cluster['certificate-authority-data'], 'base64').toString('utf8'));

  beforeAll(async () => {
    for (const [f, pkg] of [[ETCD, 'etcd-server'], [ETCDCTL, 'etcd-client'], [OPENSSL, 'openssl']]) requireTool(f, pkg);
    dataDir = tempDataDir();
    work = await tmpDir('kpki-rotation-');
    app = await testApp(dataDir);
    // cp1, cp2 (etcd members), worker1 and the load balancer (holds nothing)
    fc = await fleetCluster(app, { change: (c) => (c.nodes = c.nodes.filter((n: { name: string }) => n.name !== 'worker2')), fleetNodes: ['cp1', 'cp2', 'worker1'], distribute: true });
    const ports = await freePorts(4);
    const peer = (i: number) => `https://127.0.0.1:${ports[2 * i + 1]}`;
    const initialCluster = MEMBERS.map((m, i) => `${m}=${peer(i)}`).join(',');
    MEMBERS.forEach((m, i) => {
      const tls = { cert: file(m, 'etcd.pem'), key: file(m, 'etcd-key.pem'), ca: file(m, 'ca.pem') };
      options[m] = { name: m, dataRoot: work, host: '127.0.0.1', clientPort: ports[2 * i], peerPort: ports[2 * i + 1], initialCluster, tls, peerTls: tls };
      members[m] = startEtcd(options[m]!);
    });
    endpoints = MEMBERS.map((_, i) => `https://127.0.0.1:${ports[2 * i]}`).join(',');
    await waitHealthy('at start');
    oldCaPem = read('cp1', 'ca.pem');
    // the old CA's client certificate, kept aside: after finalize nobody should accept it
    fs.copyFileSync(file('cp1', 'kubernetes.pem'), path.join(work, 'old-kubernetes.pem'));
    fs.copyFileSync(file('cp1', 'kubernetes-key.pem'), path.join(work, 'old-kubernetes-key.pem'));
    fs.writeFileSync(path.join(work, 'old-ca.pem'), oldCaPem);
  }, 180_000);
  afterAll(async () => {
    await Promise.all(MEMBERS.map((m) => members[m]?.stop()));
    await fc?.stop();
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    await removeDir(work);
  });

  const oldClient = () => ({ cert: path.join(work, 'old-kubernetes.pem'), key: path.join(work, 'old-kubernetes-key.pem'), ca: file('cp1', 'ca.pem') });

  test('before: the cluster is healthy and holds a key; a rotation without a CA is refused', async () => {
    expect(pems(oldCaPem)).toHaveLength(1);
    expect((await ctl(['put', '/kpki/before-rotation', 'kept'], cp1Client())).stdout.trim()).toBe('OK');
    const status = await rotation();
    expect(status).toMatchObject({ phase: 'none', newCa: null, next: ['prepare'] });
    expect(status.nodes.map((n) => [n.node, n.inStep])).toEqual([['cp1', true], ['cp2', true], ['lb', true], ['worker1', true]]);
    expect(status.restartOrder.map((s) => [s.component, s.nodes, s.command])).toEqual([
      ['etcd', ['cp1', 'cp2'], 'sudo systemctl restart etcd'],
      ['kube-apiserver', ['cp1', 'cp2'], 'sudo systemctl restart kube-apiserver'],
      ['kube-controller-manager and kube-scheduler', ['cp1', 'cp2'], 'sudo systemctl restart kube-controller-manager kube-scheduler'],
      ['kubelet and kube-proxy', ['worker1'], 'sudo systemctl restart kubelet kube-proxy'],
    ]);
    // another cluster without a CA
    const preset = (await app.inject('/api/v1/presets/hard-way')).json();
    expect((await app.inject({ method: 'POST', url: '/api/v1/clusters', payload: { ...preset, name: 'no-ca' } })).statusCode).toBe(201);
    const res = await app.inject({ method: 'POST', url: '/api/v1/clusters/no-ca/ca-rotation', payload: { phase: 'prepare' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'CA_NOT_FOUND', message: expect.stringContaining('no CA: there is nothing to rotate') });
    for (const p of ['switch', 'finalize', 'abort']) {
      const r = await post({ phase: p });
      expect(r.statusCode, p).toBe(409);
      expect(r.json().error.code).toBe('CA_ROTATION_NOT_STARTED');
    }
  });

  test('prepare: every node trusts old + new (old first, still signing); switch is refused until every node holds them, naming the node', async () => {
    const job = await phase({ phase: 'prepare' }); // without distribute: nothing is written yet
    expect(job.log.map((l) => l.message).join('\n')).toMatch(/1\. etcd, one node at a time: on cp1, cp2: sudo systemctl restart etcd; then check: /);
    const status = await rotation();
    expect(status.phase).toBe('prepared');
    expect(status.oldCa!.signing).toBe(true);
    expect(status.newCa!.signing).toBe(false);
    expect(status.newCa!.serial).not.toBe(status.oldCa!.serial);
    // judged at read time: the phase says what nodes must hold, nothing was written
    expect(status.nodes.filter((n) => !n.inStep).map((n) => n.node)).toEqual(['cp1', 'cp2', 'worker1']);
    expect(status.nodes.find((n) => n.node === 'cp1')!.notInStep).toContain('ca.pem stale');
    const refused = await post({ phase: 'switch' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('NODES_NOT_IN_STEP');
    expect(refused.json().error.message).toMatch(/cannot switch: node cp1 is not in step with the prepared phase \(ca\.pem stale/);
    expect(refused.json().error.details.nodes).toEqual(['cp1', 'cp2', 'worker1']);
    const finalizeEarly = await post({ phase: 'finalize' });
    expect(finalizeEarly.json().error.code).toBe('CA_ROTATION_PHASE');

    // run prepare again with distribute: the same new CA, its files written
    const again = await phase({ phase: 'prepare', distribute: true });
    expect(again.result).toMatchObject({ again: true, phase: 'prepared' });
    expect((await rotation()).newCa!.serial).toBe(status.newCa!.serial);
    const uploaded = (again.result!.nodes as Record<string, { uploaded: string[] }>);
    expect(uploaded.cp1.uploaded.sort()).toEqual(['admin.kubeconfig', 'ca.pem', 'kube-controller-manager.kubeconfig', 'kube-scheduler.kubeconfig']);
    expect(uploaded.worker1.uploaded.sort()).toEqual(['ca.pem', 'kube-proxy.kubeconfig', 'worker1.kubeconfig']);
    for (const node of ['cp1', 'cp2', 'worker1']) {
      const bundle = pems(read(node, 'ca.pem'));
      expect(bundle, node).toHaveLength(2);
      expect(bundle[0]).toBe(oldCaPem); // the signing CA first: ca-key.pem is its key
    }
    expect(read('cp1', 'ca-key.pem')).toBe((await app.inject(fc.api('/certificates/ca/key.pem'))).body);
    newCaPem = pems(read('cp1', 'ca.pem'))[1];
    fs.writeFileSync(path.join(work, 'new-ca.pem'), newCaPem);
    // the kubeconfigs carry both CAs
    expect(kubeconfigCas('worker1', 'worker1.kubeconfig')).toEqual([oldCaPem, newCaPem]);
    expect(kubeconfigCas('cp1', 'admin.kubeconfig')).toEqual([oldCaPem, newCaPem]);
    expect((await rotation()).nodes.every((n) => n.inStep)).toBe(true);
    // the link check reads the nodes' two-CA ca.pem as the bundle kpki wrote, and every link works from it
    const deployed = (await app.inject(fc.api('/links?source=deployed'))).json();
    expect(deployed.edges.flatMap((e: { reasons: unknown[] }) => e.reasons)).toEqual([]);
    expect(deployed.summary.fails).toBe(0);

    // a node whose ca.pem goes back to the old CA alone: switch names it (and only it)
    fs.writeFileSync(file('cp2', 'ca.pem'), oldCaPem);
    expect((await fc.verify('cp2')).state).toBe('stale');
    const named = await post({ phase: 'switch' });
    expect(named.json().error.message).toMatch(/^cannot switch: node cp2 is not in step with the prepared phase \(ca\.pem stale\)/);
    expect(named.json().error.details.nodes).toEqual(['cp2']);
    await phase({ phase: 'prepare', distribute: true });
    expect((await rotation()).nodes.every((n) => n.inStep)).toBe(true);
  }, 240_000);

  test('after prepare and a rolling restart: healthy; the old kubernetes.pem and a client certificate of the new CA are both accepted', async () => {
    await restartMembers('prepare');
    expect((await ctl(['put', '/kpki/old-client', 'ok'], oldClient())).stdout.trim()).toBe('OK');
    // a client certificate issued by the new CA (its key read from kpki's store, as the switch will use it)
    const r = app.deps.caRotations.active(app.deps.clusters.get(fc.cluster)!.id)!;
    const planned = buildCatalog(app.deps.clusters.get(fc.cluster)!.input).find((c) => c.name === 'kubernetes')!;
    const client = await issueCertificate({ ca: { certPem: r.newCaPem, keyPem: app.deps.caRotations.newCaKeyPem(r) }, planned, subject: app.deps.clusters.get(fc.cluster)!.input.subject, algorithm: 'rsa-2048', validityHours: 24, now: new Date() });
    fs.writeFileSync(path.join(work, 'new-client.pem'), client.certPem);
    fs.writeFileSync(path.join(work, 'new-client-key.pem'), client.keyPem, { mode: 0o600 });
    expect((await verify(['-CAfile', 'new-ca.pem', 'new-client.pem'])).stdout).toContain('OK');
    const newClient = { cert: path.join(work, 'new-client.pem'), key: path.join(work, 'new-client-key.pem'), ca: file('cp1', 'ca.pem') };
    expect((await ctl(['put', '/kpki/new-client', 'ok'], newClient)).stdout.trim()).toBe('OK');
    // the cross-signed new CA: issued by the old CA, same subject and key as the new one
    const cross = await app.inject(fc.api('/ca-rotation/cross-signed.pem'));
    expect(cross.statusCode).toBe(200);
    expect(cross.headers['content-disposition']).toBe(`attachment; filename="${fc.cluster}-ca-cross-signed.pem"`);
    fs.writeFileSync(path.join(work, 'cross-signed.pem'), cross.body);
    const x = new crypto.X509Certificate(cross.body);
    const n = new crypto.X509Certificate(newCaPem);
    expect(x.subject).toBe(n.subject);
    expect(x.publicKey.export({ type: 'spki', format: 'der' }).equals(n.publicKey.export({ type: 'spki', format: 'der' }))).toBe(true);
    expect(x.verify(new crypto.X509Certificate(oldCaPem).publicKey)).toBe(true);
    expect((await verify(['-CAfile', 'old-ca.pem', 'cross-signed.pem'])).stdout).toContain('cross-signed.pem: OK');
  }, 240_000);

  test('switch: a second rotation is refused while one runs; every leaf by the new CA, which signs; trust stays both', async () => {
    // two requests at once: one job runs, the other is refused
    await reauth(app);
    const [a, b] = await Promise.all([post({ phase: 'switch', distribute: true }), post({ phase: 'switch', distribute: true })]);
    const accepted = [a, b].filter((r) => r.statusCode === 202);
    const refused = [a, b].filter((r) => r.statusCode === 409);
    expect(accepted).toHaveLength(1);
    expect(refused[0].json().error.code).toBe('CA_ROTATION_RUNNING');
    expect(refused[0].json().error.message).toMatch(/a CA rotation job of cluster "hard-way" is still (queued|running) \(phase switch/);
    const job = await waitJob(app, accepted[0].json().jobId, 180_000);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    const status = await rotation();
    expect(status.phase).toBe('switched');
    expect(status.newCa!.signing).toBe(true);
    expect(status.nodes.every((n) => n.inStep)).toBe(true);
    const second = await post({ phase: 'prepare' });
    expect(second.statusCode).toBe(409);
    expect(second.json().error).toMatchObject({ code: 'CA_ROTATION_IN_PROGRESS', message: expect.stringContaining('already in progress, switched') });
    for (const node of ['cp1', 'cp2', 'worker1']) expect(pems(read(node, 'ca.pem')), node).toEqual([newCaPem, oldCaPem]);
    expect(kubeconfigCas('worker1', 'worker1.kubeconfig')).toEqual([newCaPem, oldCaPem]);
    // the signing pair is the new CA's; the leaves are the new CA's; the service-account key was kept
    expect(read('cp1', 'ca-key.pem')).toBe((await app.inject(fc.api('/certificates/ca/key.pem'))).body);
    fs.writeFileSync(path.join(work, 'cp1-ca-key.pem'), read('cp1', 'ca-key.pem'));
    const signs = crypto.createPublicKey(crypto.createPrivateKey(read('cp1', 'ca-key.pem'))).export({ type: 'spki', format: 'der' });
    expect(signs.equals(new crypto.X509Certificate(newCaPem).publicKey.export({ type: 'spki', format: 'der' }))).toBe(true);
    for (const leaf of ['etcd.pem', 'kubernetes.pem', 'service-account.pem']) {
      expect((await verify(['-CAfile', path.join(work, 'new-ca.pem'), file('cp1', leaf)])).stdout, leaf).toContain('OK');
    }
    expect((await verify(['-CAfile', path.join(work, 'new-ca.pem'), file('worker1', 'worker1.pem')])).stdout).toContain('OK');
  }, 240_000);

  test('after switch and a rolling restart: healthy; members present new-CA certificates; an old-CA-only client verifies them through the cross-signed CA', async () => {
    await restartMembers('switch');
    for (const [i, m] of MEMBERS.entries()) {
      const port = options[m]!.clientPort;
      const served = await presented(port);
      fs.writeFileSync(path.join(work, `served-${i}.pem`), served);
      expect(served).toBe(read(m, 'etcd.pem'));
      expect((await verify(['-CAfile', 'new-ca.pem', `served-${i}.pem`])).stdout).toContain('OK');
      // trusting the old CA alone: verified through the cross-signed copy of the new CA ...
      expect((await verify(['-CAfile', 'old-ca.pem', '-untrusted', 'cross-signed.pem', `served-${i}.pem`])).stdout).toContain(`served-${i}.pem: OK`);
      // ... and not without it
      expect((await verify(['-CAfile', 'old-ca.pem', `served-${i}.pem`])).code).not.toBe(0);
    }
    // the old client certificate is still accepted (trust is both until finalize)
    expect((await ctl(['put', '/kpki/old-client', 'still'], oldClient())).stdout.trim()).toBe('OK');
  }, 240_000);

  test('finalize and a rolling restart: trust the new CA alone; an old-CA client is rejected (unknown authority), new ones work, the early key is there', async () => {
    await phase({ phase: 'finalize', distribute: true });
    const status = await rotation();
    expect(status).toMatchObject({ phase: 'none', newCa: null, crossSigned: false });
    expect(status.oldCa!.serial).toBe(certificateColumns(newCaPem).serial);
    expect(status.history[0]).toMatchObject({ status: 'finalized', phase: 'switched' });
    for (const node of ['cp1', 'cp2', 'worker1']) expect(pems(read(node, 'ca.pem')), node).toEqual([newCaPem]);
    expect(kubeconfigCas('worker1', 'worker1.kubeconfig')).toEqual([newCaPem]);
    expect(kubeconfigCas('cp1', 'admin.kubeconfig')).toEqual([newCaPem]);
    // the old CA is kept in the history, retired
    const id = app.deps.clusters.get(fc.cluster)!.id;
    const oldSerial = certificateColumns(oldCaPem).serial;
    expect(status.history[0].oldCaSerial).toBe(oldSerial);
    expect(app.deps.certificates.getBySerial(id, 'ca', oldSerial)!.status).toBe('retired');
    await restartMembers('finalize');
    const log = members.cp1!.output().length;
    const log2 = members.cp2!.output().length;
    const refused = await ctl(['put', '/kpki/old-client', 'late'], oldClient(), true);
    expect(refused.code).not.toBe(0);
    const said = members.cp1!.output().slice(log) + members.cp2!.output().slice(log2);
    expect(said).toMatch(/rejected connection.*certificate signed by unknown authority/);
    expect((await ctl(['put', '/kpki/after-rotation', 'ok'], cp1Client())).stdout.trim()).toBe('OK');
    expect((await ctl(['get', '/kpki/before-rotation', '--print-value-only'], cp1Client())).stdout.trim()).toBe('kept');
  }, 240_000);

  test('abort after prepare restores the single CA on every node; abort run again only writes its files again', async () => {
    const before = read('cp1', 'ca.pem');
    await phase({ phase: 'prepare', distribute: true });
    expect(pems(read('cp2', 'ca.pem'))).toHaveLength(2);
    await phase({ phase: 'abort', distribute: true });
    for (const node of ['cp1', 'cp2', 'worker1']) expect(read(node, 'ca.pem'), node).toBe(before);
    expect(kubeconfigCas('worker1', 'worker1.kubeconfig')).toEqual([before]);
    const status = await rotation();
    expect(status.phase).toBe('none');
    expect(status.nodes.every((n) => n.inStep)).toBe(true);
    expect(status.history.map((h) => h.status)).toEqual(['aborted', 'finalized']);
    const again = await phase({ phase: 'abort', distribute: true });
    expect(again.result).toMatchObject({ again: true, phase: 'none' });
    expect(Object.values(again.result!.nodes as Record<string, { uploaded: string[] }>).flatMap((n) => n.uploaded)).toEqual([]);
    await restartMembers('abort');
    expect((await ctl(['get', '/kpki/before-rotation', '--print-value-only'], cp1Client())).stdout.trim()).toBe('kept');
  }, 240_000);

  test('abort after switch goes back to prepared (every leaf by the old CA, which signs again), a second abort to the old CA alone; healthy after each restart', async () => {
    const current = read('cp1', 'ca.pem');
    fs.writeFileSync(path.join(work, 'current-ca.pem'), current);
    await phase({ phase: 'prepare', distribute: true });
    await restartMembers('prepare, second rotation');
    await phase({ phase: 'switch', distribute: true });
    const rotated = pems(read('cp1', 'ca.pem'))[0];
    expect(rotated).not.toBe(current);
    await restartMembers('switch, second rotation');
    const back = await phase({ phase: 'abort', distribute: true });
    expect(back.result).toMatchObject({ phase: 'prepared' });
    expect((await rotation()).phase).toBe('prepared');
    for (const node of ['cp1', 'cp2', 'worker1']) expect(pems(read(node, 'ca.pem')), node).toEqual([current, rotated]);
    expect(read('cp1', 'ca-key.pem')).toBe((await app.inject(fc.api('/certificates/ca/key.pem'))).body);
    expect((await verify(['-CAfile', 'current-ca.pem', file('cp2', 'etcd.pem')])).stdout).toContain('OK');
    await restartMembers('abort after switch');
    await phase({ phase: 'abort', distribute: true });
    for (const node of ['cp1', 'cp2', 'worker1']) expect(read(node, 'ca.pem'), node).toBe(current);
    expect(kubeconfigCas('cp1', 'kube-scheduler.kubeconfig')).toEqual([current]);
    await restartMembers('second abort');
    expect((await rotation()).nodes.every((n) => n.inStep)).toBe(true);
    expect((await ctl(['get', '/kpki/before-rotation', '--print-value-only'], cp1Client())).stdout.trim()).toBe('kept');
  }, 300_000);
});
