/**
 * Issue 16, item 3: the audit log searched, filtered by result and counted on the server. Lines
 * of every kind are written to a real SQLite file (2,400 of them, many pages of 50); what GET
 * /audit gives page after page, what GET /audit/counts counts and what the export holds are
 * checked against the same lines filtered in JavaScript by auditOutcome() and a plain substring
 * search. A search with % and _ finds those characters only; a new line moves the counts.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import fs from 'node:fs';
import { AUDIT_OUTCOMES, auditOutcome, type AuditCounts, type AuditEntry, type AuditFilter } from '@kpki/shared';
import { OUTCOME_SQL, searchPatterns } from '../src/store/audit.repository.ts';
import { useTestApp, type TestApp } from './helpers/app.ts';

const API = '/api/v1';
const PAGE = 50;

const RESULTS = ['ok', 'ok', 'ok', 'ok', 'failed (401)', 'failed (403)', 'failed (409)', 'failed (500)', 'failed (401, 429)', 'failed (400)', 'failed (429)'];
const ACTORS = ['admin', 'olivia', 'oscar', 'anonymous', 'kpki'];
const ACTIONS = ['sign-in', 'download-bundle', 'POST /api/v1/clusters/:cluster/distributions', 'ca-key-sent', 'PUT /api/v1/clusters/:cluster/nodes/:node/ssh', 'export-audit'];

/** The i-th line written: actors, actions, clusters, nodes and results taken in turn; a few carry % and _ literally. */
function line(i: number) {
  const cluster = ['lab', 'prod', 'edge'][i % 3];
  const node = `worker${i % 40}`;
  const special = i % 97 === 0 ? ' path=/srv/100%_full' : i % 89 === 0 ? ' path=/srv/100x-full' : i % 83 === 0 ? ' path=/srv/a_b' : i % 79 === 0 ? ' path=/srv/axb' : '';
  return {
    at: new Date(Date.UTC(2030, 0, 1) + i * 60_000).toISOString(),
    actor: ACTORS[i % ACTORS.length],
    action: ACTIONS[i % ACTIONS.length],
    object: `cluster=${cluster} node=${node}${special}`,
    address: `127.0.${i % 7}.${(i % 200) + 1}`,
    result: RESULTS[i % RESULTS.length],
    details: i % 5 === 2 ? { job: `job-${i}`, nodes: [node, `cp${i % 3}`], caKey: i % 10 === 2 } : i % 11 === 0 ? { message: `Host key of ${node} changed` } : null,
    ...(i % 13 === 0 ? { token: { id: `tok-${i % 3}`, name: `ci-runner-${i % 3}` } } : {}),
  };
}

/** What a search looks in, as the store joins it. */
const hay = (e: AuditEntry) =>
  [e.actor, e.action, e.object, e.address, e.result, e.token?.id ?? '', e.token?.name ?? '', e.details === null ? '' : JSON.stringify(e.details)].join('\n').toLowerCase();
/** The lines a filter keeps, by JavaScript: outcome by auditOutcome(), words as plain substrings. */
const expected = (all: AuditEntry[], f: AuditFilter) =>
  all.filter((e) =>
    (!f.actor || e.actor === f.actor) && (!f.result || auditOutcome(e.result) === f.result) && (!f.cluster || ` ${e.object} `.includes(` cluster=${f.cluster} `)) &&
    (f.q ?? '').toLowerCase().split(/\s+/).filter(Boolean).every((w) => hay(e).includes(w)));
const countsOf = (lines: AuditEntry[]): AuditCounts => {
  const byResult = { ok: 0, denied: 0, failed: 0 };
  for (const e of lines) byResult[auditOutcome(e.result)]++;
  return { total: lines.length, byResult };
};

describe('audit search, result filter and counts on a real SQLite file', () => {
  const fx = useTestApp();
  let app: TestApp;
  let all: AuditEntry[] = [];
  const query = (f: AuditFilter) => new URLSearchParams(Object.entries(f).filter(([, v]) => v !== undefined) as Array<[string, string]>).toString();

  /** Every line GET /audit gives for `f`, page after page of 50 (before = the last id), and how many pages it took. */
  async function paged(f: AuditFilter): Promise<{ items: AuditEntry[]; pages: number }> {
    const items: AuditEntry[] = [];
    let pages = 0;
    for (let before: number | undefined; ;) {
      const res = await app.inject(`${API}/audit?limit=${PAGE}&${query(f)}${before ? `&before=${before}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json().items as AuditEntry[];
      pages++;
      items.push(...page);
      if (page.length < PAGE) return { items, pages };
      before = page.at(-1)!.id;
    }
  }
  const counts = async (f: AuditFilter): Promise<AuditCounts> => {
    const res = await app.inject(`${API}/audit/counts?${query(f)}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    app = fx.app;
    for (let i = 0; i < 2400; i++) app.deps.audit.append(line(i));
    all = (await paged({})).items;
    expect(all.length).toBeGreaterThan(2400); // and the admin's sign-in
    expect(fs.statSync(`${fx.dataDir}/kpki.db`).size).toBeGreaterThan(0);
  }, 60_000);

  test('the store reads a result as auditOutcome() does', () => {
    const samples = [...new Set([...RESULTS, 'ok', 'failed (401)', 'failed (403, 401)', 'failed (401, 409)', 'failed (429, 403, 401)', 'failed (4011)', 'failed ()', 'failed', 'OK', 'FAILED (401)', 'failed (401) ', 'denied', ''])];
    const outcome = app.deps.db.prepare(`SELECT ${OUTCOME_SQL} AS outcome FROM (SELECT ? AS result)`);
    const sql = Object.fromEntries(samples.map((r) => [r, (outcome.get(r) as { outcome: string }).outcome]));
    expect(sql).toEqual(Object.fromEntries(samples.map((r) => [r, auditOutcome(r)])));
    expect(auditOutcome('failed (401, 429)')).toBe('denied');
    expect(auditOutcome('failed (409)')).toBe('failed');
  });

  test('a search pattern takes % _ and \\ literally', () => {
    expect(searchPatterns(' 100%_full  a\\b ')).toEqual(['%100\\%\\_full%', '%a\\\\b%']);
    expect(searchPatterns(undefined)).toEqual([]);
  });

  test.each<[string, AuditFilter]>([
    ['the result denied', { result: 'denied' }],
    ['the result failed', { result: 'failed' }],
    ['a node found in the object and in the details', { q: 'worker7' }],
    ['an actor and an action, any case', { q: 'OLIVIA distributions' }],
    ['an address', { q: '127.0.3.' }],
    ['a token name', { q: 'ci-runner-1' }],
    ['a word of the details', { q: 'changed' }],
    ['a search, a result and a cluster together', { q: 'worker1', result: 'ok', cluster: 'prod' }],
    ['an actor, denied', { actor: 'oscar', result: 'denied' }],
  ])('%s: every page of GET /audit and the counts agree with the lines', async (_what, f) => {
    const want = expected(all, f);
    expect(want.length).toBeGreaterThan(0);
    const got = await paged(f);
    expect(got.items.map((e) => e.id)).toEqual(want.map((e) => e.id));
    if (want.length > PAGE) expect(got.pages).toBeGreaterThan(1);
    // the counts are of the whole log, not of a page; the result filter is left aside
    const { result: _result, ...others } = f;
    const counted = await counts(f);
    expect(counted).toEqual(countsOf(expected(all, others)));
    if (f.result) expect(counted.byResult[f.result]).toBe(want.length);
  });

  test('% and _ in a search are the characters themselves, not wildcards', async () => {
    const percent = await paged({ q: '100%_full' });
    expect(percent.items.length).toBeGreaterThan(0);
    expect(percent.items.every((e) => e.object.includes('/srv/100%_full'))).toBe(true);
    expect(percent.items.map((e) => e.id)).toEqual(all.filter((e) => e.object.includes('100%_full')).map((e) => e.id));
    // as a wildcard, 100% would also match 100x-full, and a_b would match axb
    expect(all.some((e) => e.object.includes('100x-full'))).toBe(true);
    expect((await paged({ q: '100%' })).items.every((e) => e.object.includes('100%'))).toBe(true);
    const underscore = await paged({ q: 'a_b' });
    expect(underscore.items.map((e) => e.id)).toEqual(all.filter((e) => hay(e).includes('a_b')).map((e) => e.id));
    expect(underscore.items.some((e) => e.object.includes('axb'))).toBe(false);
    expect((await counts({ q: '%' })).total).toBe(all.filter((e) => hay(e).includes('%')).length);
    expect((await counts({ q: '_' })).total).toBe(all.filter((e) => hay(e).includes('_')).length);
    expect((await counts({ q: '\\' })).total).toBe(0);
  });

  test('the counts of every line add up, and sum to what the result filters give', async () => {
    const whole = await counts({});
    expect(whole).toEqual(countsOf(all));
    expect(whole.byResult.ok + whole.byResult.denied + whole.byResult.failed).toBe(whole.total);
    for (const r of AUDIT_OUTCOMES) expect((await paged({ result: r })).items.length).toBe(whole.byResult[r]);
    // the result filter never narrows the counts
    expect(await counts({ result: 'denied' })).toEqual(whole);
  });

  test('the export keeps what the search and the result filter keep', async () => {
    const f: AuditFilter = { q: 'worker3', result: 'failed' };
    const res = await app.inject(`${API}/audit/export?format=json&${query(f)}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().filter).toMatchObject(f);
    expect(res.json().items.map((e: AuditEntry) => e.id)).toEqual(expected(all, f).map((e) => e.id));
  });

  test('bad filters are refused with 400: an unknown result, a search over 200 characters', async () => {
    for (const url of [`${API}/audit?result=refused`, `${API}/audit/counts?result=OK`, `${API}/audit/counts?q=${'x'.repeat(201)}`, `${API}/audit/export?format=csv&result=x`]) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    // blank search: no search
    expect(await counts({ q: '   ' })).toEqual(await counts({}));
  });

  test('a line recorded since moves the counts: a failed sign-in is one more denied', async () => {
    const f: AuditFilter = { q: 'intruder-zed' };
    expect(await counts(f)).toEqual({ total: 0, byResult: { ok: 0, denied: 0, failed: 0 } });
    const signIn = await app.rawInject({ method: 'POST', url: `${API}/session`, payload: { username: 'intruder-zed', password: 'not-the-password' }, remoteAddress: '127.0.9.9' });
    expect(signIn.statusCode).toBe(401);
    expect(await counts(f)).toEqual({ total: 1, byResult: { ok: 0, denied: 1, failed: 0 } });
    const whole = await counts({});
    expect(whole.byResult.denied).toBe(countsOf(all).byResult.denied + 1);
    // a refused creation by the admin (409: the cluster exists? 400 here: no nodes) is one more failed
    const bad = await app.inject({ method: 'POST', url: `${API}/clusters`, payload: { name: 'intruder-zed' } });
    expect(bad.statusCode).toBe(400);
    expect(await counts(f)).toEqual({ total: 2, byResult: { ok: 0, denied: 1, failed: 1 } });
    const [newest] = (await paged({ ...f, result: 'failed' })).items;
    expect(newest).toMatchObject({ actor: 'admin', action: 'POST /api/v1/clusters', result: 'failed (400)' });
  });
});
