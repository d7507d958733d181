/**
 * The audit log under attack and over time (issue 8, items 4 and 9): anonymous floods leave a
 * handful of aggregated lines and meet a rate limit; a deeply nested body never costs its line;
 * old lines move to archive files (admin on demand, kpki after the retention, injected clock)
 * that hold exactly the rows removed, chained record by record, while the log reads on.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { AuditEntry } from '@kpki/shared';
import { tempDataDir, testApp, testClock } from './helpers/app.ts';
import { bearer, createToken } from './helpers/auth.ts';

type App = FastifyInstance & { rawInject: FastifyInstance['inject'] };
const API = '/api/v1';
const DAY = 86_400_000;
const count = (app: App) => (app.deps.db.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n;
/** How many answers of each status `n` requests got (`send(i)` sends the i-th). */
async function statusesOf(n: number, send: (i: number) => Promise<{ statusCode: number }>): Promise<Record<number, number>> {
  const statuses: Record<number, number> = {};
  for (let i = 0; i < n; i++) {
    const { statusCode } = await send(i);
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  }
  return statuses;
}

/** An app on a data directory of its own whose clock starts at `start` and moves by hand; built before each test of the describe, closed after it. */
function appOnClock(start: string) {
  const t: { app: App; dataDir: string; clock: ReturnType<typeof testClock> } = { app: undefined as unknown as App, dataDir: '', clock: testClock(Date.parse(start)) };
  beforeEach(async () => {
    t.clock = testClock(Date.parse(start));
    t.dataDir = tempDataDir();
    t.app = await testApp(t.dataDir, {}, { now: t.clock.now });
  });
  afterEach(async () => {
    await t.app?.close();
    if (t.dataDir) fs.rmSync(t.dataDir, { recursive: true, force: true });
  });
  return t;
}

const all = async (app: App) => {
  const items: AuditEntry[] = [];
  for (let before: number | undefined; ;) {
    const page = (await app.inject(`${API}/audit?limit=1000${before ? `&before=${before}` : ''}`)).json().items as AuditEntry[];
    items.push(...page);
    if (page.length < 1000) return items;
    before = page.at(-1)!.id;
  }
};

describe('anonymous requests', () => {
  const t = appOnClock('2030-06-01T10:00:00.000Z');

  test('a thousand rejected anonymous writes add one line; past 120 a minute they are refused with 429', async () => {
    const { app, clock } = t;
    const before = count(app);
    const statuses = await statusesOf(1000, (i) => app.rawInject({ method: 'POST', url: `${API}/clusters`, payload: { name: `x${i}` }, remoteAddress: '127.0.3.1' }));
    expect(statuses).toEqual({ 401: 120, 429: 880 });
    expect(count(app)).toBe(before); // nothing yet: the minute has not ended
    clock.advance(60_000);
    await app.rawInject({ method: 'DELETE', url: `${API}/clusters/x`, remoteAddress: '127.0.3.1' }); // the next minute writes the last one's line
    expect(count(app) - before).toBe(1);
    const line = (await all(app)).find((e) => e.action === 'rejected-anonymous-requests')!;
    expect(line).toMatchObject({ actor: 'anonymous', address: '127.0.3.1', result: 'failed (401, 429)', details: { count: 1000, statuses: { 401: 120, 429: 880 }, routes: { 'POST /api/v1/clusters': 1000 } } });
    // the rate limit is over with the minute
    expect((await app.rawInject({ method: 'POST', url: `${API}/clusters`, payload: {}, remoteAddress: '127.0.3.1' })).statusCode).toBe(401);
  });

  test('from many addresses: one line for each of the first 20, one for all the others; and everyone together is limited', async () => {
    const { app, clock } = t;
    // the next minute: the admin's sign-in (an anonymous request when it came) counted in this one
    clock.advance(60_000);
    const before = count(app);
    const statuses = await statusesOf(1300, (i) => app.rawInject({ method: 'PUT', url: `${API}/clusters/x`, payload: {}, remoteAddress: `127.0.4.${(i % 250) + 1}` }));
    expect(statuses).toEqual({ 401: 1200, 429: 100 }); // 250 addresses, none over 120: the total of 1200 a minute
    app.deps.anonymous.flush(true);
    expect(count(app) - before).toBe(21);
    const other = (await all(app)).find((e) => e.address === '230 other addresses')!;
    expect(other.details).toMatchObject({ count: 1300 - 20 * 6 });
  });

  test('a signed-in user is not held by the anonymous limit, and a failed sign-in keeps its own line', async () => {
    const { app } = t;
    const { token } = await createToken(app, 'busy');
    for (let i = 0; i < 150; i++) expect((await app.rawInject({ url: `${API}/clusters`, headers: bearer(token), remoteAddress: '127.0.3.9' })).statusCode).toBe(200);
    await app.rawInject({ method: 'POST', url: `${API}/session`, payload: { username: 'nobody', password: 'wrong-password' }, remoteAddress: '127.0.3.9' });
    expect((await all(app)).find((e) => e.action === 'sign-in' && e.actor === 'nobody')).toMatchObject({ result: 'failed (401)', address: '127.0.3.9' });
  });
});

describe('a deeply nested body', () => {
  test('is refused and its audit line is written with the depth cut, the database otherwise unchanged', async () => {
    const dataDir = tempDataDir();
    const app = await testApp(dataDir);
    try {
      const depth = 100_000;
      const body = `{"name":"deep","nodes":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      const before = count(app);
      const res = await app.inject({ method: 'POST', url: `${API}/clusters`, payload: body, headers: { 'content-type': 'application/json' } });
      expect(res.statusCode).toBe(400);
      expect(count(app)).toBe(before + 1);
      const line = (await all(app))[0];
      expect(line).toMatchObject({ action: 'POST /api/v1/clusters', result: 'failed (400)', actor: 'admin' });
      expect(JSON.stringify(line.details)).toContain('nested deeper than 8 levels');
      expect(JSON.stringify(line.details).length).toBeLessThan(2100);
      expect((await app.inject(`${API}/clusters`)).json().items).toEqual([]);
    } finally {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('audit retention and export', () => {
  const t = appOnClock('2030-01-01T00:00:00.000Z');
  const archiveFile = (name: string) => path.join(t.dataDir, 'audit-archives', name);
  const sha = (b: Buffer | string) => crypto.createHash('sha256').update(b).digest('hex');

  /** 30 refused creations 10 minutes apart, then 5 more: returns the time between them (the cut). */
  async function linesAroundACut(app: App): Promise<string> {
    for (let i = 0; i < 30; i++) {
      await app.inject({ method: 'POST', url: `${API}/clusters`, payload: { name: `bad-${i}` } });
      t.clock.advance(600_000);
    }
    const cut = t.clock.now().toISOString();
    for (let i = 0; i < 5; i++) await app.inject({ method: 'POST', url: `${API}/clusters`, payload: { name: `late-${i}` } });
    return cut;
  }

  test('an admin archives the old lines: the file holds exactly the rows removed, the record chains them, the log reads on', async () => {
    const { app } = t;
    const cut = await linesAroundACut(app);
    const before = (await all(app)).reverse();
    const old = before.filter((e) => e.at < cut);
    expect(old.length).toBeGreaterThanOrEqual(31); // the sign-in and the 30 refused creations

    const res = await app.inject({ method: 'POST', url: `${API}/audit/archives`, payload: { before: cut } });
    expect(res.statusCode, res.body).toBe(201);
    const record = res.json();
    expect(record).toMatchObject({ firstId: old[0].id, lastId: old.at(-1)!.id, rows: old.length, firstAt: old[0].at, lastAt: old.at(-1)!.at, previousSha256: null, createdBy: 'admin' });
    const text = fs.readFileSync(archiveFile(record.file), 'utf8');
    expect(sha(text)).toBe(record.sha256);
    expect(fs.statSync(archiveFile(record.file)).mode & 0o777).toBe(0o600);
    const [header, ...rows] = text.trimEnd().split('\n');
    expect(JSON.parse(header)).toEqual({ kpki: 'audit-archive', version: 1, firstId: record.firstId, lastId: record.lastId, previousSha256: null });
    expect(rows.map((r) => JSON.parse(r))).toEqual(old);

    const after = (await all(app)).reverse();
    expect(after.map((e) => e.id)).toEqual([...before.filter((e) => e.at >= cut).map((e) => e.id), after.at(-1)!.id]);
    expect(after.at(-1)).toMatchObject({ action: 'archive-audit', result: 'ok', actor: 'admin' });
    // paging back still works on what is left
    const page = (await app.inject(`${API}/audit?limit=2&before=${after.at(-1)!.id}`)).json().items;
    expect(page.map((e: AuditEntry) => e.id)).toEqual(after.slice(-3, -1).map((e) => e.id).reverse());
    const download = await app.inject(`${API}/audit/archives/${record.id}/file`);
    expect(download.statusCode).toBe(200);
    expect(sha(download.rawPayload)).toBe(record.sha256);
  });

  test('rows leave the log only into an archive: any other UPDATE or DELETE is refused by the database (append-only triggers)', async () => {
    const { db } = t.app.deps;
    await linesAroundACut(t.app);
    const rows = () => db.prepare('SELECT * FROM audit ORDER BY id').all();
    const before = rows();
    expect(before.length).toBeGreaterThan(30);
    const first = (before[0] as { id: number }).id;
    expect(() => db.prepare('DELETE FROM audit WHERE id = ?').run(first)).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    expect(() => db.prepare('UPDATE audit SET result = ? WHERE id = ?').run('ok', first)).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE audit SET result = 'ok'").run()).toThrow(/append-only/);
    expect(rows()).toEqual(before);
    expect((await t.app.inject({ method: 'POST', url: `${API}/audit/archives`, payload: { before: t.clock.now().toISOString() } })).statusCode).toBe(201);
    expect(() => db.prepare('DELETE FROM audit_archives').run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE audit_archives SET created_by = 'x'").run()).toThrow(/append-only/);
  });

  test('past KPKI_AUDIT_RETENTION_DAYS kpki archives by itself, chained to the archive before; a broken file shows', async () => {
    const cut = await linesAroundACut(t.app);
    expect((await t.app.inject({ method: 'POST', url: `${API}/audit/archives`, payload: { before: cut } })).statusCode).toBe(201);
    t.clock.advance(400 * DAY);
    const fresh = await testApp(t.dataDir, {}, { now: t.clock.now }); // start-up maintenance archives what is older than 365 days
    await t.app.close();
    t.app = fresh;
    const { app } = t;
    const archives = (await app.inject(`${API}/audit/archives`)).json().items;
    expect(archives).toHaveLength(2);
    expect(archives[1]).toMatchObject({ createdBy: 'kpki', previousSha256: archives[0].recordSha256, firstId: archives[0].lastId + 1, intact: true });
    expect(archives[0].intact).toBe(true);
    const left = (await all(app)).reverse();
    expect(left[0].id).toBe(archives[1].lastId + 1);
    expect(left.find((e) => e.action === 'audit-archived')).toMatchObject({ actor: 'kpki', details: { rows: archives[1].rows } });

    fs.appendFileSync(archiveFile(archives[0].file), '{"forged":true}\n');
    const checked = (await app.inject(`${API}/audit/archives`)).json().items;
    expect(checked.map((a: { intact: boolean }) => a.intact)).toEqual([false, true]);
  });

  test('nothing left before the date: 409 NOTHING_TO_ARCHIVE, and a token may not archive', async () => {
    const { app, clock } = t;
    const none = await app.inject({ method: 'POST', url: `${API}/audit/archives`, payload: { before: '2000-01-01T00:00:00Z' } });
    expect(none.statusCode).toBe(409);
    expect(none.json().error.code).toBe('NOTHING_TO_ARCHIVE');
    const { token } = await createToken(app, 'archiver');
    const res = await app.rawInject({ method: 'POST', url: `${API}/audit/archives`, headers: bearer(token), payload: { before: clock.now().toISOString() } });
    expect(res.statusCode).toBe(403);
  });
});
