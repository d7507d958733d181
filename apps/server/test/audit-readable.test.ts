/**
 * Issue 15, item 4: the audit log is readable. Every bundle download and distribution names its
 * node(s) and whether the CA key was in it; lines read in words; filters by actor, action,
 * cluster, node and time narrow GET /audit and its CSV/JSON export; jobs say who started them and
 * filter by cluster, kind and status.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { auditSentence, type AuditEntry, type Job } from '@kpki/shared';
import { issuedCluster, reauth, tempDataDir, testApp, waitJob } from './helpers/app.ts';
import { csvField } from '../src/services/audit-export.service.ts';

type App = FastifyInstance & { rawInject: FastifyInstance['inject'] };
const API = '/api/v1';

describe('a readable audit log', () => {
  let dataDir = '';
  let app: App;
  let cluster = '';
  let start = '';
  const audit = async (query: string) => {
    const res = await app.inject(`${API}/audit?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as AuditEntry[];
  };

  beforeAll(async () => {
    dataDir = tempDataDir();
    app = await testApp(dataDir);
    start = new Date().toISOString();
    cluster = await issuedCluster(app);
    // an operator-like bundle (worker1), then, with the password re-entered, cp1's bundle (holds ca-key.pem)
    expect((await app.inject(`${API}/clusters/${cluster}/bundle.tar.gz?node=worker1`)).statusCode).toBe(200);
    await reauth(app);
    expect((await app.inject(`${API}/clusters/${cluster}/bundle.tar.gz?node=cp1`)).statusCode).toBe(200);
    // distributions: to worker1 alone, and to cp1 + worker2 as the elevated admin (the CA key goes to cp1)
    const one = await app.inject({ method: 'POST', url: `${API}/clusters/${cluster}/nodes/worker1/distribute` });
    const two = await app.inject({ method: 'POST', url: `${API}/clusters/${cluster}/distributions`, payload: { nodes: ['cp1', 'worker2'] } });
    await waitJob(app, one.json().jobId);
    await waitJob(app, two.json().jobId);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('a bundle download names its node and whether the CA key was in it, in words', async () => {
    const [cp1] = await audit('action=download-bundle&node=cp1');
    expect(cp1).toMatchObject({ actor: 'admin', object: `cluster=${cluster} node=cp1`, details: { node: 'cp1', caKey: true } });
    expect(auditSentence(cp1)).toBe('downloaded the bundle of cp1 (includes the CA key)');
    const [worker1] = await audit('action=download-bundle&node=worker1');
    expect(worker1.details).toMatchObject({ node: 'worker1', caKey: false });
    expect(auditSentence(worker1)).toBe('downloaded the bundle of worker1');
  });

  test('a distribution names its nodes and those the CA key went to; the node filter finds it', async () => {
    const lines = await audit('node=worker2');
    const dist = lines.find((l) => l.action.endsWith('/distributions'))!;
    expect(dist.details).toMatchObject({ nodes: ['cp1', 'worker2'], caKey: true, caKeyTo: ['cp1'] });
    expect(auditSentence(dist)).toBe('distributed to cp1, worker2 (with the CA key to cp1)');
    const single = (await audit('node=worker1')).find((l) => l.action.endsWith('/distribute'))!;
    expect(single.details).toMatchObject({ nodes: ['worker1'], caKey: false, caKeyTo: [] });
    expect(auditSentence(single)).toBe('distributed to worker1');
    // worker2's filter does not pick worker1's lines, nor another node whose name starts alike
    expect(lines.every((l) => JSON.stringify(l).includes('worker2'))).toBe(true);
  });

  test('filters by actor, action, cluster and time narrow the log; a bad time is a 400 that says how', async () => {
    const all = await audit('limit=1000');
    expect((await audit('actor=admin')).length).toBe(all.filter((l) => l.actor === 'admin').length);
    expect(await audit('actor=nobody')).toEqual([]);
    expect((await audit(`cluster=${cluster}`)).every((l) => l.object.split(' ').includes(`cluster=${cluster}`))).toBe(true);
    expect(await audit(`cluster=${cluster}x`)).toEqual([]);
    expect((await audit(`action=reauth`)).map((l) => auditSentence(l))).toEqual(['entered the password again (may move the CA key for 5 minutes)']);
    expect((await audit(`since=${encodeURIComponent(start)}`)).length).toBeGreaterThan(3);
    expect(await audit(`until=${encodeURIComponent(start)}&actor=admin&action=download-bundle`)).toEqual([]);
    const bad = await app.inject(`${API}/audit?since=${encodeURIComponent("next tuesday, 10 o'clock")}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(bad.json().error.message).toMatch(/ISO 8601/);
    const facets = (await app.inject(`${API}/audit/facets`)).json();
    expect(facets.actions).toContain('download-bundle');
    expect(facets.actors).toContain('admin');
  });

  test('export: CSV with the words, nodes and CA key flag, and JSON, of the filtered lines', async () => {
    const csv = await app.inject(`${API}/audit/export?format=csv&node=cp1&action=download-bundle`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="kpki-audit-.*\.csv"/);
    const rows = csv.body.trim().split('\r\n');
    expect(rows[0]).toBe('id,at,actor,token,what,action,object,nodes,caKey,address,result,details');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(',admin,,downloaded the bundle of cp1 (includes the CA key),download-bundle,');
    expect(rows[1]).toContain(',cp1,yes,');
    const json = (await app.inject(`${API}/audit/export?format=json&node=worker2`)).json();
    expect(json.filter).toMatchObject({ node: 'worker2' });
    expect(json.items.some((i: { what: string; caKey: boolean }) => i.what === 'distributed to cp1, worker2 (with the CA key to cp1)' && i.caKey)).toBe(true);
    // the export itself is audited
    expect((await audit('action=export-audit')).length).toBe(2);
    expect((await app.inject(`${API}/audit/export?format=xml`)).statusCode).toBe(400);
  });

  test('CSV fields: quotes, commas and line breaks are quoted; a leading = never becomes a formula', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=cmd()')).toBe("'=cmd()");
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  test('jobs say who started them and filter by cluster, kind and status', async () => {
    const jobs = async (q: string) => (await app.inject(`${API}/jobs?${q}`)).json().items as Job[];
    const issuances = await jobs(`cluster=${cluster}&type=issuance`);
    expect(issuances).toHaveLength(1);
    expect(issuances[0]).toMatchObject({ type: 'issuance', startedBy: 'admin', status: 'succeeded' });
    const distributions = await jobs(`cluster=${cluster}&type=distribution`);
    expect(distributions.map((j) => j.startedBy)).toEqual(['admin', 'admin']);
    // no node has an SSH target: both distributions failed
    expect(await jobs(`cluster=${cluster}&type=distribution&status=succeeded`)).toEqual([]);
    expect((await jobs(`cluster=${cluster}&status=failed`)).every((j) => j.type === 'distribution')).toBe(true);
    expect(await jobs('cluster=elsewhere')).toEqual([]);
    // a renewal (issue 10) says who started it too
    const renewal = await app.inject({ method: 'POST', url: `${API}/clusters/${cluster}/renewals`, payload: { certificates: ['worker1'] } });
    expect(renewal.statusCode, renewal.body).toBe(202);
    await waitJob(app, renewal.json().jobId);
    expect((await jobs(`cluster=${cluster}&type=renewal`)).map((j) => j.startedBy)).toEqual(['admin']);
    expect((await app.inject(`${API}/jobs?status=done`)).statusCode).toBe(400);
  });
  test('every audited route reads in words, not as its raw action', () => {
    const raw = app.routeTable
      .filter((r) => r.url.startsWith(`${API}/`) && (!['GET', 'HEAD', 'OPTIONS'].includes(r.method) || r.config.audit))
      .map((r) => r.config.audit ?? `${r.method} ${r.url}`)
      .filter((action) => auditSentence({ action, object: 'cluster=c node=n name=x id=1', details: {}, result: 'ok' }) === action);
    expect(raw).toEqual([]);
  });

  test('a renewal names what it renewed', () => {
    const line = { action: `POST ${API}/clusters/:cluster/renewals`, object: 'cluster=lab', details: { certificates: ['worker1', 'kubernetes'] }, result: 'ok' };
    expect(auditSentence(line)).toBe('renewed worker1, kubernetes of lab');
    expect(auditSentence({ ...line, details: {} })).toBe('renewed the certificates due of lab');
  });
});
