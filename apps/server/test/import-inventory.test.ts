/**
 * Issue 14, item 5: read-only layouts. A kubeadm /etc/kubernetes/pki folder made with openssl
 * (its three CAs, the API server's and etcd's certificates, sa.key/sa.pub) and kubeconfigs with
 * embedded certificates made with kubectl are inventoried: identity (CN, O), chain (against the
 * CA kubeadm signs each with), key match, expiry; never adoptable, and the report says why.
 * Defects made on purpose: apiserver-etcd-client signed by the cluster CA instead of etcd's,
 * front-proxy-client expired (openssl ca -enddate in the past), sa.pub of another key, a
 * kubeconfig whose embedded key is another's. kpki's verdicts are compared with openssl's.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hardWayPreset, type ImportReport } from '@kpki/shared';
import { buildImportReport, readArchive } from '../src/services/import/index.ts';
import { tarGz } from './helpers/cfssl-pki.ts';
import { removeDir, requireTool, run, runOk, tmpDir } from './helpers/tools.ts';

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A self-signed CA: <name>.crt and <name>.key in `dir`. */
async function caOf(dir: string, name: string, cn: string): Promise<void> {
  await runOk('openssl', ['req', '-x509', ...EC, '-keyout', `${name}.key`, '-out', `${name}.crt`, '-subj', `/CN=${cn}`, '-days', '3650',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature'], { cwd: dir });
}

/** A leaf <name>.crt/.key signed by the CA <ca> (.crt/.key), with extensions; `expired`: valid 2020-2021 (openssl ca). */
async function leafOf(dir: string, name: string, ca: string, subj: string, ext: string, expired = false): Promise<void> {
  await runOk('openssl', ['req', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subj], { cwd: dir });
  await fs.writeFile(path.join(dir, `${name}.ext`), ext);
  if (!expired) {
    await runOk('openssl', ['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial',
      '-out', `${name}.crt`, '-days', '365', '-extfile', `${name}.ext`], { cwd: dir });
  } else {
    const conf = path.join(dir, `${path.basename(name)}-ca.cnf`);
    await fs.writeFile(conf, '[ca]\ndefault_ca = d\n[d]\ndatabase = index.txt\nnew_certs_dir = .\nserial = serial\ndefault_md = sha256\npolicy = p\nunique_subject = no\n[p]\ncommonName = supplied\n');
    await fs.writeFile(path.join(dir, 'index.txt'), '');
    await fs.writeFile(path.join(dir, 'serial'), '1000\n');
    await runOk('openssl', ['ca', '-batch', '-config', conf, '-cert', `${ca}.crt`, '-keyfile', `${ca}.key`, '-in', `${name}.csr`, '-out', `${name}.crt`,
      '-startdate', '20200101000000Z', '-enddate', '20210101000000Z', '-notext', '-preserveDN', '-extfile', `${name}.ext`], { cwd: dir });
  }
  for (const f of [`${name}.csr`, `${name}.ext`]) await fs.rm(path.join(dir, f));
}

const SERVER = 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:cp1,IP:127.0.0.1\n';
const CLIENT = 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n';
const BOTH = 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:cp1,IP:127.0.0.1\n';

/** openssl verify of <cert> against <ca> in `dir`, at the current time (false for an expired one too). */
async function opensslVerify(dir: string, ca: string, cert: string): Promise<boolean> {
  const r = await run('openssl', ['verify', '-CAfile', ca, cert], { cwd: dir });
  return r.code === 0;
}

/** openssl verify ignoring dates (-no_check_time): the chain alone, as the report's chain. */
async function opensslChain(dir: string, ca: string, cert: string): Promise<boolean> {
  const r = await run('openssl', ['verify', '-no_check_time', '-CAfile', ca, cert], { cwd: dir });
  return r.code === 0;
}

async function samePublicKey(dir: string, cert: string, key: string): Promise<boolean> {
  const a = (await runOk('openssl', ['x509', '-pubkey', '-noout', '-in', cert], { cwd: dir })).stdout;
  const b = (await runOk('openssl', ['pkey', '-pubout', '-in', key], { cwd: dir })).stdout;
  return a === b;
}

/** A kubeconfig by kubectl with embedded certificates: `ca`, client `cert`/`key` (paths in `dir`). */
async function kubeconfigOf(dir: string, file: string, ca: string, cert: string, key: string, user: string): Promise<void> {
  const k = ['--kubeconfig', file];
  await runOk('kubectl', ['config', 'set-cluster', 'kubernetes', `--certificate-authority=${ca}`, '--embed-certs=true', '--server=https://127.0.0.1:6443', ...k], { cwd: dir });
  await runOk('kubectl', ['config', 'set-credentials', user, `--client-certificate=${cert}`, `--client-key=${key}`, '--embed-certs=true', ...k], { cwd: dir });
  await runOk('kubectl', ['config', 'set-context', 'default', '--cluster=kubernetes', `--user=${user}`, ...k], { cwd: dir });
  await runOk('kubectl', ['config', 'use-context', 'default', ...k], { cwd: dir });
}

describe('a kubeadm /etc/kubernetes folder, made with openssl and kubectl', () => {
  let root: string;
  let pki: string;
  let report: ImportReport;

  beforeAll(async () => {
    requireTool('/usr/bin/openssl', 'openssl');
    requireTool('/usr/bin/kubectl', 'kubernetes-client');
    root = await tmpDir('kpki-kubeadm-');
    const etc = path.join(root, 'kubernetes');
    pki = path.join(etc, 'pki');
    await fs.mkdir(path.join(pki, 'etcd'), { recursive: true });
    await caOf(pki, 'ca', 'kubernetes');
    await caOf(pki, 'front-proxy-ca', 'front-proxy-ca');
    await caOf(pki, 'etcd/ca', 'etcd-ca');
    await leafOf(pki, 'apiserver', 'ca', '/CN=kube-apiserver', SERVER);
    await leafOf(pki, 'apiserver-kubelet-client', 'ca', '/O=kubeadm:cluster-admins/CN=kube-apiserver-kubelet-client', CLIENT);
    // defect: signed by the cluster CA, where kubeadm signs it with etcd's
    await leafOf(pki, 'apiserver-etcd-client', 'ca', '/CN=kube-apiserver-etcd-client', CLIENT);
    // defect: expired
    await leafOf(pki, 'front-proxy-client', 'front-proxy-ca', '/CN=front-proxy-client', CLIENT, true);
    await leafOf(pki, 'etcd/server', 'etcd/ca', '/CN=cp1', BOTH);
    await leafOf(pki, 'etcd/peer', 'etcd/ca', '/CN=cp1', BOTH);
    await leafOf(pki, 'etcd/healthcheck-client', 'etcd/ca', '/CN=kube-etcd-healthcheck-client', CLIENT);
    // defect: sa.pub is another key's
    await runOk('openssl', ['genrsa', '-out', 'sa.key', '2048'], { cwd: pki });
    await runOk('openssl', ['genrsa', '-out', 'other.key', '2048'], { cwd: root });
    await runOk('openssl', ['rsa', '-in', '../../other.key', '-pubout', '-out', 'sa.pub'], { cwd: pki });
    for (const f of ['ca.srl', 'front-proxy-ca.srl', 'etcd/ca.srl', 'index.txt', 'index.txt.attr', 'index.txt.old', 'serial', 'serial.old', 'front-proxy-client-ca.cnf', '1000.pem']) {
      await fs.rm(path.join(pki, f), { force: true });
    }
    await leafOf(root, 'admin', 'kubernetes/pki/ca', '/O=kubeadm:cluster-admins/CN=kubernetes-admin', CLIENT);
    await kubeconfigOf(etc, 'admin.conf', 'pki/ca.crt', '../admin.crt', '../admin.key', 'kubernetes-admin');
    const body = await tarGz(root, path.join(root, 'etc.tgz'), ['kubernetes']);
    report = buildImportReport(await readArchive(body, 'gzip'), hardWayPreset());
  }, 120_000);
  afterAll(() => removeDir(root));

  test('layout kubeadm: not adoptable, and the report says why', () => {
    expect(report.layout).toBe('kubeadm');
    expect(report.adoptable).toBe(false);
    expect(report.notAdoptableReason).toMatch(/^a kubeadm pki folder is inventoried and checked, not adopted/);
    expect(report.problems.map((p) => p.code)).toEqual(['READ_ONLY_LAYOUT']);
    expect(report.files.every((f) => !f.adoptable)).toBe(true);
  });

  test('identities, chains, key pairs and expiry of every certificate, with exactly the defects made', () => {
    const rows = report.files.map((f) => [f.name, f.path, f.cn, f.keyMatches, f.chain.ok, f.problems.map((p) => p.code)]);
    expect(rows).toEqual([
      ['ca', 'pki/ca.crt', 'kubernetes', true, true, []],
      ['apiserver', 'pki/apiserver.crt', 'kube-apiserver', true, true, []],
      ['apiserver-kubelet-client', 'pki/apiserver-kubelet-client.crt', 'kube-apiserver-kubelet-client', true, true, []],
      ['apiserver-etcd-client', 'pki/apiserver-etcd-client.crt', 'kube-apiserver-etcd-client', true, false, ['CHAIN']],
      ['front-proxy-ca', 'pki/front-proxy-ca.crt', 'front-proxy-ca', true, true, []],
      ['front-proxy-client', 'pki/front-proxy-client.crt', 'front-proxy-client', true, true, ['EXPIRED']],
      ['etcd/ca', 'pki/etcd/ca.crt', 'etcd-ca', true, true, []],
      ['etcd/server', 'pki/etcd/server.crt', 'cp1', true, true, []],
      ['etcd/peer', 'pki/etcd/peer.crt', 'cp1', true, true, []],
      ['etcd/healthcheck-client', 'pki/etcd/healthcheck-client.crt', 'kube-etcd-healthcheck-client', true, true, []],
    ]);
    expect(report.files.find((f) => f.name === 'apiserver-kubelet-client')!.o).toBe('kubeadm:cluster-admins');
    expect(report.files.find((f) => f.name === 'apiserver-etcd-client')!.chain.message).toMatch(/^not signed by pki\/etcd\/ca\.crt: unable to get local issuer certificate: issued by CN = kubernetes/);
    expect(report.files.find((f) => f.name === 'front-proxy-client')!.notAfter).toBe('2021-01-01T00:00:00.000Z');
    expect(report.keyPairs).toEqual([{ name: 'sa', path: 'pki/sa.key', publicPath: 'pki/sa.pub', keyMatches: false, problems: [
      { code: 'KEY_MISMATCH', message: 'pki/sa.pub is not the public half of pki/sa.key: tokens signed by the controller-manager would not verify' },
    ] }]);
  });

  test('chains and key pairs agree with openssl', async () => {
    const caOfName: Record<string, string> = { 'apiserver-etcd-client': 'etcd/ca.crt', 'front-proxy-client': 'front-proxy-ca.crt', 'front-proxy-ca': 'front-proxy-ca.crt' };
    for (const f of report.files) {
      const rel = f.path.slice('pki/'.length);
      const ca = caOfName[f.name] ?? (f.name.startsWith('etcd/') ? 'etcd/ca.crt' : 'ca.crt');
      expect([f.name, f.chain.ok]).toEqual([f.name, await opensslChain(pki, ca, rel)]);
      expect([f.name, f.keyMatches]).toEqual([f.name, await samePublicKey(pki, rel, f.keyPath!.slice('pki/'.length))]);
      const expired = f.problems.some((p) => p.code === 'EXPIRED');
      if (f.chain.ok) expect([f.name, !expired]).toEqual([f.name, await opensslVerify(pki, ca, rel)]);
    }
  }, 60_000);

  test('admin.conf (kubectl, embedded certificates): identity, key, chain against its embedded CA', () => {
    expect(report.kubeconfigs).toEqual([expect.objectContaining({
      path: 'admin.conf', server: 'https://127.0.0.1:6443', cn: 'kubernetes-admin', o: 'kubeadm:cluster-admins', keyMatches: true, problems: [],
    })]);
    expect(report.kubeconfigs[0].chain).toMatchObject({ ok: true, message: 'signed by the embedded certificate-authority-data (CN = kubernetes)' });
  });

  test('no private key material in the report', () => {
    expect(JSON.stringify(report)).not.toMatch(/PRIVATE KEY|client-key-data/);
  });
});

describe('kubeconfigs alone', () => {
  let dir: string;
  let report: ImportReport;
  beforeAll(async () => {
    dir = await tmpDir('kpki-kubeconfigs-');
    await caOf(dir, 'ca', 'Kubernetes');
    await leafOf(dir, 'admin', 'ca', '/O=system:masters/CN=admin', CLIENT);
    await leafOf(dir, 'kube-proxy', 'ca', '/O=system:node-proxier/CN=system:kube-proxy', CLIENT);
    await kubeconfigOf(dir, 'admin.kubeconfig', 'ca.crt', 'admin.crt', 'admin.key', 'admin');
    // defect: kube-proxy's certificate with admin's key
    await kubeconfigOf(dir, 'kube-proxy.kubeconfig', 'ca.crt', 'kube-proxy.crt', 'admin.key', 'system:kube-proxy');
    const body = await tarGz(dir, path.join(dir, 'k.tgz'), ['admin.kubeconfig', 'kube-proxy.kubeconfig']);
    report = buildImportReport(await readArchive(body, 'gzip'), hardWayPreset());
  }, 60_000);
  afterAll(() => removeDir(dir));

  test('layout kubeconfig: each identity checked, not adoptable, said why', () => {
    expect(report).toMatchObject({ layout: 'kubeconfig', adoptable: false, files: [], unrecognised: [] });
    expect(report.notAdoptableReason).toMatch(/^kubeconfigs are inventoried and checked, not adopted/);
    expect(report.kubeconfigs.map((k) => [k.path, k.cn, k.o, k.keyMatches, k.chain.ok, k.problems.map((p) => p.code)])).toEqual([
      ['admin.kubeconfig', 'admin', 'system:masters', true, true, []],
      ['kube-proxy.kubeconfig', 'system:kube-proxy', 'system:node-proxier', false, true, ['KEY_MISMATCH']],
    ]);
  });
});
