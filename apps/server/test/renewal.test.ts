/**
 * Renewal (issue 10), checked with openssl: a renewed certificate takes its subject, SANs and
 * usages from the current plan, gets a new serial and validity and (unless kept) a new key,
 * verifies against the CA; the old version stays, superseded and downloadable by serial; the
 * service-account pair keeps its key unless asked. The server's clock is injected and moved,
 * never slept on.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { CertificateSummary, ExpiryReport, Job, LifecycleAnswer, Plan } from '@kpki/shared';
import { DAY_MS, issuedCluster, refreshSession, tempDataDir, testApp, testClock, waitJob } from './helpers/app.ts';
import { removeDir, requireTool, runOk, tmpDir } from './helpers/tools.ts';

type App = Awaited<ReturnType<typeof testApp>>;
const OPENSSL = '/usr/bin/openssl';

describe('renewal', () => {
  const clock = testClock();
  let dataDir = '';
  let work = '';
  let app: App;
  let cluster: string;
  const api = (url: string) => `/api/v1/clusters/${cluster}${url}`;
  const get = async <T = any>(url: string): Promise<T> => (await app.inject(api(url))).json() as T;
  const current = async () => Object.fromEntries(((await get<{ items: CertificateSummary[] }>('/certificates')).items).map((c) => [c.name, c]));
  const renew = async (body: object): Promise<{ status: number; answer: LifecycleAnswer; job: Job | null }> => {
    const res = await app.inject({ method: 'POST', url: api('/renewals'), payload: body });
    const answer = res.json() as LifecycleAnswer;
    return { status: res.statusCode, answer, job: answer.jobId ? await waitJob(app, answer.jobId) : null };
  };
  /** writes <name>.pem (or the version `serial`) into the work folder and returns its path */
  const certFile = async (name: string, serial?: string) => {
    const res = await app.inject(api(`/certificates/${name}/cert.pem${serial ? `?serial=${serial}` : ''}`));
    expect(res.statusCode, res.body).toBe(200);
    const file = path.join(work, `${name}${serial ? `-${serial}` : ''}.pem`);
    fs.writeFileSync(file, res.body);
    return file;
  };
  const openssl = async (...args: string[]) => (await runOk(OPENSSL, args, { cwd: work })).stdout;
  const keyOf = async (name: string) => (await app.inject(api(`/certificates/${name}/key.pem`))).body;
  const moveClock = async (ms: number) => {
    clock.advance(ms);
    await refreshSession(app); // the admin's 12-hour session ends when the clock jumps days
  };

  beforeAll(async () => {
    requireTool(OPENSSL, 'openssl');
    dataDir = tempDataDir();
    work = await tmpDir('kpki-renewal-');
    app = await testApp(dataDir, {}, { now: clock.now });
    cluster = await issuedCluster(app);
  });
  afterAll(async () => {
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    await removeDir(work);
  });

  test('kubernetes and service-account: the plan\'s subject, SANs and usages, new serial and validity, openssl verify OK; service-account keeps its key', async () => {
    const before = await current();
    const keysBefore = { kubernetes: await keyOf('kubernetes'), sa: await keyOf('service-account') };
    await moveClock(10 * DAY_MS);
    const { status, answer, job } = await renew({ certificates: ['kubernetes', 'service-account'] });
    expect(status).toBe(202);
    expect(answer.certificates).toEqual(['kubernetes', 'service-account']);
    expect(job!.status, JSON.stringify(job!.error)).toBe('succeeded');
    expect(job!.type).toBe('renewal');
    expect(job!.log.map((l) => l.message).join('\n')).toMatch(/service-account: keeps its key \(a new key invalidates every service-account token/);

    const after = await current();
    const plan = await get<Plan>('/plan');
    const ca = await certFile('ca');
    for (const name of ['kubernetes', 'service-account']) {
      const [old, renewed] = [before[name], after[name]];
      expect(renewed.serial, name).not.toBe(old.serial);
      expect(Date.parse(renewed.notBefore) - Date.parse(old.notBefore), name).toBeGreaterThanOrEqual(10 * DAY_MS - 60_000);
      expect(Date.parse(renewed.notAfter) - Date.parse(renewed.notBefore)).toBe(8760 * 3_600_000);
      const file = await certFile(name);
      // openssl reads real time: verify at the server's (moved) clock
      const at = String(Math.floor(clock.now().getTime() / 1000));
      expect((await openssl('verify', '-attime', at, '-CAfile', ca, file)).trim()).toBe(`${file}: OK`);
      const text = await openssl('x509', '-in', file, '-noout', '-serial', '-subject', '-nameopt', 'sep_comma_plus,sname', '-ext', 'subjectAltName,keyUsage,extendedKeyUsage');
      const p = plan.certificates.find((c) => c.name === name)!;
      expect(text).toContain(`serial=${renewed.serial.toUpperCase()}`);
      expect(text).toContain(`subject=C=US,ST=Oregon,L=Portland,O=${p.o},OU=${p.ou},CN=${p.cn}`);
      expect(text).toMatch(/Key Usage: critical\n\s+Digital Signature, Key Encipherment\n/);
      expect(text).toMatch(/Extended Key Usage: \n\s+TLS Web Server Authentication, TLS Web Client Authentication\n/);
      const sans = /Subject Alternative Name: \n\s+(.*)\n/.exec(text)?.[1] ?? '';
      const want = p.sans.map((s) => `${s.type === 'ip' ? 'IP Address' : 'DNS'}:${s.value}`);
      expect(sans ? sans.split(', ').sort() : [], name).toEqual(want.sort());

      // the old version: superseded, still downloadable by serial, and openssl still reads it
      const detail = await get(`/certificates/${name}?serial=${old.serial}`);
      expect(detail.status).toBe('superseded');
      const oldFile = await certFile(name, old.serial);
      expect(await openssl('x509', '-in', oldFile, '-noout', '-serial')).toBe(`serial=${old.serial.toUpperCase()}\n`);
    }
    expect(await keyOf('service-account')).toBe(keysBefore.sa);
    expect(await keyOf('kubernetes')).not.toBe(keysBefore.kubernetes);
    // the key still belongs to the renewed certificate
    const pub = async (args: string[]) => (await openssl(...args)).trim();
    fs.writeFileSync(path.join(work, 'k.pem'), await keyOf('kubernetes'), { mode: 0o600 });
    expect(await pub(['pkey', '-in', 'k.pem', '-pubout'])).toBe(await pub(['x509', '-in', await certFile('kubernetes'), '-noout', '-pubkey']));
    // everything else untouched
    for (const name of Object.keys(before).filter((n) => !['kubernetes', 'service-account'].includes(n))) expect(after[name].serial, name).toBe(before[name].serial);
  });

  test('keepKeys: false gives the service-account a new key; keepKeys: true keeps every key', async () => {
    const sa = await keyOf('service-account');
    const { job } = await renew({ certificates: ['service-account'], keepKeys: false });
    expect(job!.status).toBe('succeeded');
    expect(await keyOf('service-account')).not.toBe(sa);
    const admin = await keyOf('admin');
    const adminSerial = (await current()).admin.serial;
    expect((await renew({ certificates: ['admin'], keepKeys: true })).job!.status).toBe('succeeded');
    expect(await keyOf('admin')).toBe(admin);
    expect((await current()).admin.serial).not.toBe(adminSerial);
  });

  test('without names: exactly the leaves in warning or worse at the server\'s clock, cross-checked with openssl -checkend', async () => {
    // issued at t0, renewed at t0 + 10 d: at t0 + 340 d the first ones have 25 days left (warning), the renewed 35 (ok)
    await moveClock(330 * DAY_MS);
    const report = await get<ExpiryReport>('/expiry');
    const due = report.certificates.filter((c) => c.state !== 'ok').map((c) => c.name).sort();
    expect(due).toEqual(['etcd', 'kube-controller-manager', 'kube-proxy', 'kube-scheduler', 'worker1', 'worker2']);
    // openssl agrees: each due one ends within the warning threshold from the server's now, the others do not
    for (const c of report.certificates) {
      const seconds = Math.round((clock.now().getTime() - Date.now()) / 1000) + 30 * 86_400;
      const r = await runOk('bash', ['-c', `${OPENSSL} x509 -in "$1" -noout -checkend ${seconds}; echo "rc=$?"`, 'x', await certFile(c.name)]).catch((e) => ({ stdout: String(e) }));
      expect(r.stdout.trim().endsWith(c.state === 'ok' ? 'rc=0' : 'rc=1'), `${c.name} ${c.state}: ${r.stdout}`).toBe(true);
    }
    const { status, answer, job } = await renew({});
    expect(status).toBe(202);
    expect([...answer.certificates].sort()).toEqual(due);
    expect(job!.status).toBe('succeeded');
    expect((await get<ExpiryReport>('/expiry')).certificates.every((c) => c.state === 'ok')).toBe(true);

    const jobs = (await app.inject('/api/v1/jobs')).json().items.length;
    const again = await renew({});
    expect(again.status).toBe(200);
    expect(again.answer).toMatchObject({ jobId: null, certificates: [] });
    expect(again.answer.message).toMatch(/^nothing to renew/);
    expect((await app.inject('/api/v1/jobs')).json().items.length).toBe(jobs);
  });

  test('the CA is never renewed in place, an unknown name is named in a 404', async () => {
    const ca = await app.inject({ method: 'POST', url: api('/renewals'), payload: { certificates: ['ca'] } });
    expect(ca.statusCode).toBe(409);
    expect(ca.json().error.code).toBe('CA_ROTATION_REQUIRED');
    const unknown = await app.inject({ method: 'POST', url: api('/renewals'), payload: { certificates: ['kubernetes', 'worker9'] } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.message).toMatch(/certificate "worker9" is not in cluster "hard-way"/);
  });
});
