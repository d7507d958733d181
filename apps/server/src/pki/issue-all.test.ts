import { beforeAll, describe, expect, test } from 'vitest';
import { buildCatalog } from '@kpki/shared/catalog';
import { hardWayPreset } from '@kpki/shared/preset';
import { createCa, type CertificateAndKey } from './ca.ts';
import { parseCertificate } from './inspect.ts';
import { issueAll, type IssuedEntry } from './issue-all.ts';
import { verifyChain } from './verify.ts';

const NOW = new Date('2026-01-15T10:25:19Z');
const cluster = hardWayPreset();
const catalog = buildCatalog(cluster);

describe('issueAll on the tutorial preset (RSA 2048)', () => {
  let ca: CertificateAndKey;
  let issued: IssuedEntry[];
  const progress: Array<[number, number, string]> = [];

  beforeAll(async () => {
    ca = await createCa({ planned: catalog[0], subject: cluster.subject, algorithm: 'rsa-2048', validityHours: 43800, now: NOW });
    issued = await issueAll({
      ca, certificates: catalog, subject: cluster.subject, algorithm: 'rsa-2048', validityHours: 8760, now: NOW,
      onProgress: (done, total, name) => progress.push([done, total, name]),
    });
  });

  test('the nine leaves in catalog order (the CA entry is skipped), service-account included', () => {
    expect(issued.map((e) => e.name)).toEqual([
      'admin', 'worker1', 'worker2', 'kube-controller-manager', 'kube-proxy', 'kube-scheduler', 'kubernetes', 'etcd', 'service-account',
    ]);
    const sa = issued.find((e) => e.name === 'service-account')!;
    expect(sa.keyPem.startsWith('-----BEGIN RSA PRIVATE KEY-----')).toBe(true);
    expect(parseCertificate(sa.certPem).subject.at(-1)).toEqual({ type: 'CN', value: 'service-accounts' });
  });

  test('every certificate verifies against the CA, with its own key, serial and SKI', () => {
    for (const e of issued) expect(verifyChain(e.certPem, ca.certPem, NOW), e.name).toMatchObject({ ok: true });
    const parsed = issued.map((e) => parseCertificate(e.certPem));
    expect(new Set(parsed.map((p) => p.serial)).size).toBe(9);
    expect(new Set(parsed.map((p) => p.subjectKeyIdentifier)).size).toBe(9);
    expect(new Set(issued.map((e) => e.keyPem)).size).toBe(9);
    expect(issued.every((e) => !e.notAfterClamped)).toBe(true);
  });

  test('subjects follow the catalog (CN and O of each row of docs/domain.md)', () => {
    for (const e of issued) {
      const planned = catalog.find((c) => c.name === e.name)!;
      const subject = parseCertificate(e.certPem).subject;
      expect(subject.find((a) => a.type === 'CN')?.value).toBe(planned.cn);
      expect(subject.find((a) => a.type === 'O')?.value).toBe(planned.o);
    }
  });

  test('progress: one call per certificate, done counting 1..9 of 9', () => {
    expect(progress.map(([done]) => done)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(progress.every(([, total]) => total === 9)).toBe(true);
    expect(new Set(progress.map(([, , name]) => name)).size).toBe(9);
  });

  // whether the event loop stays free while a whole catalog is issued is timing: `npm run bench -- issuance` measures it
});

describe('issueAll failures', () => {
  let ca: CertificateAndKey;
  beforeAll(async () => {
    ca = await createCa({ planned: catalog[0], subject: cluster.subject, algorithm: 'ecdsa-p256', validityHours: 100, now: NOW });
  });
  const base = () => ({ ca, subject: cluster.subject, algorithm: 'ecdsa-p256' as const, validityHours: 10, now: NOW });

  test('two entries with one name', async () => {
    const admin = catalog.find((c) => c.name === 'admin')!;
    await expect(issueAll({ ...base(), certificates: [admin, admin] })).rejects.toThrow(/two certificates named "admin"/);
  });

  test('one bad entry fails the whole call', async () => {
    const certificates = catalog.map((c) => (c.name === 'etcd' ? { ...c, usages: ['bogus'] } : c));
    await expect(issueAll({ ...base(), certificates, concurrency: 2 })).rejects.toThrow(/unknown usage "bogus"/);
  });

  test('an empty list issues nothing', async () => {
    expect(await issueAll({ ...base(), certificates: [] })).toEqual([]);
  });
});
