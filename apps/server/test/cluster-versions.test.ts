/**
 * Safe concurrent edits (issue 17): a cluster read carries its version as ETag, writes sent with
 * If-Match answer 412 when someone changed the cluster since (the first write stays in the
 * SQLite file), and PUT takes back the representation GET gives (read-only fields unchanged).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { reauth, tempDataDir, testApp } from './helpers/app.ts';
import { createUser, signIn, type SessionHeaders } from './helpers/auth.ts';

type App = Awaited<ReturnType<typeof testApp>>;

describe('cluster versions: ETag, If-Match, PUT of a GET body', () => {
  let dataDir = '';
  let app: App;
  let otto: SessionHeaders;
  const url = '/api/v1/clusters/hard-way';

  /** What the SQLite file holds for the cluster, read with a connection of its own. */
  const stored = () => {
    const db = new Database(path.join(dataDir, 'kpki.db'), { readonly: true });
    try {
      const row = db.prepare("SELECT spec, updated_at AS updatedAt FROM clusters WHERE name = 'hard-way'").get() as { spec: string; updatedAt: string };
      return { ...JSON.parse(row.spec), updatedAt: row.updatedAt };
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    dataDir = tempDataDir();
    app = await testApp(dataDir);
    await createUser(app, 'otto', 'otto-password-1', 'operator');
    otto = await signIn(app, 'otto', 'otto-password-1');
    const preset = (await app.inject('/api/v1/presets/hard-way')).json();
    expect((await app.inject({ method: 'POST', url: '/api/v1/clusters', payload: preset })).statusCode).toBe(201);
  });
  afterAll(async () => {
    await app?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('two writers: the second PUT with the first ETag gets 412 with the current version; the database keeps the first write', async () => {
    const read = await app.inject(url);
    const etag = read.headers.etag as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const base = read.json();

    // writer 1 (the admin) and writer 2 (otto, an operator) both start from `etag`
    const first = await app.inject({ method: 'PUT', url, headers: { 'if-match': etag }, payload: { ...base, certValidityHours: 4000 } });
    expect(first.statusCode, first.body).toBe(200);
    const newEtag = first.headers.etag as string;
    expect(newEtag).not.toBe(etag);
    expect((await app.inject(url)).headers.etag).toBe(newEtag);

    const second = await app.rawInject({ method: 'PUT', url, headers: { ...otto, 'if-match': etag }, payload: { ...base, clusterDomain: 'cluster.example' } });
    expect(second.statusCode).toBe(412);
    const err = second.json().error;
    expect(err.code).toBe('PRECONDITION_FAILED');
    expect(err.message).toContain(newEtag);
    expect(err.details.etag).toBe(newEtag);
    expect(err.details.current.certValidityHours).toBe(4000);
    expect(err.details.current.clusterDomain).toBe(base.clusterDomain);

    const db = stored();
    expect(db.certValidityHours).toBe(4000);
    expect(db.clusterDomain).toBe(base.clusterDomain);

    // writer 2 reapplies on the current version: accepted, both changes kept
    const again = await app.rawInject({ method: 'PUT', url, headers: { ...otto, 'if-match': err.details.etag }, payload: { ...err.details.current, clusterDomain: 'cluster.example' } });
    expect(again.statusCode, again.body).toBe(200);
    expect(stored()).toMatchObject({ certValidityHours: 4000, clusterDomain: 'cluster.example' });
  });

  test('a GET body sent back with PUT is accepted (read-only fields unchanged are ignored), with or without If-Match', async () => {
    const read = await app.inject(url);
    const body = read.json();
    for (const field of ['createdAt', 'updatedAt', 'hasCa', 'caNotAfter']) expect(body).toHaveProperty(field);
    const put = await app.inject({ method: 'PUT', url, headers: { 'if-match': read.headers.etag as string }, payload: body });
    expect(put.statusCode, put.body).toBe(200);
    const again = await app.inject(url);
    const put2 = await app.inject({ method: 'PUT', url, payload: again.json() });
    expect(put2.statusCode, put2.body).toBe(200);
    expect(put2.json().createdAt).toBe(body.createdAt);
  });

  test('changing a read-only field is refused naming it, and nothing is written', async () => {
    const read = await app.inject(url);
    const body = read.json();
    const before = stored();
    const res = await app.inject({ method: 'PUT', url, payload: { ...body, createdAt: '2001-01-01T00:00:00.000Z', certValidityHours: 1234 } });
    expect(res.statusCode).toBe(400);
    const err = res.json().error;
    expect(err.code).toBe('READ_ONLY_FIELD');
    expect(err.message).toContain('createdAt is read-only');
    expect(err.details).toEqual([expect.objectContaining({ path: '/createdAt', code: 'READ_ONLY_FIELD' })]);
    const hasCa = await app.inject({ method: 'PUT', url, payload: { ...body, hasCa: true } });
    expect(hasCa.statusCode).toBe(400);
    expect(hasCa.json().error.message).toContain('hasCa is read-only');
    expect(stored()).toEqual(before);
    expect((await app.inject(url)).headers.etag).toBe(read.headers.etag);
  });

  test('the other writes to a cluster honour If-Match too: SSH settings of a node, deletion; `*` matches any version', async () => {
    const read = await app.inject(url);
    const stale = read.headers.etag as string;
    const ssh = await app.inject({ method: 'PUT', url: `${url}/nodes/worker1/ssh`, headers: { 'if-match': stale }, payload: { user: 'kpki' } });
    expect(ssh.statusCode, ssh.body).toBe(200);
    const current = ssh.headers.etag as string;
    expect(current).not.toBe(stale);
    expect((await app.inject(url)).headers.etag).toBe(current);

    const staleSsh = await app.inject({ method: 'PUT', url: `${url}/nodes/worker2/ssh`, headers: { 'if-match': stale }, payload: { user: 'kpki' } });
    expect(staleSsh.statusCode).toBe(412);
    expect(staleSsh.json().error.details.etag).toBe(current);
    expect((await app.inject(url)).json().nodes.find((n: { name: string }) => n.name === 'worker2').ssh).toBeUndefined();

    const weak = await app.inject({ method: 'PUT', url: `${url}/nodes/worker2/ssh`, headers: { 'if-match': `W/${current}` }, payload: { user: 'kpki' } });
    expect(weak.statusCode).toBe(412); // If-Match compares strongly
    const any = await app.inject({ method: 'PUT', url: `${url}/nodes/worker2/ssh`, headers: { 'if-match': '*' }, payload: { user: 'kpki' } });
    expect(any.statusCode, any.body).toBe(200);

    // creating the CA changes what GET shows (hasCa, caNotAfter), so the version
    const beforeCa = (await app.inject(url)).headers.etag as string;
    expect((await app.inject({ method: 'POST', url: `${url}/ca` })).statusCode).toBe(201);
    const afterCa = (await app.inject(url)).headers.etag as string;
    expect(afterCa).not.toBe(beforeCa);

    // deletion (elevated admin) with a stale version: 412 before anything else, the cluster stays
    await reauth(app);
    const del = await app.inject({ method: 'DELETE', url, headers: { 'if-match': beforeCa } });
    expect(del.statusCode).toBe(412);
    expect((await app.inject(url)).statusCode).toBe(200);
  });
});
