/**
 * Issue 14 over the API, with a PKI made by real cfssl with the tutorial's commands: an import is
 * a pending row with its report and its files sealed (no key in clear in the SQLite file); adopting
 * it makes the certificates and keys current byte for byte, marked imported; every refusal
 * (hostile archive, CA key not matching, another CA, ended import, the CA key rule) leaves the
 * database as it was; pending imports expire, are discarded and are purged with their cluster.
 * The fleet (nodes already holding the files, verify, renewal): imports-fleet.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import type { FastifyInstance } from 'fastify';
import { DAY_MS, issuedCluster, reauth, refreshSession, tempDataDir, testApp, testClock } from './helpers/app.ts';
import { bearer, createToken, createUser, signIn } from './helpers/auth.ts';
import { dump } from './helpers/db-dump.ts';
import { CFSSL_NAMES, cfsslHostname, cfsslResign, tarGz, writeCfsslPki, zipFiles } from './helpers/cfssl-pki.ts';
import { removeDir, tmpDir } from './helpers/tools.ts';

type App = FastifyInstance & { rawInject: FastifyInstance['inject'] };
const API = '/api/v1';
const GZ = { 'content-type': 'application/gzip' };

/** A .tar.gz made by hand, for entries tar itself would not write (a path escaping the folder, a link). */
async function handmadeTarGz(entries: Array<{ name: string; content?: string; type?: 'file' | 'symlink'; linkname?: string }>): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) {
    if (e.type === 'symlink') pack.entry({ name: e.name, type: 'symlink', linkname: e.linkname });
    else pack.entry({ name: e.name, mode: 0o644 }, e.content ?? '');
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return zlib.gzipSync(Buffer.concat(chunks));
}

/** The sealed secret holding an import's files (null once it ended). */
const sealedOf = (app: App, id: string) => (app.deps.db.prepare('SELECT files_secret_id AS id FROM imports WHERE id = ?').get(id) as { id: string | null }).id;
const secretExists = (app: App, id: string) => app.deps.db.prepare('SELECT 1 FROM secrets WHERE id = ?').get(id) !== undefined;

/** Row counts of the tables an import touches. */
function counts(app: App): Record<string, number> {
  const n = (t: string) => (app.deps.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
  return { imports: n('imports'), secrets: n('secrets'), certificates: n('certificates'), issuances: n('issuances') };
}

describe('importing and adopting the tutorial\'s cfssl PKI', () => {
  let dataDir = '';
  let pkiDir = '';
  let work = '';
  let app: App;
  const clock = testClock();
  let archive: Buffer;
  const files: Record<string, string> = {};

  /** Creates the preset as cluster `name` (no CA), changed by `change`. */
  const cluster = async (name: string, change: (c: any) => void = () => {}) => {
    const preset = (await app.inject(`${API}/presets/hard-way`)).json();
    preset.name = name;
    change(preset);
    const res = await app.inject({ method: 'POST', url: `${API}/clusters`, payload: preset });
    expect(res.statusCode, res.body).toBe(201);
    return name;
  };
  const upload = async (name: string, body: Buffer, headers: Record<string, string> = GZ) => {
    await reauth(app);
    return app.inject({ method: 'POST', url: `${API}/clusters/${name}/imports`, headers, payload: body });
  };
  const adopt = async (name: string, id: string) => {
    await reauth(app);
    return app.inject({ method: 'POST', url: `${API}/clusters/${name}/imports/${id}/adopt` });
  };

  beforeAll(async () => {
    dataDir = tempDataDir();
    app = await testApp(dataDir, {}, { now: clock.now });
    pkiDir = await tmpDir('kpki-cfssl-pki-');
    await writeCfsslPki(pkiDir);
    work = await tmpDir('kpki-import-work-');
    archive = await tarGz(pkiDir, path.join(work, 'pki.tar.gz'));
    for (const f of fs.readdirSync(pkiDir)) files[f] = fs.readFileSync(path.join(pkiDir, f), 'utf8');
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    await removeDir(pkiDir);
    await removeDir(work);
  });

  test('the upload answers 201 with the report, stores a pending import with its files sealed; the answer and the database hold no key in clear', async () => {
    await cluster('adopted');
    const before = counts(app);
    const res = await upload('adopted', archive);
    expect(res.statusCode, res.body).toBe(201);
    const view = res.json();
    expect(view).toMatchObject({ state: 'pending', hasCaKey: true, createdBy: 'admin', origin: { kind: 'archive', mediaType: 'application/gzip', bytes: archive.length } });
    expect(view.report.layout).toBe('tutorial');
    expect(view.report.files.map((f: { name: string }) => f.name).sort()).toEqual([...CFSSL_NAMES].sort());
    expect(view.report.files.every((f: { problems: unknown[] }) => f.problems.length === 0)).toBe(true);
    expect(Date.parse(view.expiresAt) - Date.parse(view.createdAt)).toBe(DAY_MS);
    expect(res.body).not.toMatch(/PRIVATE KEY/);
    // one import, one sealed secret (the files), nothing else
    expect(counts(app)).toEqual({ ...before, imports: before.imports + 1, secrets: before.secrets + 1 });
    const again = await app.inject(`${API}/clusters/adopted/imports/${view.id}`);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(view);
    // no line of any key's PEM in the database file or its WAL
    const bytes = Buffer.concat([dataDir].flatMap((d) => fs.readdirSync(d).filter((f) => f.startsWith('kpki.db')).map((f) => fs.readFileSync(path.join(d, f)))));
    for (const [name, text] of Object.entries(files).filter(([n]) => n.endsWith('-key.pem'))) {
      for (const line of text.split('\n').filter((l) => l.length > 40 && !l.startsWith('-----'))) {
        expect(bytes.includes(Buffer.from(line)), `${name} in the database`).toBe(false);
      }
    }
    expect(bytes.includes(Buffer.from('PRIVATE KEY'))).toBe(false);
  });

  test('adopting makes the ten certificates current byte for byte, marked imported; the change review has nothing to issue; adopting again is refused', async () => {
    const [imp] = app.deps.imports.list(app.deps.clusters.get('adopted')!.id);
    const sealed = sealedOf(app, imp.id)!;
    expect(secretExists(app, sealed)).toBe(true);
    const res = await adopt('adopted', imp.id);
    expect(res.statusCode, res.body).toBe(200);
    const adopted = res.json();
    expect(adopted.adopted.map((a: { name: string }) => a.name).sort()).toEqual([...CFSSL_NAMES].sort());
    expect(adopted.skipped).toEqual([]);
    expect(adopted.import).toMatchObject({ state: 'adopted', endedBy: 'admin', issuanceId: adopted.issuanceId });
    // ten keys sealed with the certificates, the import's sealed files deleted
    expect(secretExists(app, sealed)).toBe(false);
    const keyIds = app.deps.certificates.secretIds(app.deps.clusters.get('adopted')!.id);
    expect(keyIds.filter((k) => secretExists(app, k))).toHaveLength(10);
    const certs = (await app.inject(`${API}/clusters/adopted/certificates`)).json().items;
    expect(certs).toHaveLength(10);
    expect(certs.every((c: { source: string; issuanceId: string }) => c.source === 'imported' && c.issuanceId === adopted.issuanceId)).toBe(true);
    await reauth(app);
    for (const name of CFSSL_NAMES) {
      expect((await app.inject(`${API}/clusters/adopted/certificates/${name}/cert.pem`)).body, name).toBe(files[`${name}.pem`]);
      expect((await app.inject(`${API}/clusters/adopted/certificates/${name}/key.pem`)).body, `${name}-key`).toBe(files[`${name}-key.pem`]);
    }
    expect((await app.inject(`${API}/clusters/adopted/certificates/worker1`)).json().source).toBe('imported');
    const issuances = (await app.inject(`${API}/clusters/adopted/issuances`)).json().items;
    expect(issuances[0]).toMatchObject({ id: adopted.issuanceId, kind: 'import', certificates: 10 });
    const changes = (await app.inject(`${API}/clusters/adopted/changes`)).json();
    expect(changes.certificates.filter((c: { change: string }) => c.change !== 'unchanged')).toEqual([]);
    // a bundle of the cluster holds the imported files as they were
    const before = dump(app.deps.db);
    const twice = await adopt('adopted', imp.id);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('IMPORT_ENDED');
    expect(dump(app.deps.db)).toBe(before);
  });

  test('a zip of the same folder reads the same', async () => {
    await cluster('zipped');
    const res = await upload('zipped', await zipFiles(pkiDir, path.join(work, 'pki.zip')), { 'content-type': 'application/zip' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().report.files).toHaveLength(10);
  });

  test('hostile archives are refused naming the entry, and the database is unchanged', async () => {
    const before = dump(app.deps.db);
    const cases: Array<[Buffer, string]> = [
      [await handmadeTarGz([{ name: 'ca.pem', content: files['ca.pem'] }, { name: '../escape.pem', content: files['admin.pem'] }]), '../escape.pem'],
      [await handmadeTarGz([{ name: 'ca.pem', content: files['ca.pem'] }, { name: 'ca-key.pem', type: 'symlink', linkname: '/etc/shadow' }]), 'ca-key.pem'],
      // a gzip bomb: 40 MiB of zeros in one entry, past the limits
      [await handmadeTarGz([{ name: 'big.pem', content: '0'.repeat(40 * 1024 * 1024) }]), 'big.pem'],
    ];
    for (const [body, entry] of cases) {
      const res = await upload('zipped', body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.code).toBe('ARCHIVE_REFUSED');
      expect(res.json().error.details.entry).toBe(entry);
      expect(res.json().error.message).toContain(entry);
    }
    const garbage = await upload('zipped', Buffer.from('not an archive at all'));
    expect(garbage.statusCode).toBe(400);
    const json = await app.inject({ method: 'POST', url: `${API}/clusters/zipped/imports`, payload: { node: 'cp1' } });
    expect(json.statusCode).toBe(400);
    expect(json.json().error.code).toBe('VALIDATION_FAILED');
    const text = await app.inject({ method: 'POST', url: `${API}/clusters/zipped/imports`, headers: { 'content-type': 'text/plain' }, payload: 'x' });
    expect(text.statusCode).toBe(415);
    expect(dump(app.deps.db)).toBe(before);
  });

  test('the CA key rule: an operator, an admin without the password re-entered and an API token cannot upload the CA key; certificates alone an operator may', async () => {
    await createUser(app, 'otto', 'otto-password-1', 'operator');
    const otto = await signIn(app, 'otto', 'otto-password-1');
    const { token } = await createToken(app, 'imports');
    await refreshSession(app); // an admin session without re-entry
    const before = dump(app.deps.db);
    for (const [headers, code] of [[otto, 'FORBIDDEN'], [bearer(token), 'REAUTH_REQUIRED'], [{}, 'REAUTH_REQUIRED']] as const) {
      const res = await app.inject({ method: 'POST', url: `${API}/clusters/zipped/imports`, headers: { ...headers, ...GZ }, payload: archive });
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().error.code).toBe(code);
    }
    expect(dump(app.deps.db)).toBe(before);
    // without ca-key.pem: an operator imports and adopts what matches its CA (none: the cluster has no CA, so adoption is refused)
    const noCaKey = path.join(work, 'no-ca-key');
    fs.mkdirSync(noCaKey);
    for (const f of Object.keys(files).filter((n) => n.endsWith('.pem') && n !== 'ca-key.pem')) fs.copyFileSync(path.join(pkiDir, f), path.join(noCaKey, f));
    const res = await app.rawInject({ method: 'POST', url: `${API}/clusters/zipped/imports`, headers: { ...otto, ...GZ }, payload: await tarGz(noCaKey, path.join(work, 'no-ca-key.tar.gz')) });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().hasCaKey).toBe(false);
    const unchanged = dump(app.deps.db);
    const refused = await app.rawInject({ method: 'POST', url: `${API}/clusters/zipped/imports/${res.json().id}/adopt`, headers: otto });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().error.code).toBe('IMPORT_NOT_ADOPTABLE');
    expect(refused.json().error.message).toMatch(/ca-key\.pem/);
    expect(dump(app.deps.db)).toBe(unchanged);
  });

  test('a CA key that does not match the CA certificate, and a cluster with another CA: adoption is refused and nothing is stored', async () => {
    const other = path.join(work, 'wrong-ca-key');
    fs.mkdirSync(other);
    for (const f of Object.keys(files).filter((n) => n.endsWith('.pem'))) fs.copyFileSync(path.join(pkiDir, f), path.join(other, f));
    fs.copyFileSync(path.join(pkiDir, 'admin-key.pem'), path.join(other, 'ca-key.pem'));
    await cluster('wrong-key');
    const created = await upload('wrong-key', await tarGz(other, path.join(work, 'wrong.tar.gz')));
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().hasCaKey).toBe(true); // a key named as the CA's: the CA key rule, matching or not
    const before = dump(app.deps.db);
    const res = await adopt('wrong-key', created.json().id);
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error.code).toBe('IMPORT_NOT_ADOPTABLE');
    expect(res.json().error.message).toMatch(/ca-key\.pem is not the key of the CA certificate/);
    expect(dump(app.deps.db)).toBe(before);

    const issued = await issuedCluster(app, (c) => (c.name = 'issued'));
    const imp = await upload(issued, archive);
    expect(imp.statusCode, imp.body).toBe(201);
    const unchanged = dump(app.deps.db);
    const refused = await adopt(issued, imp.json().id);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toMatch(/has another CA/);
    expect(dump(app.deps.db)).toBe(unchanged);
  });

  test('a PKI with one SAN removed from kubernetes.pem and one key swapped: kubernetes is adopted and reads outdated; the swapped pair is left out and reads new', async () => {
    const changed = path.join(work, 'changed');
    fs.mkdirSync(changed);
    for (const f of fs.readdirSync(pkiDir)) fs.copyFileSync(path.join(pkiDir, f), path.join(changed, f));
    // kubernetes.pem again with the tutorial's command, without 127.0.0.1
    await cfsslResign(changed, 'kubernetes', { hostname: cfsslHostname('kubernetes')!.split(',').filter((h) => h !== '127.0.0.1').join(',') });
    // worker1's key swapped with worker2's
    fs.copyFileSync(path.join(pkiDir, 'worker2-key.pem'), path.join(changed, 'worker1-key.pem'));
    await cluster('changed');
    const created = await upload('changed', await tarGz(changed, path.join(work, 'changed.tar.gz')));
    expect(created.statusCode, created.body).toBe(201);
    const res = await adopt('changed', created.json().id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().skipped).toEqual([{ name: 'worker1', file: 'worker1.pem', reason: 'worker1-key.pem is not its key' }]);
    const changes = (await app.inject(`${API}/clusters/changed/changes`)).json();
    const byName = Object.fromEntries(changes.certificates.map((c: { name: string; change: string }) => [c.name, c.change]));
    expect(byName.kubernetes).toBe('outdated');
    expect(byName.worker1).toBe('new');
    expect(Object.entries(byName).filter(([, c]) => c !== 'unchanged').map(([n]) => n).sort()).toEqual(['kubernetes', 'worker1']);
  });

  test('a topology proposed from the certificates alone, for an operator, stores nothing', async () => {
    const otto = await signIn(app, 'otto', 'otto-password-1');
    const certsOnly = path.join(work, 'certs-only');
    fs.mkdirSync(certsOnly);
    for (const f of Object.keys(files).filter((n) => n.endsWith('.pem') && !n.endsWith('-key.pem'))) fs.copyFileSync(path.join(pkiDir, f), path.join(certsOnly, f));
    const before = dump(app.deps.db);
    const res = await app.rawInject({ method: 'POST', url: `${API}/imports/proposal`, headers: { ...otto, ...GZ }, payload: await tarGz(certsOnly, path.join(work, 'certs.tar.gz')) });
    expect(res.statusCode, res.body).toBe(200);
    const preset = (await app.inject(`${API}/presets/hard-way`)).json();
    const nodes = (c: { nodes: Array<{ name: string; role: string; addresses: string[] }> }) => c.nodes.map((n) => `${n.name} ${n.role} ${n.addresses.join(',')}`).sort();
    expect(nodes(res.json())).toEqual(nodes(preset));
    expect(dump(app.deps.db)).toBe(before);
    const withCaKey = await app.rawInject({ method: 'POST', url: `${API}/imports/proposal`, headers: { ...otto, ...GZ }, payload: archive });
    expect(withCaKey.statusCode).toBe(403);
  });

  test('discard deletes the sealed files; a pending import expires after 24 hours; purging the cluster removes its imports', async () => {
    await cluster('expiring');
    const a = (await upload('expiring', archive)).json();
    const b = (await upload('expiring', archive)).json();
    const [sealedA, sealedB] = [sealedOf(app, a.id)!, sealedOf(app, b.id)!];
    const discarded = await app.inject({ method: 'DELETE', url: `${API}/clusters/expiring/imports/${a.id}` });
    expect(discarded.statusCode, discarded.body).toBe(200);
    expect(discarded.json()).toMatchObject({ state: 'discarded', endedBy: 'admin' });
    expect([secretExists(app, sealedA), secretExists(app, sealedB)]).toEqual([false, true]);
    clock.advance(DAY_MS + 60_000);
    await refreshSession(app);
    const expired = await app.inject(`${API}/clusters/expiring/imports/${b.id}`);
    expect(expired.json()).toMatchObject({ state: 'discarded', endedBy: 'kpki', endReason: 'expired: not adopted in time' });
    expect(secretExists(app, sealedB)).toBe(false);
    // every pending import expired with it: no sealed import files are left
    expect(app.deps.db.prepare("SELECT count(*) AS n FROM imports WHERE state = 'pending' OR files_secret_id IS NOT NULL").get()).toEqual({ n: 0 });
    const late = await adopt('expiring', b.id);
    expect(late.json().error.code).toBe('IMPORT_ENDED');
    // a pending import of a deleted cluster goes with it when the cluster is purged
    const c = (await upload('expiring', archive)).json();
    expect(c.state).toBe('pending');
    const sealedC = sealedOf(app, c.id)!;
    const id = app.deps.clusters.get('expiring')!.id;
    await reauth(app);
    expect((await app.inject({ method: 'DELETE', url: `${API}/clusters/expiring` })).statusCode).toBe(200);
    expect((await app.inject({ method: 'DELETE', url: `${API}/deleted-clusters/expiring` })).statusCode).toBe(204);
    expect(app.deps.db.prepare('SELECT count(*) AS n FROM imports WHERE cluster_id = ?').get(id)).toEqual({ n: 0 });
    expect(secretExists(app, sealedC)).toBe(false);
  });
});
