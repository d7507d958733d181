import { describe, expect, test } from 'vitest';
import { buildCatalog } from '@kpki/shared/catalog';
import { hardWayPreset } from '@kpki/shared/preset';
import { createCa } from './ca.ts';
import { parseCertificate } from './inspect.ts';
import { verifyChain } from './verify.ts';

const NOW = new Date('2026-01-15T10:25:19Z');
const cluster = hardWayPreset();
const planned = buildCatalog(cluster).find((c) => c.isCa)!;

describe('createCa', () => {
  test('the tutorial CA: subject, self-signed, CA extensions, 43800 h from now - 5 min', async () => {
    const ca = await createCa({ planned, subject: cluster.subject, algorithm: 'rsa-2048', validityHours: 43800, now: NOW });
    expect(ca.keyPem.startsWith('-----BEGIN RSA PRIVATE KEY-----\n')).toBe(true);
    const p = parseCertificate(ca.certPem);
    const dn = [
      { type: 'C', value: 'US' },
      { type: 'ST', value: 'Oregon' },
      { type: 'L', value: 'Portland' },
      { type: 'O', value: 'Kubernetes' },
      { type: 'OU', value: 'CA' },
      { type: 'CN', value: 'Kubernetes' },
    ];
    expect(p.subject).toEqual(dn);
    expect(p.issuer).toEqual(dn);
    expect(p.keyUsage).toEqual({ critical: true, usages: ['certificate sign', 'crl sign'] });
    expect(p.basicConstraints).toEqual({ critical: true, ca: true });
    expect(p.extendedKeyUsage).toEqual([]);
    expect(p.sans).toEqual([]);
    expect(p.subjectKeyIdentifier).toMatch(/^[0-9a-f]{40}$/);
    expect(p.authorityKeyIdentifier).toBeNull();
    expect(p.notBefore).toBe('2026-01-15T10:20:00.000Z');
    expect(p.notAfter).toBe('2031-01-14T10:20:00.000Z');
    expect(p.publicKey).toEqual({ algorithm: 'RSA', size: 2048 });
    expect(p.signatureAlgorithm).toBe('sha256WithRSAEncryption');
    expect(p.serial).toMatch(/^[0-7][0-9a-f]{39}$|^[0-9a-f]{1,39}$/);
    expect(verifyChain(ca.certPem, ca.certPem, NOW)).toMatchObject({ ok: true });
  });

  test.each([
    ['ecdsa-p256', 256, 'P-256', 'ecdsa-with-SHA256'],
    ['ecdsa-p384', 384, 'P-384', 'ecdsa-with-SHA384'],
  ] as const)('%s CA signs itself with %s bits, %s', async (algorithm, size, curve, sig) => {
    const ca = await createCa({ planned, subject: cluster.subject, algorithm, validityHours: 24, now: NOW });
    const p = parseCertificate(ca.certPem);
    expect(p.publicKey).toEqual({ algorithm: 'ECDSA', size, curve });
    expect(p.signatureAlgorithm).toBe(sig);
    expect(ca.keyPem.startsWith('-----BEGIN EC PRIVATE KEY-----\n')).toBe(true);
  });

  test('injected serial and backdate; other subject defaults', async () => {
    const ca = await createCa({
      planned, subject: { C: 'DE', ST: '', L: 'Berlin', OU: 'ignored: the plan says CA' }, algorithm: 'ecdsa-p256',
      validityHours: 10, now: NOW, backdateMinutes: 0, serial: '0102',
    });
    const p = parseCertificate(ca.certPem);
    expect(p.serial).toBe('0102');
    expect(p.notBefore).toBe('2026-01-15T10:25:00.000Z');
    expect(p.subject.map((a) => `${a.type}=${a.value}`)).toEqual(['C=DE', 'L=Berlin', 'O=Kubernetes', 'OU=CA', 'CN=Kubernetes']);
  });

  test('refuses a leaf entry, a CA without certificate sign, and a non-positive validity', async () => {
    const leaf = buildCatalog(cluster).find((c) => c.name === 'admin')!;
    const base = { subject: cluster.subject, algorithm: 'ecdsa-p256' as const, validityHours: 1, now: NOW };
    await expect(createCa({ ...base, planned: leaf })).rejects.toThrow(/"admin" is not a CA entry/);
    await expect(createCa({ ...base, planned: { ...planned, usages: ['crl sign'] } })).rejects.toThrow(/certificate sign/);
    await expect(createCa({ ...base, planned, validityHours: -1 })).rejects.toThrow(RangeError);
  });
});
