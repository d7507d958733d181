/**
 * Deployed and planned links against a fleet of real sshd nodes: a file tampered on one node
 * turns exactly the links that read it red, naming the node and the file, and redistribution
 * mends them; a new load-balancer address fails the kubelet and kube-proxy links in the planned
 * source before the change is applied (re-issue) and distributed, and nowhere after.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { LinksResponse, NodeStatus } from '@kpki/shared';
import { startFleet, type Fleet } from './support.ts';
import { issuedCluster, reauth, tempDataDir, testApp, waitJob } from './helpers/app.ts';

const FLEET = ['cp1', 'cp2', 'worker1', 'worker2'];

describe('links from the files on the nodes', () => {
  let dataDir = '';
  let app: FastifyInstance;
  let fleet: Fleet;
  let cluster: string;
  const api = (url: string) => `/api/v1/clusters/${cluster}${url}`;
  const links = async (source: string): Promise<LinksResponse> => {
    const res = await app.inject(api(`/links?source=${source}`));
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const failing = (r: LinksResponse) => r.edges.filter((e) => e.verdict === 'fails').map((e) => e.id).sort();
  const job = async (url: string) => {
    const res = await app.inject({ method: 'POST', url: api(url) });
    expect(res.statusCode, res.body).toBe(202);
    const done = await waitJob(app, res.json().jobId);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
  };

  beforeAll(async () => {
    dataDir = tempDataDir();
    app = await testApp(dataDir);
    cluster = await issuedCluster(app, (c) => (c.keyAlgorithm = 'ecdsa-p256'));
    const key = (await app.inject(api('/ssh-key'))).json();
    fleet = await startFleet({ nodes: FLEET.map((name) => ({ name })), authorizedKeys: [key.publicKey] });
    await reauth(app); // the SSH targets of control-plane nodes decide where the CA key goes
    for (const name of FLEET) {
      const n = fleet.node(name);
      const res = await app.inject({ method: 'PUT', url: api(`/nodes/${name}/ssh`), payload: { host: n.host, port: n.port, user: fleet.user, remoteDir: n.remoteDir, hostKey: n.hostKeyFingerprint } });
      expect(res.statusCode, res.body).toBe(200);
    }
    await job('/distributions');
  });
  afterAll(async () => {
    await fleet?.stop();
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('after distribution every link works from the files the nodes hold', async () => {
    const r = await links('deployed');
    expect(r.summary).toEqual({ total: 24, ok: 24, fails: 0 });
    expect(r.nodes).toMatchObject({ withFiles: 4, verified: 4 });
  });

  test('a tampered worker1.pem: after a verify exactly the four links that read it fail, naming worker1 and worker1.pem', async () => {
    fs.writeFileSync(path.join(fleet.node('worker1').remoteDir, 'worker1.pem'), 'edited by hand, not a certificate any more\n');
    expect((await links('deployed')).summary.fails).toBe(0); // not verified since: the last known files still work
    const status = (await app.inject({ method: 'POST', url: api('/nodes/worker1/verify') })).json() as NodeStatus;
    expect(status.files.find((f) => f.file === 'worker1.pem')!.state).toBe('foreign');
    const r = await links('deployed');
    expect(failing(r)).toEqual([
      'kube-apiserver@cp1>kubelet@worker1', 'kube-apiserver@cp2>kubelet@worker1',
      'kubelet@worker1>kube-apiserver@cp1', 'kubelet@worker1>kube-apiserver@cp2',
    ]);
    for (const e of r.edges.filter((x) => x.verdict === 'fails')) {
      expect(e.reasons[0]).toMatchObject({ code: 'bad-file', node: 'worker1', file: 'worker1.pem', message: 'tls: failed to find any PEM data in certificate input' });
      expect(e.reasons[0].detail).toMatch(/content kpki did not issue/);
    }
    expect(r.edges.find((e) => e.id === 'kubelet@worker1>kube-apiserver@cp1')!.reasons[0].side).toBe('client');
    expect(r.edges.find((e) => e.id === 'kube-apiserver@cp1>kubelet@worker1')!.reasons[0].side).toBe('server');
    // the issued source does not care what the nodes hold
    expect((await links('issued')).summary.fails).toBe(0);
    // a page of them: failing ones first, counted; the rows count every link
    r.rows.forEach((row, i) => expect(row.fails, `row ${i}`).toBe(r.edges.filter((e) => e.row === i && e.verdict === 'fails').length));
    expect(r.rows.reduce((n, row) => n + row.fails, 0)).toBe(4);
    const part = async (q: string) => (await app.inject(api(`/links?source=deployed&${q}`))).json() as LinksResponse;
    const first = await part('limit=3');
    expect(first.page).toEqual({ offset: 0, limit: 3, matched: 24, matchedFails: 4 });
    expect(first.edges.map((e) => e.verdict)).toEqual(['fails', 'fails', 'fails']);
    const second = await part('offset=3&limit=3');
    expect(second.edges.map((e) => e.verdict)).toEqual(['fails', 'ok', 'ok']);
    expect([...first.edges, ...second.edges].filter((e) => e.verdict === 'fails').map((e) => e.id).sort()).toEqual(failing(r));
    expect((await part('q=worker1.pem')).edges.map((e) => e.id).sort()).toEqual(failing(r));
    const node = await part('node=worker1&failing=true');
    expect([node.edges.length, node.page?.matchedFails, node.summary]).toEqual([4, 4, r.summary]);
  });

  test('another kpki file in place of kube-proxy.pem on worker2: its key no longer matches, named as that file', async () => {
    const dir = fleet.node('worker2').remoteDir;
    fs.copyFileSync(path.join(dir, 'worker2.pem'), path.join(dir, 'kube-proxy.pem'));
    await app.inject({ method: 'POST', url: api('/nodes/worker2/verify') });
    const r = await links('deployed');
    expect(failing(r).filter((id) => id.includes('worker2'))).toEqual(['kube-proxy@worker2>kube-apiserver@cp1', 'kube-proxy@worker2>kube-apiserver@cp2']);
    const first = r.edges.find((e) => e.id === 'kube-proxy@worker2>kube-apiserver@cp1')!.reasons[0];
    expect(first).toMatchObject({ code: 'key-mismatch', node: 'worker2', file: 'kube-proxy-key.pem', message: 'tls: private key does not match public key' });
    expect(first.detail).toMatch(/worker2 holds kube-proxy.pem: this is worker2.pem \(serial [0-9a-f]+\), not kube-proxy.pem/);
  });

  test('a key in place of a certificate: Go\'s "PEM inputs may have been switched", and the key never reaches the database', async () => {
    const dir = fleet.node('worker1').remoteDir;
    const key = fs.readFileSync(path.join(dir, 'worker1-key.pem'), 'utf8');
    fs.writeFileSync(path.join(dir, 'worker1.pem'), key);
    await app.inject({ method: 'POST', url: api('/nodes/worker1/verify') });
    const first = (await links('deployed')).edges.find((e) => e.id === 'kubelet@worker1>kube-apiserver@cp1')!.reasons[0];
    expect(first).toMatchObject({ code: 'bad-file', node: 'worker1', file: 'worker1.pem',
      message: 'tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched' });
    const body = key.split('\n').filter((l) => l && !l.startsWith('-----')).join('');
    for (const f of fs.readdirSync(dataDir).filter((n) => n.startsWith('kpki.db'))) {
      const bytes = fs.readFileSync(path.join(dataDir, f)).toString('latin1');
      expect(bytes.includes(body.slice(0, 40)), f).toBe(false);
    }
  });

  test('redistributing the two nodes mends every link', async () => {
    await job('/nodes/worker1/distribute');
    await job('/nodes/worker2/distribute');
    expect(failing(await links('deployed'))).toEqual([]);
  });

  test('a new load-balancer address: planned fails kubelet and kube-proxy before apply, green after re-issue and distribution', async () => {
    const { createdAt: _c, updatedAt: _u, hasCa: _h, caNotAfter: _n, ...input } = (await app.inject(api(''))).json();
    input.nodes = input.nodes.map((n: { name: string; addresses: string[] }) => (n.name === 'lb' ? { ...n, addresses: ['192.168.56.30'] } : n));
    expect((await app.inject({ method: 'PUT', url: api(''), payload: input })).statusCode).toBe(200);

    const planned = await links('planned');
    expect(planned.pendingChange).toBe(true);
    const rows = (r: LinksResponse, fails: boolean) => [...new Set(r.edges.filter((e) => (e.verdict === 'fails') === fails).map((e) => e.row))].sort();
    expect(rows(planned, true)).toEqual([3, 4]);
    expect(failing(planned)).toHaveLength(8);
    for (const e of planned.edges.filter((x) => x.verdict === 'fails')) {
      expect(e.address).toBe('192.168.56.30');
      expect(e.reasons).toEqual([expect.objectContaining({
        code: 'hostname', side: 'server', node: e.serverNode, file: 'kubernetes.pem',
        message: 'x509: certificate is valid for 10.32.0.1, 192.168.56.20, 192.168.56.21, 192.168.56.22, 127.0.0.1, not 192.168.56.30',
      })]);
    }
    // in force until applied: the components still dial the old address
    expect((await links('deployed')).summary.fails).toBe(0);
    expect((await links('issued')).summary.fails).toBe(0);

    // apply: a re-issue of the certificates for the saved topology
    await job('/issuances');
    expect((await links('issued')).summary.fails).toBe(0);
    const beforeDistribution = await links('planned');
    expect([beforeDistribution.pendingChange, rows(beforeDistribution, true)]).toEqual([false, [3, 4]]);
    expect((await links('deployed')).summary.fails).toBe(8);

    await job('/distributions');
    for (const source of ['planned', 'deployed', 'issued']) expect(failing(await links(source)), source).toEqual([]);
  });
});
