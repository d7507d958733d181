import { beforeAll, describe, expect, test } from 'vitest';
import type { PlannedCertificate } from '@kpki/shared';
import { buildCatalog } from '@kpki/shared/catalog';
import { isIp } from '@kpki/shared/net';
import { hardWayPreset } from '@kpki/shared/preset';
import { CFSSL_KUBERNETES_PEM } from '../../test/fixtures/cfssl-certs.ts';
import { checkAddress } from './address.ts';
import { createCa } from './ca.ts';
import { issueCertificate } from './leaf.ts';

// The fixture's SANs: DNS kubernetes, kubernetes.default; IP 10.32.0.1, 192.168.56.20, 127.0.0.1, ::1.
const check = (address: string) => checkAddress(CFSSL_KUBERNETES_PEM, address);

describe('checkAddress: IP addresses match IP SANs only', () => {
  test('a listed IPv4', () => {
    expect(check('10.32.0.1')).toEqual({
      address: '10.32.0.1', valid: true, matched: { type: 'ip', value: '10.32.0.1' },
      message: 'certificate is valid for 10.32.0.1: matches IP SAN 10.32.0.1',
    });
  });
  test('IPv6 in any text form, brackets allowed', () => {
    for (const a of ['::1', '[::1]', '0:0:0:0:0:0:0:1', '0000::0001']) {
      expect(check(a), a).toMatchObject({ valid: true, matched: { type: 'ip', value: '::1' } });
    }
  });
  test('an address not listed: Go\'s message, listing the IP SANs', () => {
    expect(check('192.168.56.21')).toEqual({
      address: '192.168.56.21', valid: false, matched: null,
      message: 'x509: certificate is valid for 10.32.0.1, 192.168.56.20, 127.0.0.1, ::1, not 192.168.56.21',
    });
  });
  test('an IPv4-mapped IPv6 address is the IPv4 SAN (Go compares with net.IP.Equal)', () => {
    expect(check('::ffff:127.0.0.1')).toMatchObject({ valid: true, matched: { type: 'ip', value: '127.0.0.1' } });
    expect(check('::ffff:127.0.0.2').valid).toBe(false);
  });
});

describe('checkAddress: DNS names match DNS SANs only', () => {
  test('case-insensitive, trailing dot ignored', () => {
    expect(check('KUBERNETES.default.')).toMatchObject({ valid: true, matched: { type: 'dns', value: 'kubernetes.default' } });
  });
  test('the tutorial\'s failure: a name that is not listed', () => {
    expect(check('kubernetes.default.svc').message).toBe('x509: certificate is valid for kubernetes, kubernetes.default, not kubernetes.default.svc');
  });
  test('nothing or nonsense', () => {
    expect(check('  ')).toMatchObject({ valid: false, message: 'no address given: pass a DNS name or an IP address' });
    expect(check('a b')).toMatchObject({ valid: false, message: '"a b" is neither an IP address nor a DNS name' });
    expect(check('10.0.0.300').valid).toBe(false);
  });
});

describe('checkAddress on kpki certificates', () => {
  const cluster = hardWayPreset();
  const catalog = buildCatalog(cluster);
  const now = new Date('2026-01-15T10:25:19Z');
  const issued: Record<string, string> = {};
  const plan = (name: string, sans: string[], usages?: string[]): PlannedCertificate => ({
    ...catalog.find((c) => c.name === 'kubernetes')!, name,
    sans: sans.map((value) => ({ type: isIp(value) ? 'ip' : 'dns', value, reason: 'test' }) as const),
    ...(usages ? { usages } : {}),
  });
  beforeAll(async () => {
    const ca = await createCa({ planned: catalog[0], subject: cluster.subject, algorithm: 'ecdsa-p256', validityHours: 100, now });
    const issue = async (p: PlannedCertificate) => (await issueCertificate({ ca, planned: p, subject: cluster.subject, algorithm: 'ecdsa-p256', validityHours: 10, now })).certPem;
    issued.wild = await issue(plan('wild', ['*.apps.example.com']));
    issued.clientOnly = await issue(plan('client-only', ['api.example.com'], ['digital signature', 'client auth']));
    issued.admin = await issue(catalog.find((c) => c.name === 'admin')!);
    issued.v6 = await issue(plan('v6', ['fd00:10:96::1']));
  });

  test('a wildcard covers exactly one leftmost label', () => {
    expect(checkAddress(issued.wild, 'x.apps.example.com')).toMatchObject({ valid: true, matched: { type: 'dns', value: '*.apps.example.com' } });
    expect(checkAddress(issued.wild, 'a.b.apps.example.com').valid).toBe(false);
    expect(checkAddress(issued.wild, 'apps.example.com').valid).toBe(false);
  });
  test('a SAN matches, but the certificate is not for servers', () => {
    const r = checkAddress(issued.clientOnly, 'api.example.com');
    expect(r).toMatchObject({ valid: false, matched: { type: 'dns', value: 'api.example.com' } });
    expect(r.message).toMatch(/^x509: certificate specifies an incompatible key usage/);
  });
  test('a certificate without SANs (admin): Go\'s messages', () => {
    expect(checkAddress(issued.admin, '10.0.0.1').message).toBe("x509: cannot validate certificate for 10.0.0.1 because it doesn't contain any IP SANs");
    expect(checkAddress(issued.admin, 'admin').message).toBe('x509: certificate relies on legacy Common Name field, use SANs instead');
    expect(checkAddress(issued.admin, 'example.com').message).toBe('x509: certificate is not valid for any names, but wanted to match example.com');
  });
  test('an IPv6 service address', () => {
    expect(checkAddress(issued.v6, 'FD00:10:96:0:0:0:0:1')).toMatchObject({
      valid: true, matched: { type: 'ip', value: 'fd00:10:96::1' }, message: 'certificate is valid for fd00:10:96::1: matches IP SAN fd00:10:96::1',
    });
  });
});
