/**
 * GET /clusters/{cluster}/links without nodes: the issued source of the preset works on every
 * link, at a time past the certificates' validity every link fails as Go says, the deployed
 * source before any verify says so per node, and bad queries are refused with a reason.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { LinksResponse } from '@kpki/shared';
import { issuedCluster, tempDataDir, testApp } from './helpers/app.ts';

describe('links API', () => {
  let dataDir = '';
  let app: FastifyInstance;
  let cluster: string;
  const links = async (query: string) => {
    const res = await app.inject(`/api/v1/clusters/${cluster}/links${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as LinksResponse;
  };

  beforeAll(async () => {
    dataDir = tempDataDir();
    app = await testApp(dataDir);
    cluster = await issuedCluster(app, (c) => (c.keyAlgorithm = 'ecdsa-p256'));
  });
  afterAll(async () => {
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('issued: the preset\'s 24 links work, the service-account pair agrees, the topology is the one in force', async () => {
    const r = await links('?source=issued');
    expect(r.summary).toEqual({ total: 24, ok: 24, fails: 0 });
    expect(r.edges.every((e) => e.verdict === 'ok' && e.reasons.length === 0)).toBe(true);
    expect(r.checks).toEqual([expect.objectContaining({ verdict: 'ok' })]);
    expect([r.topology, r.pendingChange, r.nodes]).toEqual(['applied', false, null]);
    const kubelet = r.edges.find((e) => e.id === 'kubelet@worker1>kube-apiserver@cp2')!;
    expect(kubelet).toMatchObject({ client: 'kubelet (worker1)', clientNode: 'worker1', server: 'kube-apiserver', serverNode: 'cp2', address: '192.168.56.20', port: 6443, certificate: 'worker1' });
    expect(r.edges.find((e) => e.row === 2)!.needs[0]).toMatch(/RBAC/);
  });

  test('issued in 400 days (after the one-year validity): every link fails with Go\'s expiry message', async () => {
    const r = await links('?source=issued&inDays=400');
    expect(r.summary.fails).toBe(24);
    for (const e of r.edges) expect(e.reasons[0].message).toMatch(/^x509: certificate has expired or is not yet valid: current time \S+Z is after \S+Z$/);
    const same = await links(`?source=issued&at=${encodeURIComponent(r.at)}`);
    expect(same.summary.fails).toBe(24);
  });

  test('deployed before any verify: each link names the nodes not verified yet; planned equals it without a change', async () => {
    const r = await links('');
    expect(r.source).toBe('deployed');
    expect(r.summary.ok).toBe(0);
    expect(r.nodes).toEqual({ withFiles: 4, verified: 0, oldestCheck: null });
    const first = r.edges.find((e) => e.id === 'kubelet@worker1>kube-apiserver@cp1')!.reasons[0];
    expect(first).toMatchObject({ code: 'not-verified', node: 'worker1', side: 'client' });
    expect(first.message).toMatch(/worker1 has not been verified yet/);
    const admin = r.edges.find((e) => e.row === 0)!;
    expect(admin.reasons.every((x) => x.side === 'server')).toBe(true); // the operator's admin files are the issued ones
    expect((await links('?source=planned')).summary).toEqual(r.summary);
  });

  test('a changed topology is pending: planned uses it, issued keeps the one in force', async () => {
    const current = (await app.inject(`/api/v1/clusters/${cluster}`)).json();
    const { createdAt: _c, updatedAt: _u, hasCa: _h, caNotAfter: _n, ...input } = current;
    input.nodes = input.nodes.map((n: { name: string }) => (n.name === 'lb' ? { ...n, addresses: ['192.168.56.30'] } : n));
    expect((await app.inject({ method: 'PUT', url: `/api/v1/clusters/${cluster}`, payload: input })).statusCode).toBe(200);
    const issued = await links('?source=issued');
    expect([issued.summary.fails, issued.pendingChange]).toEqual([0, true]);
    const planned = await links('?source=planned');
    expect(planned.topology).toBe('saved');
    expect(planned.edges.find((e) => e.row === 3)!.address).toBe('192.168.56.30');
  });

  test('a part of the links: counts per kind of connection, pages, a node\'s links, a search; the summary stays the whole', async () => {
    const all = await links('?source=issued');
    expect(all.page).toBeUndefined();
    expect(all.rows.reduce((n, r) => n + r.ok + r.fails, 0)).toBe(24);
    all.rows.forEach((r, i) => expect(r.ok, `row ${i}`).toBe(all.edges.filter((e) => e.row === i).length));
    const none = await links('?source=issued&limit=0');
    expect([none.edges, none.page, none.summary, none.rows]).toEqual([[], { offset: 0, limit: 0, matched: 24, matchedFails: 0 }, all.summary, all.rows]);
    const last = await links('?source=issued&offset=20&limit=10');
    expect(last.edges.map((e) => e.id)).toEqual(all.edges.slice(20).map((e) => e.id));
    const worker2 = await links('?source=issued&node=worker2');
    const expected = all.edges.filter((e) => e.clientNode === 'worker2' || e.serverNode === 'worker2');
    expect(expected.length).toBeGreaterThan(0);
    expect([worker2.edges.map((e) => e.id), worker2.page?.matched]).toEqual([expected.map((e) => e.id), expected.length]);
    const search = await links('?source=issued&q=%20KUBE-PROXY%20');
    expect(search.edges.length).toBeGreaterThan(0);
    expect(search.edges.every((e) => e.client === 'kube-proxy')).toBe(true);
    expect((await links('?source=issued&failing=true')).page).toEqual({ offset: 0, limit: null, matched: 0, matchedFails: 0 });
  });

  test('bad queries: 400 with what to fix; an unknown cluster 404', async () => {
    for (const [q, what] of [
      ['?source=nodes', /source/], ['?at=yesterday', /ISO 8601/], ['?at=2027-01-01T00:00:00Z&inDays=3', /either/], ['?inDays=-1', /inDays/],
      ['?limit=5000', /limit/], ['?offset=-1', /offset/], ['?failing=maybe', /failing/],
    ] as const) {
      const res = await app.inject(`/api/v1/clusters/${cluster}/links${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(res.json().error.message).toMatch(what);
    }
    expect((await app.inject('/api/v1/clusters/nope/links')).statusCode).toBe(404);
  });
});
