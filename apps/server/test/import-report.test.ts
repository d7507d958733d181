/**
 * Issue 14, the import report against real cfssl: the tutorial's exact commands for the preset
 * topology give a PKI in which every identity is recognised with no difference from the plan,
 * and kpki's chain and key-pair verdicts agree with `openssl verify` and with comparing
 * `openssl x509 -pubkey` to `openssl pkey -pubout`. The same PKI with one SAN removed from
 * kubernetes.pem, one key swapped between two files and one certificate from a foreign CA gives
 * exactly those problems. Other defects (a CN naming another node, a wrong O, a CA key that does
 * not match) and the proposal of a topology from the certificates alone.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildCatalog, checkCluster, hardWayPreset, type ImportReport } from '@kpki/shared';
import { buildImportReport, proposeTopology, readArchive, type ImportEntry } from '../src/services/import/index.ts';
import { CFSSL_NAMES, CFSSL_PEM_FILES, cfsslForeignCa, cfsslHostname, cfsslResign, tarGz, writeCfsslPki, zipFiles } from './helpers/cfssl-pki.ts';
import { removeDir, requireTool, run, runOk, tmpDir } from './helpers/tools.ts';

const preset = hardWayPreset();

/** name -> problem codes, for every file of the report. */
const codes = (r: ImportReport) => Object.fromEntries(r.files.map((f) => [f.name, f.problems.map((p) => p.code)]));

/** openssl's verdicts for one certificate file and its key file in `dir`. */
async function opensslVerdicts(dir: string, cert: string, key: string | null): Promise<{ chain: boolean; keyMatches: boolean | null }> {
  const verify = await run('openssl', ['verify', '-CAfile', 'ca.pem', cert], { cwd: dir });
  const chain = verify.code === 0 && verify.stdout.trim() === `${cert}: OK`;
  if (!key) return { chain, keyMatches: null };
  const fromCert = (await runOk('openssl', ['x509', '-pubkey', '-noout', '-in', cert], { cwd: dir })).stdout;
  const fromKey = (await runOk('openssl', ['pkey', '-pubout', '-in', key], { cwd: dir })).stdout;
  return { chain, keyMatches: fromCert === fromKey };
}

/** Every file of a report against openssl: the chain verdict (the CA against itself) and the key pair. */
async function expectOpensslAgrees(dir: string, report: ImportReport): Promise<void> {
  for (const f of report.files) {
    const o = await opensslVerdicts(dir, f.path, f.keyPath);
    expect({ file: f.path, chain: f.chain.ok, keyMatches: f.keyMatches }).toEqual({ file: f.path, chain: o.chain, keyMatches: o.keyMatches });
  }
}

const entriesOf = async (dir: string, files: readonly string[]): Promise<ImportEntry[]> =>
  Promise.all(files.map(async (f) => ({ path: f, data: await fs.readFile(path.join(dir, f)) })));

describe('the tutorial\'s cfssl PKI imported into the preset cluster', () => {
  let root: string;
  let pki: string;
  let report: ImportReport;

  beforeAll(async () => {
    requireTool('/usr/bin/openssl', 'openssl');
    root = await tmpDir('kpki-import-');
    pki = path.join(root, 'pki');
    await writeCfsslPki(pki);
    // as an operator sends it: `tar czf pki.tar.gz pki` (one top folder, with the CSRs and JSON inputs)
    const body = await tarGz(root, path.join(root, 'pki.tar.gz'), ['pki']);
    report = buildImportReport(await readArchive(body, 'gzip'), preset);
  }, 120_000);
  afterAll(() => removeDir(root));

  test('all 10 identities recognised, in catalog order, with no difference from the plan', () => {
    expect(report.layout).toBe('tutorial');
    expect(report.files.map((f) => f.name)).toEqual(buildCatalog(preset).map((p) => p.name));
    expect(report.files.map((f) => f.name).sort()).toEqual([...CFSSL_NAMES].sort());
    expect(report.files).toHaveLength(10);
    for (const f of report.files) {
      expect(f, f.path).toMatchObject({ path: `${f.name}.pem`, keyPath: `${f.name}-key.pem`, keyMatches: true, adoptable: true, problems: [] });
      expect(f.chain.ok, f.chain.message).toBe(true);
    }
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ adoptable: true, notAdoptableReason: null, hasCaKey: true });
    const kubelet = report.files.find((f) => f.name === 'worker1')!;
    expect(kubelet).toMatchObject({ cn: 'system:node:worker1', o: 'system:nodes' });
    expect(kubelet.sans).toEqual(expect.arrayContaining([{ type: 'dns', value: 'worker1' }, { type: 'ip', value: '192.168.56.23' }]));
  });

  test('the CSRs and cfssl\'s JSON inputs are listed as unrecognised, with why', () => {
    const paths = report.unrecognised.map((u) => u.path);
    expect(paths).toContain('ca-config.json');
    expect(paths).toContain('kubernetes.csr');
    expect(paths).toContain('worker1-csr.json');
    expect(report.unrecognised.find((u) => u.path === 'kubernetes.csr')!.reason).toMatch(/certificate signing request/);
    expect(paths.some((p) => p.endsWith('.pem'))).toBe(false);
  });

  test('chains and key pairs agree with openssl verify and with openssl x509 -pubkey vs openssl pkey -pubout', async () => {
    await expectOpensslAgrees(pki, report);
  }, 60_000);

  test('no private key material in the report', async () => {
    const text = JSON.stringify(report);
    expect(text).not.toMatch(/PRIVATE KEY/);
    for (const f of report.files) {
      const der = (await fs.readFile(path.join(pki, f.keyPath!), 'utf8')).split('\n').filter((l) => l && !l.startsWith('-----')).join('');
      expect(text).not.toContain(der.slice(0, 64));
    }
  });

  test('the same folder as a zip (the real zip, without a top folder) gives the same report', async () => {
    const body = await zipFiles(pki, path.join(root, 'pki.zip'), ['.']);
    const fromZip = buildImportReport(await readArchive(body, 'zip'), preset, new Date(report.checkedAt));
    expect(fromZip).toEqual(report);
  });

  test('a topology proposed from the certificates alone equals the preset\'s nodes, roles and addresses', async () => {
    const pems = CFSSL_PEM_FILES.filter((f) => !f.endsWith('-key.pem'));
    const { cluster, notes } = proposeTopology(await entriesOf(pki, pems));
    expect(cluster.nodes).toEqual(preset.nodes);
    expect(cluster).toMatchObject({
      serviceCidr: preset.serviceCidr, clusterDomain: preset.clusterDomain, keyAlgorithm: preset.keyAlgorithm,
      caValidityHours: preset.caValidityHours, certValidityHours: preset.certValidityHours, subject: preset.subject,
    });
    expect(cluster.extraSans).toBeUndefined();
    expect(checkCluster(cluster)).toMatchObject({ ok: true });
    expect(notes.join('\n')).toMatch(/lb \(192\.168\.56\.20\)/);
    // and the PKI imported into the proposed cluster has no difference from its plan
    const again = buildImportReport(await entriesOf(pki, CFSSL_PEM_FILES), cluster);
    expect(again.files.flatMap((f) => f.problems)).toEqual([]);
  });
});

describe('the same PKI with a SAN removed, a key swap and a foreign CA', () => {
  let root: string;
  let dir: string;
  let report: ImportReport;

  beforeAll(async () => {
    root = await tmpDir('kpki-import-bad-');
    dir = path.join(root, 'pki');
    await writeCfsslPki(dir);
    // 1. kubernetes.pem re-signed by the tutorial's command without cp2's address
    const hosts = cfsslHostname('kubernetes')!.split(',').filter((h) => h !== '192.168.56.22');
    await cfsslResign(dir, 'kubernetes', { hostname: hosts.join(',') });
    // 2. admin's and kube-proxy's keys swapped
    await fs.rename(path.join(dir, 'admin-key.pem'), path.join(dir, 'swap'));
    await fs.rename(path.join(dir, 'kube-proxy-key.pem'), path.join(dir, 'admin-key.pem'));
    await fs.rename(path.join(dir, 'swap'), path.join(dir, 'kube-proxy-key.pem'));
    // 3. kube-scheduler.pem from another CA (same name "Kubernetes", another key), which is not sent
    await cfsslForeignCa(root);
    await cfsslResign(dir, 'kube-scheduler', { hostname: null, ca: '../foreign-ca.pem', caKey: '../foreign-ca-key.pem' });
    const body = await tarGz(dir, path.join(root, 'bad.tar.gz'), CFSSL_PEM_FILES);
    report = buildImportReport(await readArchive(body, 'gzip'), preset);
  }, 120_000);
  afterAll(() => removeDir(root));

  test('the report names exactly these three problems', () => {
    expect(codes(report)).toEqual({
      ca: [], admin: ['KEY_MISMATCH'], worker1: [], worker2: [], 'kube-controller-manager': [], 'kube-proxy': ['KEY_MISMATCH'],
      'kube-scheduler': ['CHAIN'], kubernetes: ['SAN_MISSING'], etcd: [], 'service-account': [],
    });
    expect(report.problems).toEqual([]);
    expect(report.unrecognised).toEqual([]);
    const problem = (name: string) => report.files.find((f) => f.name === name)!.problems[0].message;
    expect(problem('kubernetes')).toBe('SAN 192.168.56.22 missing: control-plane node cp2: an API server runs here');
    expect(problem('admin')).toBe('admin-key.pem is not the key of admin.pem: it is the key of kube-proxy.pem (keys swapped?)');
    expect(problem('kube-proxy')).toBe('kube-proxy-key.pem is not the key of kube-proxy.pem: it is the key of admin.pem (keys swapped?)');
    expect(problem('kube-scheduler')).toMatch(/^not signed by ca\.pem: issued by a CA of the same name \(.*CN = Kubernetes\) whose key is another: a foreign CA$/);
  });

  test('the files with a broken key or chain are not adoptable; the rest and the import are', () => {
    const adoptable = Object.fromEntries(report.files.map((f) => [f.name, f.adoptable]));
    expect(adoptable).toMatchObject({ admin: false, 'kube-proxy': false, 'kube-scheduler': false, kubernetes: true, ca: true, worker1: true });
    expect(report.adoptable).toBe(true);
  });

  test('chains and key pairs agree with openssl', async () => {
    await expectOpensslAgrees(dir, report);
    expect(report.files.filter((f) => !f.chain.ok).map((f) => f.name)).toEqual(['kube-scheduler']);
    expect(report.files.filter((f) => f.keyMatches === false).map((f) => f.name).sort()).toEqual(['admin', 'kube-proxy']);
  }, 60_000);
});

describe('other defects', () => {
  let root: string;
  let dir: string;
  beforeAll(async () => {
    root = await tmpDir('kpki-import-defects-');
    dir = path.join(root, 'pki');
    await writeCfsslPki(dir);
    await cfsslForeignCa(root);
  }, 120_000);
  afterAll(() => removeDir(root));

  const reportOf = async (replace: Record<string, string>, drop: string[] = []) => {
    const entries = await entriesOf(dir, CFSSL_PEM_FILES.filter((f) => !drop.includes(f)));
    for (const e of entries) if (replace[e.path]) e.data = await fs.readFile(path.join(dir, replace[e.path]));
    return buildImportReport(entries, preset);
  };

  test('worker1.pem holding worker2\'s certificate: a CN naming another node, with its SANs', async () => {
    const r = await reportOf({ 'worker1.pem': 'worker2.pem', 'worker1-key.pem': 'worker2-key.pem' });
    const w1 = r.files.find((f) => f.name === 'worker1')!;
    expect(w1.problems.map((p) => p.code).sort()).toEqual(['CN_OTHER_NODE', 'SAN_EXTRA', 'SAN_EXTRA', 'SAN_MISSING', 'SAN_MISSING']);
    expect(w1.problems.find((p) => p.code === 'CN_OTHER_NODE')!.message).toMatch(/names node worker2 \(another node of the cluster\), not worker1/);
    expect(w1.problems.map((p) => p.message)).toContain('SAN 192.168.56.23 missing: worker address: the API server calls the kubelet here (logs, exec)');
    expect(w1.keyMatches).toBe(true);
  });

  test('a wrong O: admin re-signed with O=system:admins', async () => {
    const csr = JSON.parse(await fs.readFile(path.join(dir, 'admin-csr.json'), 'utf8')) as { names: Array<{ O: string }> };
    csr.names[0].O = 'system:admins';
    const other = path.join(root, 'other');
    await fs.mkdir(other);
    for (const f of ['ca.pem', 'ca-key.pem', 'ca-config.json']) await fs.copyFile(path.join(dir, f), path.join(other, f));
    await fs.writeFile(path.join(other, 'admin-csr.json'), JSON.stringify(csr));
    await cfsslResign(other, 'admin', { hostname: null });
    const r = await reportOf({ 'admin.pem': '../other/admin.pem', 'admin-key.pem': '../other/admin-key.pem' });
    expect(codes(r).admin).toEqual(['SUBJECT']);
    expect(r.files.find((f) => f.name === 'admin')!.problems[0].message)
      .toBe('subject O is "system:admins"; wrong O: cluster admin (system:masters): full access needs O "system:masters"');
  });

  test('a CA key that does not match the CA certificate refuses adoption', async () => {
    const r = await reportOf({ 'ca-key.pem': '../foreign-ca-key.pem' });
    expect(r.adoptable).toBe(false);
    expect(r.hasCaKey).toBe(false);
    expect(r.notAdoptableReason).toBe('the CA key ca-key.pem does not match the CA certificate ca.pem');
    expect(r.problems.map((p) => p.code)).toEqual(['CA_KEY_MISMATCH']);
    expect(codes(r).ca).toEqual(['KEY_MISMATCH']);
  });

  test('without the CA key: adoptable, said; a leaf without its key and a missing certificate are named', async () => {
    const r = await reportOf({}, ['ca-key.pem', 'etcd-key.pem', 'worker2.pem', 'worker2-key.pem']);
    expect(r).toMatchObject({ adoptable: true, hasCaKey: false });
    expect(r.problems.map((p) => p.code)).toEqual(['CA_KEY_MISSING', 'CERTIFICATE_MISSING']);
    expect(r.problems[1].message).toMatch(/^worker2\.pem is not in the import/);
    expect(codes(r).etcd).toEqual(['KEY_MISSING']);
    expect(r.files.find((f) => f.name === 'etcd')!.adoptable).toBe(false);
    expect(r.files.find((f) => f.name === 'ca')).toMatchObject({ keyPath: null, keyMatches: null, adoptable: true, problems: [] });
  });

  test('files under other names are recognised by their subject, and a second copy is a duplicate', async () => {
    const entries = await entriesOf(dir, CFSSL_PEM_FILES);
    entries.push({ path: 'backup/apiserver.pem', data: await fs.readFile(path.join(dir, 'kubernetes.pem')) });
    const r = buildImportReport(entries, preset);
    const second = r.files.filter((f) => f.name === 'kubernetes');
    expect(second.map((f) => [f.path, f.problems.map((p) => p.code)])).toEqual([
      ['kubernetes.pem', []], ['backup/apiserver.pem', ['DUPLICATE', 'FILE_NAME', 'KEY_MISSING']],
    ]);
  });
});
