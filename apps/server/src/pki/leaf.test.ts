import { beforeAll, describe, expect, test } from 'vitest';
import type { ClusterInput, PlannedCertificate } from '@kpki/shared';
import { buildCatalog } from '@kpki/shared/catalog';
import { hardWayPreset } from '@kpki/shared/preset';
import { createCa, type CertificateAndKey } from './ca.ts';
import { parseCertificate } from './inspect.ts';
import { issueCertificate } from './leaf.ts';
import { verifyChain } from './verify.ts';

const NOW = new Date('2026-01-15T10:25:19Z');
const cluster: ClusterInput = hardWayPreset();
const catalog = buildCatalog(cluster);
const entry = (name: string): PlannedCertificate => catalog.find((c) => c.name === name)!;
const caEntry = entry('ca');

let ca: CertificateAndKey;
let caSki: string;
beforeAll(async () => {
  ca = await createCa({ planned: caEntry, subject: cluster.subject, algorithm: 'ecdsa-p256', validityHours: 43800, now: NOW });
  caSki = parseCertificate(ca.certPem).subjectKeyIdentifier!;
});

const issue = (planned: PlannedCertificate, extra: Partial<Parameters<typeof issueCertificate>[0]> = {}) =>
  issueCertificate({ ca, planned, subject: cluster.subject, algorithm: 'ecdsa-p256', validityHours: 8760, now: NOW, ...extra });

describe('issueCertificate: the kubernetes profile of docs/domain.md', () => {
  test('kubernetes (API server): subject, extensions, SANs in plan order, validity', async () => {
    const leaf = await issue(entry('kubernetes'));
    expect(leaf.notAfterClamped).toBe(false);
    const p = parseCertificate(leaf.certPem);
    expect(p.subject.map((a) => `${a.type}=${a.value}`)).toEqual([
      'C=US', 'ST=Oregon', 'L=Portland', 'O=Kubernetes', 'OU=Kubernetes The Hard Way', 'CN=kubernetes',
    ]);
    expect(p.issuer).toEqual(parseCertificate(ca.certPem).subject);
    expect(p.keyUsage).toEqual({ critical: true, usages: ['digital signature', 'key encipherment'] });
    expect(p.extendedKeyUsage).toEqual(['server auth', 'client auth']);
    expect(p.basicConstraints).toEqual({ critical: true, ca: false });
    expect(p.subjectKeyIdentifier).toMatch(/^[0-9a-f]{40}$/);
    expect(p.subjectKeyIdentifier).not.toBe(caSki);
    expect(p.authorityKeyIdentifier).toBe(caSki);
    expect(p.sans).toEqual([
      { type: 'ip', value: '10.32.0.1' },
      { type: 'ip', value: '192.168.56.20' },
      { type: 'ip', value: '192.168.56.21' },
      { type: 'ip', value: '192.168.56.22' },
      { type: 'ip', value: '127.0.0.1' },
      { type: 'dns', value: 'kubernetes' },
      { type: 'dns', value: 'kubernetes.default' },
      { type: 'dns', value: 'kubernetes.default.svc' },
      { type: 'dns', value: 'kubernetes.default.svc.cluster' },
      { type: 'dns', value: 'kubernetes.default.svc.cluster.local' },
    ]);
    expect(p.notBefore).toBe('2026-01-15T10:20:00.000Z');
    expect(p.notAfter).toBe('2027-01-15T10:20:00.000Z');
    expect(p.signatureAlgorithm).toBe('ecdsa-with-SHA256');
    expect(verifyChain(leaf.certPem, ca.certPem, NOW)).toMatchObject({ ok: true });
  });

  test('a client certificate has no SAN extension; the worker has its name and IP', async () => {
    expect(parseCertificate((await issue(entry('admin'))).certPem).sans).toEqual([]);
    const w = parseCertificate((await issue(entry('worker1'))).certPem);
    expect(w.sans).toEqual([{ type: 'dns', value: 'worker1' }, { type: 'ip', value: '192.168.56.23' }]);
    expect(w.subject.find((a) => a.type === 'CN')?.value).toBe('system:node:worker1');
    expect(w.subject.find((a) => a.type === 'O')?.value).toBe('system:nodes');
  });

  test('IPv6 SANs are the 16 address bytes, read back in canonical form', async () => {
    const planned = { ...entry('etcd'), sans: [{ type: 'ip' as const, value: 'FD00:10:96:0::1', reason: 't' }, { type: 'ip' as const, value: '::1', reason: 't' }] };
    expect(parseCertificate((await issue(planned)).certPem).sans).toEqual([
      { type: 'ip', value: 'fd00:10:96::1' },
      { type: 'ip', value: '::1' },
    ]);
  });

  test('an empty O is left out of the subject', async () => {
    const p = parseCertificate((await issue({ ...entry('admin'), o: '' })).certPem);
    expect(p.subject.map((a) => a.type)).toEqual(['C', 'ST', 'L', 'OU', 'CN']);
  });

  test('notAfter is clamped to the CA notAfter, and reported', async () => {
    const leaf = await issue(entry('admin'), { validityHours: 50000 });
    expect(leaf.notAfterClamped).toBe(true);
    expect(parseCertificate(leaf.certPem).notAfter).toBe(parseCertificate(ca.certPem).notAfter);
    expect(verifyChain(leaf.certPem, ca.certPem, NOW).ok).toBe(true);
  });

  test('an RSA leaf under an ECDSA P-384 CA is signed with ecdsa-with-SHA384', async () => {
    const ca384 = await createCa({ planned: caEntry, subject: cluster.subject, algorithm: 'ecdsa-p384', validityHours: 100, now: NOW });
    const leaf = await issueCertificate({ ca: ca384, planned: entry('admin'), subject: cluster.subject, algorithm: 'rsa-2048', validityHours: 10, now: NOW });
    const p = parseCertificate(leaf.certPem);
    expect(p.signatureAlgorithm).toBe('ecdsa-with-SHA384');
    expect(p.publicKey).toEqual({ algorithm: 'RSA', size: 2048 });
    expect(leaf.keyPem.startsWith('-----BEGIN RSA PRIVATE KEY-----')).toBe(true);
    expect(verifyChain(leaf.certPem, ca384.certPem, NOW).ok).toBe(true);
  });
});

describe('issueCertificate refuses', () => {
  test('the CA entry', async () => {
    await expect(issue(caEntry)).rejects.toThrow(/"ca" is the CA entry/);
  });
  test('an expired CA', async () => {
    await expect(issue(entry('admin'), { now: new Date('2032-01-01T00:00:00Z') })).rejects.toThrow(/the CA expired at 2031-01-14T10:20:00.000Z/);
  });
  test('a CA key that is not the certificate\'s, without showing either key', async () => {
    const other = await createCa({ planned: caEntry, subject: cluster.subject, algorithm: 'ecdsa-p256', validityHours: 100, now: NOW });
    const err = await issueCertificate({ ca: { certPem: ca.certPem, keyPem: other.keyPem }, planned: entry('admin'), subject: cluster.subject, algorithm: 'ecdsa-p256', validityHours: 1, now: NOW }).catch((e: Error) => e);
    expect((err as Error).message).toBe('the CA private key does not belong to the CA certificate');
    expect((err as Error).message).not.toContain('PRIVATE');
  });
  test('a leaf as the CA', async () => {
    const leaf = await issue(entry('admin'));
    await expect(issueCertificate({ ca: leaf, planned: entry('admin'), subject: cluster.subject, algorithm: 'ecdsa-p256', validityHours: 1, now: NOW })).rejects.toThrow(/not a CA/);
  });
  test('an unknown usage', async () => {
    await expect(issue({ ...entry('admin'), usages: ['server auth', 'teleport'] })).rejects.toThrow(/unknown usage "teleport"/);
  });
});
