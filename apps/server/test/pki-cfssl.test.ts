/**
 * kpki against the tutorial's own tool: the tutorial's cfssl commands (cfssl 1.2.0, Debian
 * golang-cfssl) run verbatim for the preset topology, and each certificate is compared with
 * kpki's field by field. Only serials, keys and times may differ.
 *
 * Differences found, and kept on purpose (each asserted below, so a change is noticed):
 * 1. SAN order: cfssl (Go's crypto/x509) writes every DNS name first, then every IP, whatever
 *    the -hostname order; kpki writes the plan's order, which is the tutorial's -hostname order.
 *    The SAN sets are identical.
 * 2. Signature hash for RSA 3072/4096 CAs: cfssl picks it from the CA key size
 *    (sha384WithRSAEncryption for 3072, sha512WithRSAEncryption for 4096); docs/domain.md fixes
 *    SHA-256 for every RSA size, which kpki follows. The tutorial's RSA 2048 and ECDSA agree.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ParsedCertificate } from '@kpki/shared';
import { parseCertificate } from '../src/pki/index.ts';
import { loadCertificate } from '../src/pki/inspect.ts';
import { CA_CONFIG, CA_CSR, LEAF_REQUESTS, tutorialScript } from './fixtures/hard-way-cfssl.ts';
import { issueCluster, writePems, type IssuedCluster } from './helpers/pki.ts';
import { removeDir, requireTool, runOk, sh, tmpDir } from './helpers/tools.ts';

const NAMES = ['ca', ...Object.keys(LEAF_REQUESTS)];
const HOUR = 3_600_000;

const validityHours = (p: ParsedCertificate) => (Date.parse(p.notAfter) - Date.parse(p.notBefore)) / HOUR;
const sanSet = (p: ParsedCertificate) => p.sans.map((s) => `${s.type}:${s.value}`).sort();

/** `openssl x509 -text` without what may differ (serial, dates, key, signature, key ids), SANs sorted. */
function comparableText(text: string): string {
  const out: string[] = [];
  const lines = text.split('\n');
  let skipping = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^ {8}Serial Number:/.test(line)) {
      if (line.trim() === 'Serial Number:') i++;
      continue;
    }
    if (/^ {12}Not (Before|After)/.test(line)) continue;
    if (/^ {16}(Modulus|pub):$/.test(line) || /^ {4}Signature Value:$/.test(line)) {
      skipping = true;
      continue;
    }
    if (skipping && /^ {20}|^ {8}[0-9a-f]{2}:/.test(line)) continue;
    skipping = false;
    if (/^ {12}X509v3 (Subject|Authority) Key Identifier/.test(line)) {
      out.push(line);
      i++;
      continue;
    }
    if (/^ {12}X509v3 Subject Alternative Name/.test(line)) {
      out.push(line, lines[++i].trim().split(', ').sort().join(', '));
      continue;
    }
    out.push(line);
  }
  return out.join('\n');
}

describe('the tutorial\'s cfssl commands vs kpki, preset topology', () => {
  let cfDir: string;
  let ourDir: string;
  let ours: IssuedCluster;
  const cf: Record<string, { pem: string; keyPem: string }> = {};

  beforeAll(async () => {
    requireTool('/usr/bin/cfssl', 'golang-cfssl');
    requireTool('/usr/bin/cfssljson', 'golang-cfssl');
    cfDir = await tmpDir('kpki-cfssl-');
    ourDir = await tmpDir('kpki-ours-');
    await fs.writeFile(path.join(cfDir, 'ca-config.json'), JSON.stringify(CA_CONFIG, null, 2));
    await fs.writeFile(path.join(cfDir, 'ca-csr.json'), JSON.stringify(CA_CSR, null, 2));
    for (const [name, req] of Object.entries(LEAF_REQUESTS)) {
      await fs.writeFile(path.join(cfDir, `${name}-csr.json`), JSON.stringify(req.csr, null, 2));
    }
    const [, issued] = await Promise.all([sh(tutorialScript(), { cwd: cfDir }), issueCluster()]);
    ours = issued;
    await writePems(ourDir, ours);
    for (const name of NAMES) {
      cf[name] = {
        pem: await fs.readFile(path.join(cfDir, `${name}.pem`), 'utf8'),
        keyPem: await fs.readFile(path.join(cfDir, `${name}-key.pem`), 'utf8'),
      };
    }
  });
  afterAll(async () => {
    await removeDir(cfDir);
    await removeDir(ourDir);
  });

  const ourPem = (name: string) => (name === 'ca' ? ours.ca.certPem : ours.leaves.find((l) => l.name === name)!.certPem);
  const ourKey = (name: string) => (name === 'ca' ? ours.ca.keyPem : ours.leaves.find((l) => l.name === name)!.keyPem);

  test('the same ten certificates', () => {
    expect([...ours.leaves.map((l) => l.name)].sort()).toEqual(Object.keys(LEAF_REQUESTS).sort());
  });

  test.each(NAMES)('%s: every parsed field but serial, times and key material is equal', (name) => {
    const a = parseCertificate(cf[name].pem);
    const b = parseCertificate(ourPem(name));
    expect(b.subject).toEqual(a.subject);
    expect(b.issuer).toEqual(a.issuer);
    expect(b.publicKey).toEqual(a.publicKey);
    expect(b.keyUsage).toEqual(a.keyUsage);
    expect(b.extendedKeyUsage).toEqual(a.extendedKeyUsage);
    expect(b.basicConstraints).toEqual(a.basicConstraints);
    expect(sanSet(b)).toEqual(sanSet(a));
    expect(validityHours(b)).toBe(validityHours(a));
    expect(validityHours(b)).toBe(name === 'ca' ? 43800 : 8760);
    expect(b.signatureAlgorithm).toBe(a.signatureAlgorithm);
    expect(b.subjectKeyIdentifier === null).toBe(a.subjectKeyIdentifier === null);
    expect(b.authorityKeyIdentifier === null).toBe(a.authorityKeyIdentifier === null);
    // each world's AKI is its own CA's SKI
    expect(a.authorityKeyIdentifier ?? 'none').toBe(name === 'ca' ? 'none' : parseCertificate(cf.ca.pem).subjectKeyIdentifier);
    expect(b.authorityKeyIdentifier ?? 'none').toBe(name === 'ca' ? 'none' : parseCertificate(ours.ca.certPem).subjectKeyIdentifier);
    // both backdate notBefore to a whole minute
    expect(b.notBefore).toMatch(/:00\.000Z$/);
    expect(a.notBefore).toMatch(/:00\.000Z$/);
    // serials: positive, at most 20 bytes
    for (const s of [a.serial, b.serial]) expect(s).toMatch(/^[0-7]?[0-9a-f]{1,39}$/);
    // private keys in the same PEM format
    expect(ourKey(name).split('\n')[0]).toBe(cf[name].keyPem.split('\n')[0]);
  });

  test.each(NAMES)('%s: the DER is the same where it can be (names, extension order, criticality, KU/EKU/BC bytes)', (name) => {
    const a = loadCertificate(cf[name].pem);
    const b = loadCertificate(ourPem(name));
    const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
    expect(hex(b.subjectDer)).toBe(hex(a.subjectDer));
    expect(hex(b.issuerDer)).toBe(hex(a.issuerDer));
    expect(b.extensions.map((e) => `${e.oid}${e.critical ? '!' : ''}`)).toEqual(a.extensions.map((e) => `${e.oid}${e.critical ? '!' : ''}`));
    for (const oid of ['2.5.29.15', '2.5.29.37', '2.5.29.19']) {
      const ea = a.extensions.find((e) => e.oid === oid);
      const eb = b.extensions.find((e) => e.oid === oid);
      expect(eb ? hex(eb.value) : null, oid).toBe(ea ? hex(ea.value) : null);
    }
  });

  test.each(NAMES)('%s: openssl x509 -text agrees once serial, dates, keys and key ids are masked and SANs sorted', async (name) => {
    const a = (await runOk('/usr/bin/openssl', ['x509', '-in', `${name}.pem`, '-text', '-noout'], { cwd: cfDir })).stdout;
    const b = (await runOk('/usr/bin/openssl', ['x509', '-in', `${name}.pem`, '-text', '-noout'], { cwd: ourDir })).stdout;
    expect(comparableText(b)).toBe(comparableText(a));
  });

  test('difference 1: cfssl writes DNS SANs before IP SANs; kpki keeps the tutorial\'s -hostname order', () => {
    for (const name of ['kubernetes', 'etcd', 'worker1']) {
      const hostnames = LEAF_REQUESTS[name].hostname!.split(',');
      const a = parseCertificate(cf[name].pem).sans.map((s) => s.value);
      const b = parseCertificate(ourPem(name)).sans.map((s) => s.value);
      expect(b, name).toEqual(hostnames);
      const isIp = (v: string) => /^[\d.]+$/.test(v);
      expect(a, name).toEqual([...hostnames.filter((h) => !isIp(h)), ...hostnames.filter(isIp)]);
    }
  });
});

describe('difference 2: cfssl picks the RSA signature hash from the CA key size', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tmpDir('kpki-cfssl-hash-');
  });
  afterAll(() => removeDir(dir));

  test('RSA 4096: cfssl sha512WithRSAEncryption, kpki sha256WithRSAEncryption (docs/domain.md); ECDSA P-384: both ecdsa-with-SHA384', async () => {
    const csrs = { rsa4096: { algo: 'rsa', size: 4096 }, p384: { algo: 'ecdsa', size: 384 } };
    for (const [file, key] of Object.entries(csrs)) {
      await fs.writeFile(path.join(dir, `${file}-csr.json`), JSON.stringify({ ...CA_CSR, key }));
      await sh(`cfssl gencert -initca ${file}-csr.json | cfssljson -bare ${file}`, { cwd: dir });
    }
    const cfRsa = parseCertificate(await fs.readFile(path.join(dir, 'rsa4096.pem'), 'utf8'));
    const cfP384 = parseCertificate(await fs.readFile(path.join(dir, 'p384.pem'), 'utf8'));
    const [ourRsa, ourP384] = await Promise.all([
      issueCluster({ algorithm: 'rsa-4096', only: [] }),
      issueCluster({ algorithm: 'ecdsa-p384', only: [] }),
    ]);
    expect(cfRsa.publicKey).toEqual({ algorithm: 'RSA', size: 4096 });
    expect(cfRsa.signatureAlgorithm).toBe('sha512WithRSAEncryption');
    expect(parseCertificate(ourRsa.ca.certPem).signatureAlgorithm).toBe('sha256WithRSAEncryption');
    expect(cfP384.signatureAlgorithm).toBe('ecdsa-with-SHA384');
    expect(parseCertificate(ourP384.ca.certPem).signatureAlgorithm).toBe('ecdsa-with-SHA384');
    expect(parseCertificate(ourP384.ca.certPem).publicKey).toEqual(cfP384.publicKey);
  });
});
