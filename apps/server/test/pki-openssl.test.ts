/**
 * The tutorial's OpenSSL checkpoints (docs/domain.md section 5) on certificates kpki issues:
 * `openssl verify -CAfile ca.pem X.pem` prints OK for every leaf, and `openssl x509 -text`
 * shows the extensions of docs/domain.md section 2. certificateText must print what openssl prints,
 * and checkAddress must agree with `openssl verify -verify_ip / -verify_hostname`.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ClusterInput, KeyAlgorithm } from '@kpki/shared';
import { hardWayPreset } from '@kpki/shared/preset';
import { certificateText, checkAddress } from '../src/pki/index.ts';
import { issueCluster, writePems, type IssuedCluster } from './helpers/pki.ts';
import { removeDir, requireTool, run, runOk, tmpDir } from './helpers/tools.ts';

const OPENSSL = '/usr/bin/openssl';
const opensslText = async (file: string) => (await runOk(OPENSSL, ['x509', '-in', file, '-text', '-noout'])).stdout;
const verify = (dir: string, name: string, extra: string[] = []) => run(OPENSSL, ['verify', ...extra, '-CAfile', 'ca.pem', `${name}.pem`], { cwd: dir });

const LEAF_PROFILE = [
  '            X509v3 Key Usage: critical\n                Digital Signature, Key Encipherment\n',
  '            X509v3 Extended Key Usage: \n                TLS Web Server Authentication, TLS Web Client Authentication\n',
  '            X509v3 Basic Constraints: critical\n                CA:FALSE\n',
  '            X509v3 Subject Key Identifier: \n',
];

describe('OpenSSL on the tutorial preset (RSA 2048)', () => {
  let dir: string;
  let issued: IssuedCluster;
  let caSki: string;
  beforeAll(async () => {
    requireTool(OPENSSL, 'openssl');
    dir = await tmpDir('kpki-openssl-');
    issued = await issueCluster();
    await writePems(dir, issued);
    caSki = /Subject Key Identifier: \n\s+([0-9A-F:]+)/.exec(await opensslText(path.join(dir, 'ca.pem')))![1];
  });
  afterAll(() => removeDir(dir));

  test('20 files: ca + nine leaves, each a certificate and a key', async () => {
    const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.pem')).sort();
    expect(files).toHaveLength(20);
    expect(issued.leaves.map((l) => l.name)).toEqual([
      'admin', 'worker1', 'worker2', 'kube-controller-manager', 'kube-proxy', 'kube-scheduler', 'kubernetes', 'etcd', 'service-account',
    ]);
  });

  test('openssl verify -CAfile ca.pem X.pem: OK for all nine leaves', async () => {
    for (const { name } of issued.leaves) {
      const r = await verify(dir, name);
      expect(r.stdout.trim(), `${name}: ${r.stderr}`).toBe(`${name}.pem: OK`);
    }
  });

  test('the CA: issuer CN=Kubernetes, CA:TRUE critical, certificate sign + CRL sign', async () => {
    const text = await opensslText(path.join(dir, 'ca.pem'));
    expect(text).toContain('        Issuer: C = US, ST = Oregon, L = Portland, O = Kubernetes, OU = CA, CN = Kubernetes\n');
    expect(text).toContain('        Subject: C = US, ST = Oregon, L = Portland, O = Kubernetes, OU = CA, CN = Kubernetes\n');
    expect(text).toContain('            X509v3 Basic Constraints: critical\n                CA:TRUE\n');
    expect(text).toContain('            X509v3 Key Usage: critical\n                Certificate Sign, CRL Sign\n');
    expect(text).toContain('            X509v3 Subject Key Identifier: \n');
    expect(text).not.toContain('Authority Key Identifier');
    expect(text).toContain('        Signature Algorithm: sha256WithRSAEncryption\n');
    expect(text).toContain('                Public-Key: (2048 bit)\n');
  });

  test('every leaf: the kubernetes profile, AKI = the CA\'s SKI, subject C, ST, L, O, OU, CN', async () => {
    for (const { name } of issued.leaves) {
      const text = await opensslText(path.join(dir, `${name}.pem`));
      for (const part of LEAF_PROFILE) expect(text, name).toContain(part);
      expect(text, name).toContain(`            X509v3 Authority Key Identifier: \n                ${caSki}\n`);
      const planned = issued.catalog.find((c) => c.name === name)!;
      expect(text, name).toContain(`        Subject: C = US, ST = Oregon, L = Portland, O = ${planned.o}, OU = Kubernetes The Hard Way, CN = ${planned.cn}\n`);
    }
  });

  test('the API server certificate lists exactly the tutorial\'s SANs', async () => {
    const text = await opensslText(path.join(dir, 'kubernetes.pem'));
    expect(text).toContain(
      '            X509v3 Subject Alternative Name: \n                IP Address:10.32.0.1, IP Address:192.168.56.20, IP Address:192.168.56.21, IP Address:192.168.56.22, IP Address:127.0.0.1, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster, DNS:kubernetes.default.svc.cluster.local\n',
    );
    expect(text).not.toContain('kubernetes.svc.cluster.local');
  });

  test('certificateText prints exactly what openssl x509 -text -noout prints', async () => {
    for (const { name, certPem } of [{ name: 'ca', ...issued.ca }, ...issued.leaves]) {
      expect(certificateText(certPem), name).toBe(await opensslText(path.join(dir, `${name}.pem`)));
    }
  });

  test('checkAddress agrees with openssl verify -purpose sslserver -verify_ip / -verify_hostname', async () => {
    const cases: Array<[string, string]> = [
      ['kubernetes', '10.32.0.1'], ['kubernetes', '127.0.0.1'], ['kubernetes', '192.168.56.20'], ['kubernetes', '192.168.56.23'],
      ['kubernetes', 'kubernetes.default.svc.cluster.local'], ['kubernetes', 'kubernetes.svc.cluster.local'], ['kubernetes', 'cp1'],
      ['etcd', 'cp1'], ['etcd', '127.0.0.1'], ['etcd', '192.168.56.22'], ['etcd', 'kubernetes'], ['worker1', 'worker1'],
      ['worker1', '192.168.56.24'], ['admin', '127.0.0.1'],
    ];
    for (const [name, address] of cases) {
      const flag = /^[\d.]+$|:/.test(address) ? '-verify_ip' : '-verify_hostname';
      const r = await verify(dir, name, ['-purpose', 'sslserver', flag, address]);
      const pem = issued.leaves.find((l) => l.name === name)!.certPem;
      expect(checkAddress(pem, address).valid, `${name} @ ${address}: ${r.stdout}${r.stderr}`).toBe(r.code === 0);
    }
  });

  test('one deliberate difference: with no DNS SAN, OpenSSL falls back to the CN; Go (Kubernetes) does not', async () => {
    const r = await verify(dir, 'admin', ['-purpose', 'sslserver', '-verify_hostname', 'admin']);
    expect(r.code).toBe(0);
    const pem = issued.leaves.find((l) => l.name === 'admin')!.certPem;
    expect(checkAddress(pem, 'admin')).toMatchObject({ valid: false, message: 'x509: certificate relies on legacy Common Name field, use SANs instead' });
  });
});

describe.each([
  ['ecdsa-p256', 'Public-Key: (256 bit)', 'NIST CURVE: P-256', 'ecdsa-with-SHA256', 'EC PRIVATE KEY'],
  ['ecdsa-p384', 'Public-Key: (384 bit)', 'NIST CURVE: P-384', 'ecdsa-with-SHA384', 'EC PRIVATE KEY'],
  ['rsa-4096', 'Public-Key: (4096 bit)', 'Exponent: 65537 (0x10001)', 'sha256WithRSAEncryption', 'RSA PRIVATE KEY'],
] as const)('OpenSSL on %s (CA, kubernetes, etcd, admin)', (algorithm, keyLine, keyLine2, sigAlg, keyLabel) => {
  let dir: string;
  let issued: IssuedCluster;
  beforeAll(async () => {
    dir = await tmpDir('kpki-openssl-');
    issued = await issueCluster({ algorithm: algorithm as KeyAlgorithm, only: ['kubernetes', 'etcd', 'admin'] });
    await writePems(dir, issued);
  });
  afterAll(() => removeDir(dir));

  test('verify OK; key, curve and signature as expected; text identical to openssl', async () => {
    for (const { name, certPem, keyPem } of [{ name: 'ca', ...issued.ca }, ...issued.leaves]) {
      if (name !== 'ca') expect((await verify(dir, name)).stdout.trim()).toBe(`${name}.pem: OK`);
      const text = await opensslText(path.join(dir, `${name}.pem`));
      expect(text).toContain(keyLine);
      expect(text).toContain(keyLine2);
      expect(text).toContain(`    Signature Algorithm: ${sigAlg}\n`);
      expect(certificateText(certPem)).toBe(text);
      expect(keyPem.startsWith(`-----BEGIN ${keyLabel}-----\n`)).toBe(true);
      // openssl reads the key, and it belongs to the certificate
      const keyPub = await runOk(OPENSSL, ['pkey', '-in', `${name}-key.pem`, '-pubout'], { cwd: dir });
      const certPub = await runOk(OPENSSL, ['x509', '-in', `${name}.pem`, '-noout', '-pubkey'], { cwd: dir });
      expect(keyPub.stdout).toBe(certPub.stdout);
    }
  });
});

describe('OpenSSL on an IPv6 cluster', () => {
  let dir: string;
  let issued: IssuedCluster;
  beforeAll(async () => {
    const cluster: ClusterInput = {
      ...hardWayPreset(),
      name: 'v6',
      serviceCidr: 'fd00:10:96::/108',
      nodes: [
        { name: 'cp1', role: 'control-plane', addresses: ['fd00::21', '10.0.0.21'] },
        { name: 'lb', role: 'load-balancer', addresses: ['fd00::20'] },
        { name: 'worker1', role: 'worker', addresses: ['fd00::23'] },
      ],
      extraSans: { kubernetes: ['::1', 'api.example.com'] },
    };
    dir = await tmpDir('kpki-openssl-v6-');
    issued = await issueCluster({ cluster, algorithm: 'ecdsa-p256' });
    await writePems(dir, issued);
  });
  afterAll(() => removeDir(dir));

  test('IPv6 SANs are what openssl shows and matches', async () => {
    for (const { name } of issued.leaves) expect((await verify(dir, name)).stdout.trim()).toBe(`${name}.pem: OK`);
    const text = await opensslText(path.join(dir, 'kubernetes.pem'));
    expect(text).toContain(
      'IP Address:FD00:10:96:0:0:0:0:1, IP Address:FD00:0:0:0:0:0:0:20, IP Address:FD00:0:0:0:0:0:0:21, IP Address:10.0.0.21, IP Address:127.0.0.1, DNS:kubernetes',
    );
    expect(text).toContain('DNS:kubernetes.default.svc.cluster.local, IP Address:0:0:0:0:0:0:0:1, DNS:api.example.com\n');
    const pem = issued.leaves.find((l) => l.name === 'kubernetes')!.certPem;
    for (const address of ['fd00:10:96::1', '::1', 'fd00::21', 'fd00::22']) {
      const r = await verify(dir, 'kubernetes', ['-verify_ip', address]);
      expect(checkAddress(pem, address).valid, address).toBe(r.code === 0);
    }
    expect((await verify(dir, 'worker1', ['-verify_ip', 'fd00::23'])).code).toBe(0);
  });
});
