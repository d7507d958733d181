import { describe, expect, test } from 'vitest';
import { buildCatalog } from '@kpki/shared/catalog';
import { hardWayPreset } from '@kpki/shared/preset';
import { createCa } from './ca.ts';
import { issueCertificate } from './leaf.ts';
import { keyMatchesCertificate, notSignedBy } from './key-match.ts';

describe('key pairs and signatures of imported certificates', () => {
  test('a key matches its own certificate only; a certificate is signed by its CA only', async () => {
    const preset = hardWayPreset();
    const catalog = buildCatalog(preset);
    const planned = catalog.find((c) => c.isCa)!;
    const now = new Date();
    const opts = { planned, subject: preset.subject, algorithm: 'ecdsa-p256' as const, validityHours: 100, now };
    const [ca, other] = await Promise.all([createCa(opts), createCa(opts)]);
    const admin = catalog.find((c) => c.name === 'admin')!;
    const leaf = await issueCertificate({ ca, planned: admin, subject: preset.subject, algorithm: 'ecdsa-p256', validityHours: 10, now });
    expect(keyMatchesCertificate(leaf.certPem, leaf.keyPem)).toBe(true);
    expect(keyMatchesCertificate(leaf.certPem, ca.keyPem)).toBe(false);
    expect(keyMatchesCertificate(leaf.certPem, 'not a key')).toBe(false);
    expect(notSignedBy(leaf.certPem, ca.certPem)).toBeNull();
    expect(notSignedBy(leaf.certPem, other.certPem)).toMatch(/signature does not verify/);
    expect(notSignedBy(ca.certPem, ca.certPem)).toBeNull();
    expect(notSignedBy('junk', ca.certPem)).toBe('not a readable PEM certificate');
  });
});
