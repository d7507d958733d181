/** The facts read from DER agree with the full parser (inspect.ts) and node's X.509, for RSA and ECDSA. */
import { createHash, X509Certificate } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { buildCatalog } from '@kpki/shared/catalog';
import { EKU } from '@kpki/shared/tls-facts';
import { withPreset } from '@kpki/shared/test-topologies';
import { createCa, issueCertificate, parseCertificate } from './index.ts';
import { certFacts, observeFile, pemBlocks, signatureVerifies } from './cert-facts.ts';

const cluster = withPreset({ extraSans: { kubernetes: ['fd00::10', 'api.example.com'] } });
const catalog = buildCatalog(cluster);
const now = new Date('2026-03-01T10:00:00Z');

describe.each(['rsa-2048', 'ecdsa-p256'] as const)('certFacts (%s)', (algorithm) => {
  test('names, SANs, usages, constraints, key ids and validity match the full parser', async () => {
    const ca = await createCa({ planned: catalog[0], subject: cluster.subject, algorithm, validityHours: 100, now });
    const planned = catalog.find((c) => c.name === 'kubernetes')!;
    const leaf = await issueCertificate({ ca, planned, subject: cluster.subject, algorithm, validityHours: 10, now });
    const der = new X509Certificate(leaf.certPem).raw;
    const f = certFacts(der);
    const p = parseCertificate(leaf.certPem);
    expect(f.id).toBe(createHash('sha256').update(der).digest('hex'));
    expect([f.cn, f.o]).toEqual(['kubernetes', ['Kubernetes']]);
    expect(f.ipAddresses).toEqual(p.sans.filter((s) => s.type === 'ip').map((s) => s.value));
    expect(f.ipAddresses).toContain('fd00::10');
    expect(f.dnsNames).toEqual(p.sans.filter((s) => s.type === 'dns').map((s) => s.value));
    expect(f.extKeyUsage).toEqual([EKU.serverAuth, EKU.clientAuth]);
    expect([f.basicConstraintsValid, f.isCa, f.keyCertSign]).toEqual([true, false, false]);
    expect([f.subjectKeyId, f.authorityKeyId]).toEqual([p.subjectKeyIdentifier, p.authorityKeyIdentifier]);
    expect([f.notBefore, f.notAfter]).toEqual([p.notBefore, p.notAfter]);
    expect(BigInt(f.serial).toString(16)).toBe(p.serial.replace(/^0+/, ''));
    expect(f.publicKeyAlgorithm).toBe(algorithm === 'rsa-2048' ? 'RSA' : 'ECDSA');
    expect(f.signatureKeyAlgorithm).toBe(f.publicKeyAlgorithm);

    const caFacts = certFacts(new X509Certificate(ca.certPem).raw);
    expect([caFacts.isCa, caFacts.keyCertSign, caFacts.subjectDer]).toEqual([true, true, f.issuerDer]);
    expect(signatureVerifies(der, new X509Certificate(ca.certPem).raw)).toBe(true);
    expect(signatureVerifies(der, der)).toBe(false);

    // the key file's public half is the certificate's key; nothing of the key is kept
    const key = observeFile(leaf.keyPem, 'key');
    expect(key.key).toEqual({ algorithm: f.publicKeyAlgorithm, publicKeyId: f.publicKeyId });
    expect(JSON.stringify(key)).not.toContain(leaf.keyPem.split('\n')[1]);
  });
});

describe('observeFile: what Go finds in a file', () => {
  test('certificate files: CERTIFICATE blocks, other blocks, text around them ignored', async () => {
    const ca = await createCa({ planned: catalog[0], subject: cluster.subject, algorithm: 'ecdsa-p256', validityHours: 100, now });
    const both = `# a comment\n${ca.certPem}junk\n${ca.keyPem}`;
    const seen = observeFile(both, 'cert');
    expect(seen.certificates).toHaveLength(1);
    expect(seen.otherBlocks).toEqual(['EC PRIVATE KEY']);
    expect(pemBlocks(both).map((b) => b.type)).toEqual(['CERTIFICATE', 'EC PRIVATE KEY']);
    expect(observeFile('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', 'cert').malformed).toBe(1);
  });

  test('key files: Go\'s errors when there is no usable key', async () => {
    const ca = await createCa({ planned: catalog[0], subject: cluster.subject, algorithm: 'ecdsa-p256', validityHours: 100, now });
    expect(observeFile('nothing here', 'key').keyError).toBe('tls: failed to find any PEM data in key input');
    expect(observeFile(ca.certPem, 'key').keyError).toBe('tls: found a certificate rather than a key in the PEM for the private key');
    expect(observeFile('-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n', 'key').keyError).toBe('tls: failed to parse private key');
  });
});
