import { beforeAll, describe, expect, test } from 'vitest';
import { buildCatalog } from '@kpki/shared/catalog';
import { hardWayPreset } from '@kpki/shared/preset';
import { CFSSL_CA_PEM, CFSSL_KUBERNETES_PEM } from '../../test/fixtures/cfssl-certs.ts';
import { createCa, type CertificateAndKey } from './ca.ts';
import { issueCertificate } from './leaf.ts';
import { basicConstraints, keyUsage } from './extensions.ts';
import { exportPublicKeyDer } from './keys.ts';
import { distinguishedName, signCertificate, toPem } from './template.ts';
import { KEY_USAGE_FLAGS } from './usages.ts';
import { verifyChain } from './verify.ts';

const cluster = hardWayPreset();
const catalog = buildCatalog(cluster);
const NOW = new Date('2026-01-15T10:25:19Z');

describe('verifyChain on cfssl certificates (fixed dates)', () => {
  test('valid inside the window, bounds inclusive', () => {
    expect(verifyChain(CFSSL_KUBERNETES_PEM, CFSSL_CA_PEM, new Date('2027-01-01T00:00:00Z'))).toEqual({
      ok: true,
      message: 'OK: signed by C = US, ST = Oregon, L = Portland, O = Kubernetes, OU = CA, CN = Kubernetes, valid from 2026-11-29T14:20:00.000Z to 2027-11-29T14:20:00.000Z',
    });
    expect(verifyChain(CFSSL_KUBERNETES_PEM, CFSSL_CA_PEM, new Date('2026-11-29T14:20:00Z')).ok).toBe(true);
    expect(verifyChain(CFSSL_KUBERNETES_PEM, CFSSL_CA_PEM, new Date('2027-11-29T14:20:00Z')).ok).toBe(true);
  });
  test('not yet valid, expired', () => {
    expect(verifyChain(CFSSL_KUBERNETES_PEM, CFSSL_CA_PEM, new Date('2026-11-29T14:19:59Z'))).toEqual({
      ok: false,
      message: 'the certificate is not yet valid: notBefore 2026-11-29T14:20:00.000Z is after 2026-11-29T14:19:59.000Z',
    });
    expect(verifyChain(CFSSL_KUBERNETES_PEM, CFSSL_CA_PEM, new Date('2027-11-29T14:20:01Z')).message).toMatch(/^the certificate has expired: notAfter 2027-11-29T14:20:00.000Z/);
  });
  test('a tampered signature', () => {
    const der = Buffer.from(CFSSL_KUBERNETES_PEM.replace(/-----[^-]+-----|\n/g, ''), 'base64');
    der[der.length - 10] ^= 0xff;
    const r = verifyChain(toPem(der, 'CERTIFICATE'), CFSSL_CA_PEM, new Date('2027-01-01T00:00:00Z'));
    expect(r).toMatchObject({ ok: false });
    expect(r.message).toMatch(/^certificate signature failure/);
  });
  test('a leaf as CA, garbage input', () => {
    expect(verifyChain(CFSSL_KUBERNETES_PEM, CFSSL_KUBERNETES_PEM, new Date('2027-01-01T00:00:00Z')).message).toMatch(/^invalid CA certificate: .* is not a CA/);
    expect(verifyChain('nope', CFSSL_CA_PEM, NOW)).toEqual({ ok: false, message: 'the certificate is not a valid PEM certificate' });
    expect(verifyChain(CFSSL_KUBERNETES_PEM, 'nope', NOW)).toEqual({ ok: false, message: 'the CA certificate is not a valid PEM certificate' });
  });
});

describe('verifyChain on kpki certificates', () => {
  let ca: CertificateAndKey;
  let leaf: CertificateAndKey;
  beforeAll(async () => {
    ca = await createCa({ planned: catalog[0], subject: cluster.subject, algorithm: 'ecdsa-p256', validityHours: 100, now: NOW });
    leaf = await issueCertificate({ ca, planned: catalog[1], subject: cluster.subject, algorithm: 'ecdsa-p256', validityHours: 10, now: NOW });
  });

  test('valid; the CA verifies as its own issuer', () => {
    expect(verifyChain(leaf.certPem, ca.certPem, NOW).ok).toBe(true);
    expect(verifyChain(ca.certPem, ca.certPem, NOW).ok).toBe(true);
  });

  test('another CA with the same subject: the key identifiers differ', async () => {
    const other = await createCa({ planned: catalog[0], subject: cluster.subject, algorithm: 'ecdsa-p256', validityHours: 100, now: NOW });
    expect(verifyChain(leaf.certPem, other.certPem, NOW).message).toMatch(/^unable to get local issuer certificate: authority key identifier [0-9a-f]+ is not the CA's/);
  });

  test('a CA of another subject', async () => {
    const berlin = await createCa({ planned: catalog[0], subject: { ...cluster.subject, L: 'Berlin' }, algorithm: 'ecdsa-p256', validityHours: 100, now: NOW });
    expect(verifyChain(leaf.certPem, berlin.certPem, NOW).message).toBe(
      'unable to get local issuer certificate: issued by C = US, ST = Oregon, L = Portland, O = Kubernetes, OU = CA, CN = Kubernetes, not by C = US, ST = Oregon, L = Berlin, O = Kubernetes, OU = CA, CN = Kubernetes',
    );
  });

  test('a CA that is not yet valid, though the leaf is', async () => {
    const later = new Date(NOW.getTime() + 3_600_000);
    const futureCa = await createCa({ planned: catalog[0], subject: cluster.subject, algorithm: 'ecdsa-p256', validityHours: 100, now: later });
    const early = await issueCertificate({ ca: futureCa, planned: catalog[1], subject: cluster.subject, algorithm: 'ecdsa-p256', validityHours: 10, now: NOW });
    expect(verifyChain(early.certPem, futureCa.certPem, NOW).message).toMatch(/^the CA certificate is not yet valid/);
  });

  test('a CA whose key usage lacks certificate sign', async () => {
    const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const name = distinguishedName({ CN: 'no-sign' });
    const cert = await signCertificate({
      serial: '01', subject: name, issuer: name, notBefore: new Date('2026-01-01Z'), notAfter: new Date('2027-01-01Z'),
      publicKeyDer: exportPublicKeyDer(keys.publicKey), signingKey: keys.privateKey, signParams: { name: 'ECDSA', hash: 'SHA-256' },
      extensions: [basicConstraints(true, true), keyUsage(KEY_USAGE_FLAGS.digitalSignature, true)],
    });
    expect(verifyChain(leaf.certPem, cert, NOW).message).toBe('invalid CA certificate: the key usage of CN = no-sign does not include certificate sign');
  });
});
