/**
 * The generated kubeconfigs and the encryption config of the tutorial's preset, judged by real
 * tools: `kubectl config view --raw -o json` parses every kubeconfig and the embedded data equals
 * the stored certificates and key; the file is byte for byte what `kubectl config set-cluster /
 * set-credentials / set-context / use-context` writes; and real kubectl, with each kubeconfig,
 * authenticates over real TLS to a loopback endpoint that checks client certificates as
 * kube-apiserver does and serves the cluster's own kubernetes.pem, verified for the address the
 * kubeconfig names. Nothing dials a non-loopback address (--server is always 127.0.0.1).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { parse } from 'yaml';
import type { KubeconfigSummary } from '@kpki/shared';
import { issuedCluster, reauth, tempDataDir, testApp } from './helpers/app.ts';
import { startKubeEndpoint, type KubeEndpoint } from './helpers/kube-endpoint.ts';
import { renewCertificate } from './helpers/renew.ts';
import { removeDir, requireTool, run, runOk, tmpDir } from './helpers/tools.ts';

const KUBECTL = '/usr/bin/kubectl';
const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

describe('generated kubeconfigs, judged by real kubectl', () => {
  let dataDir = '';
  let dir = '';
  let app: FastifyInstance;
  let cluster = '';
  let endpoint: KubeEndpoint | undefined;
  let list: KubeconfigSummary[] = [];
  const api = (p: string) => `/api/v1/clusters/${cluster}${p}`;
  const text = async (p: string) => {
    const res = await app.inject(api(p));
    expect(res.statusCode, `${p}: ${res.body.slice(0, 200)}`).toBe(200);
    return res.body;
  };
  /** Downloads a kubeconfig to <dir>/<name>.kubeconfig (0600) and returns the path. */
  const download = async (name: string) => {
    const file = path.join(dir, `${name}.kubeconfig`);
    await fs.writeFile(file, await text(`/kubeconfigs/${name}`), { mode: 0o600 });
    return file;
  };
  const view = async (file: string) => JSON.parse((await runOk(KUBECTL, ['config', 'view', '--raw', '-o', 'json', '--kubeconfig', file])).stdout);
  const kubectl = (file: string, serverName: string, ...args: string[]) =>
    run(KUBECTL, ['--kubeconfig', file, '--server', endpoint!.url, '--tls-server-name', serverName, ...args], { timeoutMs: 30_000 });

  beforeAll(async () => {
    requireTool(KUBECTL, 'kubernetes-client');
    dataDir = tempDataDir();
    dir = await tmpDir('kpki-kubeconfigs-');
    app = await testApp(dataDir);
    cluster = await issuedCluster(app);
    await reauth(app); // the admin kubeconfigs follow the CA key's rule
    list = (await app.inject(api('/kubeconfigs'))).json().items;
    const row = app.deps.clusters.get(cluster)!;
    const server = app.deps.certificates.getCurrent(row.id, 'kubernetes')!;
    endpoint = await startKubeEndpoint({ certPem: server.pem, keyPem: app.deps.certificates.keyPem(server), clientCaPem: await text('/certificates/ca/cert.pem') });
  });
  afterAll(async () => {
    await endpoint?.stop();
    await app?.close();
    await removeDir(dir);
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  test('the list: every identity with its user, server, what it embeds and who receives it', () => {
    expect(list.map((k) => [k.name, k.file, k.user, k.server, k.recipients])).toEqual([
      ['worker1', 'worker1.kubeconfig', 'system:node:worker1', 'https://192.168.56.20:6443', ['worker1']],
      ['worker2', 'worker2.kubeconfig', 'system:node:worker2', 'https://192.168.56.20:6443', ['worker2']],
      ['kube-proxy', 'kube-proxy.kubeconfig', 'system:kube-proxy', 'https://192.168.56.20:6443', ['worker1', 'worker2']],
      ['kube-controller-manager', 'kube-controller-manager.kubeconfig', 'system:kube-controller-manager', 'https://127.0.0.1:6443', ['cp1', 'cp2']],
      ['kube-scheduler', 'kube-scheduler.kubeconfig', 'system:kube-scheduler', 'https://127.0.0.1:6443', ['cp1', 'cp2']],
      ['admin', 'admin.kubeconfig', 'admin', 'https://127.0.0.1:6443', ['cp1', 'cp2']],
      ['admin-workstation', 'admin.kubeconfig', 'admin', 'https://192.168.56.20:6443', []],
    ]);
    for (const k of list) {
      expect(k.embeds.map((e) => e.name), k.name).toEqual(['ca', k.certificate]);
      expect(k.embeds.every((e) => /^[0-9a-f]+$/.test(e.serial ?? '')), k.name).toBe(true);
      expect(k.sha256, k.name).toMatch(/^[0-9a-f]{64}$/);
      expect(k.caKeyRule, k.name).toBe(k.certificate === 'admin');
    }
  });

  test('?name= keeps what the list holds of that kubeconfig, as the whole list says it', async () => {
    const items = async (query: string): Promise<KubeconfigSummary[]> => (await app.inject(api(`/kubeconfigs?${query}`))).json().items;
    for (const name of ['admin-workstation', 'worker2', 'kube-proxy']) expect(await items(`name=${name}`)).toEqual(list.filter((k) => k.name === name));
    expect(await items('name=nope')).toEqual([]);
    expect((await app.inject(api('/kubeconfigs?name='))).statusCode).toBe(400);
  });

  test('kubectl config view parses every kubeconfig; the embedded data equals the stored certificates and key', async () => {
    const ca = await text('/certificates/ca/cert.pem');
    for (const k of list) {
      const cfg = await view(await download(k.name));
      expect(cfg.kind).toBe('Config');
      expect(cfg['current-context']).toBe(k.context);
      expect(cfg.clusters).toEqual([{ name: 'kubernetes-the-hard-way', cluster: { server: k.server, 'certificate-authority-data': expect.any(String) } }]);
      expect(cfg.contexts).toEqual([{ name: k.context, context: { cluster: 'kubernetes-the-hard-way', user: k.user } }]);
      expect(cfg.users).toHaveLength(1);
      expect(cfg.users[0].name).toBe(k.user);
      // booleans only: a failure must not print a key
      expect(unb64(cfg.clusters[0].cluster['certificate-authority-data']) === ca, `${k.name}: CA`).toBe(true);
      expect(unb64(cfg.users[0].user['client-certificate-data']) === await text(`/certificates/${k.certificate}/cert.pem`), `${k.name}: certificate`).toBe(true);
      expect(unb64(cfg.users[0].user['client-key-data']) === await text(`/certificates/${k.certificate}/key.pem`), `${k.name}: key`).toBe(true);
    }
    expect(list.find((k) => k.name === 'admin-workstation')!.context).toBe('kubernetes-the-hard-way');
  });

  test('each file is byte for byte what kubectl config set-cluster / set-credentials / set-context / use-context writes', async () => {
    for (const k of list) {
      const ours = await fs.readFile(path.join(dir, `${k.name}.kubeconfig`), 'utf8');
      const theirs = path.join(dir, `${k.name}.by-kubectl`);
      const pem = async (file: string, p: string) => {
        await fs.writeFile(path.join(dir, file), await text(p), { mode: 0o600 });
        return path.join(dir, file);
      };
      const caFile = await pem('ca.pem', '/certificates/ca/cert.pem');
      const certFile = await pem(`${k.certificate}.pem`, `/certificates/${k.certificate}/cert.pem`);
      const keyFile = await pem(`${k.certificate}-key.pem`, `/certificates/${k.certificate}/key.pem`);
      const kc = (...args: string[]) => runOk(KUBECTL, ['config', ...args, `--kubeconfig=${theirs}`]);
      await kc('set-cluster', k.cluster, `--certificate-authority=${caFile}`, '--embed-certs=true', `--server=${k.server}`);
      await kc('set-credentials', k.user, `--client-certificate=${certFile}`, `--client-key=${keyFile}`, '--embed-certs=true');
      await kc('set-context', k.context, `--cluster=${k.cluster}`, `--user=${k.user}`);
      await kc('use-context', k.context);
      expect((await fs.readFile(theirs, 'utf8')) === ours, k.name).toBe(true);
      expect((await fs.stat(theirs)).mode & 0o777).toBe(0o600);
    }
  });

  test('real TLS: with every kubeconfig, kubectl verifies kubernetes.pem for the address the file names and is the expected user', async () => {
    expect(endpoint!.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    for (const k of list) {
      const file = path.join(dir, `${k.name}.kubeconfig`);
      const version = await kubectl(file, k.serverAddress, 'version', '-o', 'json');
      expect(version.code, `${k.name}: ${version.stderr}`).toBe(0);
      expect(JSON.parse(version.stdout).serverVersion.gitVersion).toBe('v1.32.0-kpki-test');
      const who = await kubectl(file, k.serverAddress, 'auth', 'whoami', '-o', 'json');
      expect(who.code, `${k.name}: ${who.stderr}`).toBe(0);
      const info = JSON.parse(who.stdout).status.userInfo;
      expect(info.username, k.name).toBe(k.user);
      expect([...info.groups].sort(), k.name).toEqual([...k.groups, 'system:authenticated'].sort());
    }
    // who each kubeconfig is, written out (not read back from the list): user = CN, groups = O
    const expected: Record<string, [string, string]> = {
      worker1: ['system:node:worker1', 'system:nodes'], worker2: ['system:node:worker2', 'system:nodes'],
      'kube-proxy': ['system:kube-proxy', 'system:node-proxier'],
      'kube-controller-manager': ['system:kube-controller-manager', 'system:kube-controller-manager'],
      'kube-scheduler': ['system:kube-scheduler', 'system:kube-scheduler'],
      admin: ['admin', 'system:masters'], 'admin-workstation': ['admin', 'system:masters'],
    };
    expect(Object.keys(expected).sort()).toEqual(list.map((k) => k.name).sort());
    for (const [name, [user, group]] of Object.entries(expected)) {
      const who = await kubectl(path.join(dir, `${name}.kubeconfig`), list.find((k) => k.name === name)!.serverAddress, 'auth', 'whoami', '-o', 'json');
      const info = JSON.parse(who.stdout).status.userInfo;
      expect([info.username, [...info.groups].sort()], name).toEqual([user, [group, 'system:authenticated'].sort()]);
    }
    const users = new Set(endpoint!.requests.map((r) => r.user?.username));
    expect(users).toEqual(new Set(['system:node:worker1', 'system:node:worker2', 'system:kube-proxy', 'system:kube-controller-manager', 'system:kube-scheduler', 'admin']));
    // the server name is checked: the same file refuses a name kubernetes.pem does not carry
    const wrong = await kubectl(path.join(dir, 'worker1.kubeconfig'), '192.168.56.99', 'version', '-o', 'json');
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/x509: certificate is valid for .*not 192\.168\.56\.99/);
  });

  test('renewing worker1 changes worker1.kubeconfig in the same store transaction; the others stay as they were', async () => {
    const before = Object.fromEntries(list.map((k) => [k.name, k.sha256]));
    const renewed = await renewCertificate(app, cluster, 'worker1');
    const after: KubeconfigSummary[] = (await app.inject(api('/kubeconfigs'))).json().items;
    for (const k of after) {
      if (k.name === 'worker1') expect(k.sha256).not.toBe(before.worker1);
      else expect(k.sha256, k.name).toBe(before[k.name]);
    }
    const cfg = await view(await download('worker1'));
    expect(unb64(cfg.users[0].user['client-certificate-data']) === renewed).toBe(true);
    expect(unb64(cfg.users[0].user['client-key-data']) === await text('/certificates/worker1/key.pem')).toBe(true);
    const serial = after.find((k) => k.name === 'worker1')!.embeds[1].serial;
    expect(serial).toBe((await app.inject(api('/certificates/worker1'))).json().serial);
    const who = await kubectl(path.join(dir, 'worker1.kubeconfig'), '192.168.56.20', 'auth', 'whoami', '-o', 'json');
    expect(JSON.parse(who.stdout).status.userInfo.username).toBe('system:node:worker1');
  });

  test('the encryption config: kind, apiVersion, secrets, aescbc key1 of 32 random bytes then identity, mode 0600 on download', async () => {
    const res = await app.inject(api('/encryption-config'));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('encryption-config.yaml');
    const doc = parse(res.body);
    expect(doc).toEqual({
      kind: 'EncryptionConfiguration', apiVersion: 'apiserver.config.k8s.io/v1',
      resources: [{ resources: ['secrets'], providers: [{ aescbc: { keys: [{ name: 'key1', secret: expect.any(String) }] } }, { identity: {} }] }],
    });
    const key = Buffer.from(doc.resources[0].providers[0].aescbc.keys[0].secret, 'base64');
    expect(key.length).toBe(32);
    expect(Object.keys(doc)).toEqual(['kind', 'apiVersion', 'resources']);
    expect((await app.inject(api('/encryption-config'))).body).toBe(res.body); // kept, not new each time
  });

  test('unknown names and a cluster that generates no config files answer 404 saying what to do', async () => {
    const nope = (await app.inject(api('/kubeconfigs/nope'))).json().error;
    expect(nope.code).toBe('KUBECONFIG_NOT_FOUND');
    expect(nope.message).toContain('worker1, worker2, kube-proxy');
    const preset = (await app.inject('/api/v1/presets/hard-way')).json();
    const created = await app.inject({ method: 'POST', url: '/api/v1/clusters', payload: { ...preset, name: 'certs-only', generateConfigFiles: false } });
    expect(created.statusCode).toBe(201);
    expect((await app.inject('/api/v1/clusters/certs-only/kubeconfigs')).json().items).toEqual([]);
    const off = (await app.inject('/api/v1/clusters/certs-only/kubeconfigs/admin')).json().error;
    expect(off.code).toBe('KUBECONFIG_NOT_FOUND');
    expect(off.message).toContain('generateConfigFiles');
    expect((await app.inject('/api/v1/clusters/certs-only/encryption-config')).statusCode).toBe(404);
    const plan = (await app.inject('/api/v1/clusters/certs-only/plan')).json();
    expect(plan.files.cp1).toHaveLength(12);
    expect(plan.encryptionConfig).toBeNull();
    // a cluster created without the settings generates them, with the defaults (port 6443, its own name)
    const { apiServerPort: _p, kubeconfigClusterName: _n, generateConfigFiles: _g, ...bare } = preset;
    expect((await app.inject({ method: 'POST', url: '/api/v1/clusters', payload: { ...bare, name: 'bare' } })).statusCode).toBe(201);
    const barePlan = (await app.inject('/api/v1/clusters/bare/plan')).json();
    expect(barePlan.kubeconfigs).toHaveLength(7);
    expect(barePlan.kubeconfigs.every((k: { cluster: string; server: string }) => k.cluster === 'bare' && k.server.endsWith(':6443'))).toBe(true);
    expect(barePlan.files.cp1).toHaveLength(16);
    // before issuance a kubeconfig of a generating cluster is not issued yet
    await app.inject({ method: 'POST', url: '/api/v1/clusters', payload: { ...preset, name: 'fresh' } });
    expect((await app.inject('/api/v1/clusters/fresh/kubeconfigs/worker1')).json().error.code).toBe('NOT_ISSUED');
  });
});
