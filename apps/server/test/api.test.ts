import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { authHeaders, issuedCluster, reauth, tempDataDir, testApp, waitJob } from './helpers/app.ts';
import { untar } from './helpers/untar.ts';

describe('HTTP API on the tutorial preset', () => {
  let dataDir = '';
  let app: FastifyInstance;
  let cluster: string;

  beforeAll(async () => {
    dataDir = tempDataDir();
    app = await testApp(dataDir);
    cluster = await issuedCluster(app);
  });
  afterAll(async () => {
    await app?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('health and the preset', async () => {
    expect((await app.inject('/api/v1/health')).json()).toEqual({ status: 'ok' });
    const preset = (await app.inject('/api/v1/presets/hard-way')).json();
    expect(preset.nodes.map((n: { name: string }) => n.name)).toEqual(['cp1', 'cp2', 'lb', 'worker1', 'worker2']);
  });

  test('a second cluster with the same name is refused with CLUSTER_EXISTS', async () => {
    const preset = (await app.inject('/api/v1/presets/hard-way')).json();
    const res = await app.inject({ method: 'POST', url: '/api/v1/clusters', payload: preset });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('CLUSTER_EXISTS');
  });

  test('creating a CA answers the same summary as the certificates list: its real recipients, not none', async () => {
    const preset = (await app.inject('/api/v1/presets/hard-way')).json();
    preset.name = 'ca-summary';
    expect((await app.inject({ method: 'POST', url: '/api/v1/clusters', payload: preset })).statusCode).toBe(201);
    const created = await app.inject({ method: 'POST', url: '/api/v1/clusters/ca-summary/ca' });
    expect(created.statusCode).toBe(201);
    const { items } = (await app.inject('/api/v1/clusters/ca-summary/certificates')).json();
    expect(created.json()).toEqual(items.find((c: { name: string }) => c.name === 'ca'));
    expect(created.json().recipients).toEqual(['cp1', 'cp2', 'worker1', 'worker2']);
  });

  test('a second CA is refused with CA_EXISTS', async () => {
    const res = await app.inject({ method: 'POST', url: `/api/v1/clusters/${cluster}/ca` });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('CA_EXISTS');
  });

  test('the plan lists 10 certificates, 8 matrix rows worth of edges, the kubeconfigs and the file sets', async () => {
    const plan = (await app.inject(`/api/v1/clusters/${cluster}/plan`)).json();
    expect(plan.certificates).toHaveLength(10);
    const pems = (node: string) => plan.files[node].filter((f: { file: string }) => f.file.endsWith('.pem'));
    expect(pems('cp1')).toHaveLength(12);
    expect(plan.files.cp1).toHaveLength(16);
    expect(pems('worker1')).toHaveLength(5);
    expect(plan.files.worker1).toHaveLength(7);
    expect(plan.files.lb).toEqual([]);
    expect(plan.kubeconfigs).toHaveLength(7);
    expect(plan.kubeconfigs.every((k: { reason: string; serverReason: string }) => k.reason && k.serverReason)).toBe(true);
    expect(plan.encryptionConfig.recipients).toEqual(['cp1', 'cp2']);
    const api = plan.certificates.find((c: { name: string }) => c.name === 'kubernetes');
    expect(api.sans.every((s: { reason: string }) => s.reason.length > 0)).toBe(true);
  });

  test('the certificate list holds the ten current certificates with parsed columns', async () => {
    const { items } = (await app.inject(`/api/v1/clusters/${cluster}/certificates`)).json();
    expect(items.map((c: { name: string }) => c.name).sort()).toEqual(
      ['admin', 'ca', 'etcd', 'kube-controller-manager', 'kube-proxy', 'kube-scheduler', 'kubernetes', 'service-account', 'worker1', 'worker2'],
    );
    const w1 = items.find((c: { name: string }) => c.name === 'worker1');
    expect(w1).toMatchObject({ cn: 'system:node:worker1', o: 'system:nodes', status: 'current', recipients: ['worker1'] });
    expect(w1.sha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  test('the detail of the API server certificate has every field and the ten SANs with reasons', async () => {
    const d = (await app.inject(`/api/v1/clusters/${cluster}/certificates/kubernetes`)).json();
    expect(d.sansWithReasons.map((s: { value: string }) => s.value)).toEqual([
      '10.32.0.1', '192.168.56.20', '192.168.56.21', '192.168.56.22', '127.0.0.1',
      'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster', 'kubernetes.default.svc.cluster.local',
    ]);
    expect(d.sansWithReasons.every((s: { reason: string }) => !s.reason.startsWith('not in the current plan'))).toBe(true);
    expect(d.chain).toMatchObject({ ok: true });
    expect(d.extendedKeyUsage.length).toBe(2);
    expect(d.basicConstraints).toMatchObject({ ca: false, critical: true });
    expect(d.publicKey).toMatchObject({ algorithm: 'RSA', size: 2048 });
    expect(d.authorityKeyIdentifier).toBeTruthy();
    expect(d.recipients).toEqual(['cp1', 'cp2']);
    expect(d.text).toContain('X509v3 Subject Alternative Name');
    expect(JSON.stringify(d)).not.toContain('PRIVATE KEY');
  });

  test('"valid for address?" answers with the SAN that matched, or why not', async () => {
    const ok = (await app.inject(`/api/v1/clusters/${cluster}/certificates/kubernetes/check?address=10.32.0.1`)).json();
    expect(ok).toMatchObject({ valid: true, matched: { type: 'ip', value: '10.32.0.1' } });
    const dns = (await app.inject(`/api/v1/clusters/${cluster}/certificates/kubernetes/check?address=kubernetes.default.svc`)).json();
    expect(dns.valid).toBe(true);
    const no = (await app.inject(`/api/v1/clusters/${cluster}/certificates/kubernetes/check?address=192.168.56.99`)).json();
    expect(no).toMatchObject({ valid: false, matched: null });
    expect(no.message).toContain('192.168.56.99');
    // what people paste: host:port, a URL, [IPv6]:port; only the host is checked, the rest is said back
    const check = async (pasted: string) => (await app.inject(`/api/v1/clusters/${cluster}/certificates/kubernetes/check?address=${encodeURIComponent(pasted)}`)).json();
    expect(await check('10.32.0.1:6443')).toMatchObject({ address: '10.32.0.1', valid: true, note: "port 6443 is not part of a certificate's check: only the host is" });
    const url = await check('https://127.0.0.1:6443/healthz');
    expect(url).toMatchObject({ address: '127.0.0.1', valid: true, matched: { type: 'ip', value: '127.0.0.1' } });
    expect(url.note).toContain('the scheme https and port 6443');
    const v6 = await check('[fd00::1]:6443');
    expect(v6).toMatchObject({ address: 'fd00::1', valid: false });
    expect(v6.message).toContain('fd00::1');
    expect((await check('kubernetes.default.svc')).note).toBeUndefined();
  });

  test('cert.pem and key.pem download; the key is the pair of the certificate', async () => {
    const cert = await app.inject(`/api/v1/clusters/${cluster}/certificates/admin/cert.pem`);
    expect(cert.headers['content-disposition']).toContain('admin.pem');
    const key = await app.inject(`/api/v1/clusters/${cluster}/certificates/admin/key.pem`);
    expect(key.body).toMatch(/-----BEGIN (RSA )?PRIVATE KEY-----/);
    const { createPrivateKey, createPublicKey, X509Certificate } = await import('node:crypto');
    const pub = new X509Certificate(cert.body).publicKey.export({ format: 'der', type: 'spki' });
    expect(createPublicKey(createPrivateKey(key.body)).export({ format: 'der', type: 'spki' })).toEqual(pub);
  });

  test('the whole bundle holds the 20 files of the tutorial, the kubeconfigs and the encryption config, with modes 0600/0644', async () => {
    const refused = await app.inject(`/api/v1/clusters/${cluster}/bundle.tar.gz`);
    expect(refused.json().error.code).toBe('REAUTH_REQUIRED');
    await reauth(app);
    const res = await app.inject(`/api/v1/clusters/${cluster}/bundle.tar.gz`);
    expect(res.statusCode).toBe(200);
    const files = await untar(res.rawPayload);
    expect([...files.keys()].sort()).toEqual([
      'admin-key.pem', 'admin.pem', 'ca-key.pem', 'ca.pem', 'etcd-key.pem', 'etcd.pem', 'kube-controller-manager-key.pem',
      'kube-controller-manager.pem', 'kube-proxy-key.pem', 'kube-proxy.pem', 'kube-scheduler-key.pem', 'kube-scheduler.pem',
      'kubernetes-key.pem', 'kubernetes.pem', 'service-account-key.pem', 'service-account.pem', 'worker1-key.pem', 'worker1.pem',
      'worker2-key.pem', 'worker2.pem',
      'admin.kubeconfig', 'encryption-config.yaml', 'kube-controller-manager.kubeconfig', 'kube-proxy.kubeconfig', 'kube-scheduler.kubeconfig',
      'worker1.kubeconfig', 'worker2.kubeconfig',
    ].sort());
    for (const [name, f] of files) expect(f.mode, name).toBe(name.endsWith('.pem') && !name.endsWith('-key.pem') ? 0o644 : 0o600);
  });

  test('a node bundle holds only that node\'s files', async () => {
    const w = await untar((await app.inject(`/api/v1/clusters/${cluster}/bundle.tar.gz?node=worker2`)).rawPayload);
    expect([...w.keys()].sort()).toEqual(['ca.pem', 'kube-proxy-key.pem', 'kube-proxy.kubeconfig', 'kube-proxy.pem', 'worker2-key.pem', 'worker2.kubeconfig', 'worker2.pem']);
    await reauth(app);
    const cp = await untar((await app.inject(`/api/v1/clusters/${cluster}/bundle.tar.gz?node=cp1`)).rawPayload);
    expect(cp.size).toBe(16);
    const missing = await app.inject(`/api/v1/clusters/${cluster}/bundle.tar.gz?node=nope`);
    expect(missing.json().error.code).toBe('NODE_NOT_FOUND');
  });

  test('re-issuing keeps the old versions as superseded', async () => {
    const before = (await app.inject(`/api/v1/clusters/${cluster}/certificates`)).json().items;
    const job = await waitJob(app, (await app.inject({ method: 'POST', url: `/api/v1/clusters/${cluster}/issuances` })).json().jobId);
    expect(job.status).toBe('succeeded');
    expect(job.progress).toEqual({ done: 9, total: 9 });
    const all = (await app.inject(`/api/v1/clusters/${cluster}/certificates?status=all`)).json().items;
    expect(all).toHaveLength(19);
    const old = before.find((c: { name: string }) => c.name === 'kubernetes');
    expect(all.find((c: { serial: string }) => c.serial === old.serial).status).toBe('superseded');
    const oldDetail = await app.inject(`/api/v1/clusters/${cluster}/certificates/kubernetes?serial=${old.serial}`);
    expect(oldDetail.json().status).toBe('superseded');
    expect((await app.inject(`/api/v1/clusters/${cluster}/issuances`)).json().items).toHaveLength(3);
  });

  test('errors have a stable code and say what to fix', async () => {
    const nf = await app.inject('/api/v1/clusters/nope');
    expect(nf.statusCode).toBe(404);
    expect(nf.json().error.code).toBe('CLUSTER_NOT_FOUND');
    const cert = await app.inject(`/api/v1/clusters/${cluster}/certificates/nope`);
    expect(cert.json().error.code).toBe('CERTIFICATE_NOT_FOUND');
    const job = await app.inject('/api/v1/jobs/nope');
    expect(job.json().error.code).toBe('JOB_NOT_FOUND');
    const bad = await app.inject({ method: 'POST', url: '/api/v1/clusters', payload: '{"name":', headers: { 'content-type': 'application/json' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('INVALID_JSON');
    const route = await app.inject('/api/v1/nothing-here');
    expect(route.json().error.code).toBe('NOT_FOUND');
  });

  test('issuing before the CA exists is refused with CA_NOT_FOUND', async () => {
    const preset = (await app.inject('/api/v1/presets/hard-way')).json();
    preset.name = 'no-ca';
    expect((await app.inject({ method: 'POST', url: '/api/v1/clusters', payload: preset })).statusCode).toBe(201);
    const res = await app.inject({ method: 'POST', url: '/api/v1/clusters/no-ca/issuances' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('CA_NOT_FOUND');
    await reauth(app); // deleting a cluster follows the CA key rule
    expect((await app.inject({ method: 'DELETE', url: '/api/v1/clusters/no-ca' })).statusCode).toBe(200);
  });
});

describe('a restart keeps every cluster, certificate and key', () => {
  test('over a real socket, before and after a restart', async () => {
    const dataDir = tempDataDir();
    try {
      let app = await testApp(dataDir);
      const cluster = await issuedCluster(app);
      await app.listen({ host: '127.0.0.1', port: 0 });
      const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/api/v1/clusters/${cluster}`;
      const headers = authHeaders.get(app)!;
      for (const f of ['kpki.db', 'kpki.db-wal', 'kpki.db-shm', 'master.key']) {
        expect(fs.statSync(`${dataDir}/${f}`).mode & 0o777, f).toBe(0o600);
      }
      expect((await fetch(`${base}/certificates`)).status).toBe(401);
      // the time left (residualSeconds) moves on with the clock; everything else must be the same
      const timeless = (list: { items: Array<{ residualSeconds: number }> }) => list.items.map(({ residualSeconds: _r, ...c }) => c);
      const before = timeless(await (await fetch(`${base}/certificates`, { headers })).json());
      const keyBefore = await (await fetch(`${base}/certificates/kubernetes/key.pem`, { headers })).text();
      await app.close();

      app = await testApp(dataDir);
      await app.listen({ host: '127.0.0.1', port: 0 });
      const base2 = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/api/v1/clusters/${cluster}`;
      const headers2 = authHeaders.get(app)!;
      expect(timeless(await (await fetch(`${base2}/certificates`, { headers: headers2 })).json())).toEqual(before);
      expect(await (await fetch(`${base2}/certificates/kubernetes/key.pem`, { headers: headers2 })).text()).toBe(keyBefore);
      expect((await (await fetch(`${base2}/certificates/kubernetes`, { headers: headers2 })).json()).chain.ok).toBe(true);
      await app.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
