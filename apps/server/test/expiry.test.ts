/**
 * Expiry at a glance (issue 10) with an injected clock (moved, never slept on): every state of
 * every certificate and of the CA agrees with `openssl x509 -checkend` (openssl reads real time,
 * so it is asked about the server's moved "now"); per-cluster thresholds; a leaf capped at the
 * CA's notAfter says so; the CA is judged by its own thresholds (warning 180 days, critical 30: issue 13); a node still holding an older version that expires sooner is named
 * (a real sshd node, as of its last verify).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { summariseExpiry, type CertificateSummary, type ClusterListItem, type ExpiryReport, type ExpiryState, type ExpirySummary } from '@kpki/shared';
import { DAY_MS, issuedCluster, refreshSession, testClock, waitJob, type TestApp } from './helpers/app.ts';
import { useFleetCluster, type FleetCluster } from './helpers/fleet-cluster.ts';
import { removeDir, requireTool, run, tmpDir } from './helpers/tools.ts';

const OPENSSL = '/usr/bin/openssl';

describe('expiry', () => {
  const clock = testClock();
  beforeAll(() => requireTool(OPENSSL, 'openssl'));
  const fx = useFleetCluster({ fleetNodes: ['worker1'], distribute: true, now: clock.now });
  let work = '';
  let app: TestApp;
  let fc: FleetCluster;
  const get = async <T = any>(url: string): Promise<T> => (await app.inject(url)).json() as T;
  const moveClock = async (ms: number) => {
    clock.advance(ms);
    await refreshSession(app);
  };
  /**
   * Whether openssl agrees with `state` at the server's clock: the certificate ends within the
   * state's own threshold (none for ok) and not within the next lower one (none for expired).
   */
  const opensslAgrees = async (file: string, state: ExpiryState, t: { warningDays: number; criticalDays: number }) => {
    const offset = Math.round((clock.now().getTime() - Date.now()) / 1000);
    const endsWithin = async (days: number) => (await run(OPENSSL, ['x509', '-in', file, '-noout', '-checkend', String(offset + days * 86_400)])).code !== 0;
    const bounds: Record<ExpiryState, [number | null, number | null]> = {
      ok: [null, t.warningDays], warning: [t.warningDays, t.criticalDays], critical: [t.criticalDays, 0], expired: [0, null],
    };
    const [within, notWithin] = bounds[state];
    return (within === null || (await endsWithin(within))) && (notWithin === null || !(await endsWithin(notWithin)));
  };
  /**
   * The full report and the banner's summary (?view=summary) read at the same moment (the clock
   * only moves by hand): the summary is the report summarised, computed without it.
   */
  const readBoth = async (url: string): Promise<{ report: ExpiryReport; summary: ExpirySummary }> => {
    const report = await get<ExpiryReport>(url);
    const summary = await get<ExpirySummary>(`${url}?view=summary`);
    expect(summary).toEqual(summariseExpiry(report));
    return { report, summary };
  };
  const files = new Map<string, string>();
  /** every certificate of the report and the CA: the API's state is the one openssl -checkend gives */
  const crossCheck = async (cluster: string, report: ExpiryReport) => {
    const all = [...report.certificates, report.ca!];
    await Promise.all(all.map(async (c) => {
      const file = path.join(work, `${cluster}-${c.name}-${c.serial}.pem`);
      if (!files.has(file)) {
        fs.writeFileSync(file, (await app.inject(`/api/v1/clusters/${cluster}/certificates/${c.name}/cert.pem?serial=${c.serial}`)).body);
        files.set(file, c.serial);
      }
      expect(await opensslAgrees(file, c.state, c.name === 'ca' ? report.caThresholds : report.thresholds), `${c.name} ${c.state} at +${(clock.now().getTime() - Date.now()) / DAY_MS} d`).toBe(true);
      expect(c.residualSeconds).toBe(Math.floor((Date.parse(c.notAfter) - Date.parse(report.now)) / 1000));
    }));
    return all.map((c) => c.state);
  };

  beforeAll(async () => {
    ({ app, fc } = fx);
    work = await tmpDir('kpki-expiry-');
  });
  afterAll(() => removeDir(work));

  test('ok, warning, critical, expired as the clock moves, each one what openssl -checkend says', async () => {
    const states: string[] = [];
    const counts: ExpirySummary['attention'][] = [];
    for (const days of [0, 340, 20, 6]) {
      await moveClock(days * DAY_MS);
      const { report, summary } = await readBoth(fc.api('/expiry'));
      counts.push(summary.attention);
      expect(report.now).toBe(new Date(Date.parse(report.now)).toISOString());
      expect(report.thresholds).toEqual({ warningDays: 30, criticalDays: 7 });
      expect(report.certificates).toHaveLength(9);
      states.push(...(await crossCheck(fc.cluster, report)));
      // soonest first
      const residual = report.certificates.map((c) => c.residualSeconds);
      expect(residual).toEqual([...residual].sort((a, b) => a - b));
    }
    // each of the four states was met (leaves at +0, +340, +360, +366 days; the CA stays ok)
    expect(new Set(states)).toEqual(new Set(['ok', 'warning', 'critical', 'expired']));
    // the banner's counts move with the clock alone (the nine leaves; the CA stays ok)
    expect(counts).toEqual([
      { warning: 0, critical: 0, expired: 0 }, { warning: 9, critical: 0, expired: 0 }, { warning: 0, critical: 9, expired: 0 }, { warning: 0, critical: 0, expired: 9 },
    ]);
    // the lists carry it too: time left and state on every summary, the soonest on the cluster
    const summaries = (await get<{ items: CertificateSummary[] }>(fc.api('/certificates'))).items;
    expect(summaries.find((c) => c.name === 'admin')).toMatchObject({ expiryState: 'expired', notAfterCapped: false });
    expect(summaries.find((c) => c.name === 'ca')!.expiryState).toBe('ok');
    expect((await get<ExpiryReport>(fc.api('/expiry'))).soonest).toMatchObject({ state: 'expired' });
    expect((await get<{ items: ClusterListItem[] }>('/api/v1/clusters')).items[0].soonestExpiry!.state).toBe('expired');
  });

  test('a node holding an older version that expires sooner is named, as of its last verify', async () => {
    // renew worker1 three and a half days before its first version ends; worker1 (a real sshd node) still holds the first
    await moveClock(-4.5 * DAY_MS); // from +366 d back to +361.5 d
    const old = (await get<CertificateSummary>(fc.api('/certificates/worker1'))).serial;
    const res = await app.inject({ method: 'POST', url: fc.api('/renewals'), payload: { certificates: ['worker1'] } });
    expect((await waitJob(app, res.json().jobId)).status).toBe('succeeded');
    expect((await fc.verify('worker1')).state).toBe('stale');
    const { report, summary } = await readBoth(fc.api('/expiry'));
    // the banner counts the two older versions worker1 holds (worker1.pem, worker1.kubeconfig) with the eight leaves not renewed
    expect(summary.attention).toEqual({ warning: 0, critical: 10, expired: 0 });
    const held = report.deployed.find((d) => d.node === 'worker1' && d.file === 'worker1.pem')!;
    expect(held).toMatchObject({ name: 'worker1', serial: old, current: false, state: 'critical' });
    expect(held.message).toBe(`worker1 holds worker1.pem serial ${old.slice(0, 8)}..: expires in 3 days; a renewed version exists (serial ${report.certificates.find((c) => c.name === 'worker1')!.serial.slice(0, 8)}..): redistribute`);
    // so does the kubeconfig that embeds it
    const kubeconfig = report.deployed.find((d) => d.node === 'worker1' && d.file === 'worker1.kubeconfig')!;
    expect(kubeconfig).toMatchObject({ name: 'worker1', serial: old, current: false, state: 'critical' });
    expect(kubeconfig.message).toMatch(new RegExp(`^worker1 holds worker1.kubeconfig with worker1 serial ${old.slice(0, 8)}\\.\\.: expires in 3 days; a renewed version exists .*: redistribute$`));
    expect(report.certificates.find((c) => c.name === 'worker1')!.state).toBe('ok');
    // a look made at another SSH target says nothing about the node's target now: neither the report nor the banner counts what it saw
    const n = fc.fleet.node('worker1');
    const moved = await app.inject({ method: 'PUT', url: fc.api('/nodes/worker1/ssh'), payload: { host: n.host, port: n.port, user: 'someone-else', remoteDir: n.remoteDir, hostKey: n.hostKeyFingerprint } });
    expect(moved.statusCode, moved.body).toBe(200);
    const elsewhere = await readBoth(fc.api('/expiry'));
    expect(elsewhere.report.deployed.filter((d) => d.node === 'worker1')).toEqual([]);
    expect(elsewhere.summary.attention).toEqual({ warning: 0, critical: 8, expired: 0 });
    await fc.pin('worker1');
    expect((await readBoth(fc.api('/expiry'))).summary.attention).toEqual({ warning: 0, critical: 10, expired: 0 });
    // ca.pem on worker1 is current and named as such
    expect(report.deployed.find((d) => d.node === 'worker1' && d.file === 'ca.pem')).toMatchObject({ current: true, message: null });
    // once redistributed, the node holds the renewed one
    const job = await fc.job('/nodes/worker1/distribute');
    expect(job.status).toBe('succeeded');
    const { report: after, summary: afterSummary } = await readBoth(fc.api('/expiry'));
    // the renewed worker1 is no longer counted, nor is what worker1 held
    expect(afterSummary.attention).toEqual({ warning: 0, critical: 8, expired: 0 });
    expect(afterSummary.soonest!.node).toBeUndefined();
    expect(after.deployed.find((d) => d.file === 'worker1.pem')).toMatchObject({ current: true, state: 'ok', message: null });
    expect(after.deployed.find((d) => d.file === 'worker1.kubeconfig')).toMatchObject({ name: 'worker1', current: true, state: 'ok', message: null });
  });

  test('thresholds are the cluster\'s own; a leaf that would outlive its CA is capped, and says so', async () => {
    const name = await issuedCluster(app, (c) => {
      c.name = 'short-ca';
      c.caValidityHours = 1000;
      c.certValidityHours = 800;
      c.expiryWarningDays = 40;
      c.expiryCriticalDays = 20;
    });
    const base = `/api/v1/clusters/${name}`;
    let report = (await readBoth(`${base}/expiry`)).report;
    expect(report.thresholds).toEqual({ warningDays: 40, criticalDays: 20 });
    // 800 h = 33 days: warning against 40 days; the CA (41 days) against its own thresholds (180 and 30 days, issue 13): warning too
    expect(new Set(report.certificates.map((c) => c.state))).toEqual(new Set(['warning']));
    expect(report.caThresholds).toEqual({ warningDays: 180, criticalDays: 30 });
    expect(report.ca!.state).toBe('warning');
    expect((await get<{ items: CertificateSummary[] }>(`${base}/certificates`)).items.find((c) => c.name === 'ca')!.expiryState).toBe('warning');
    await crossCheck(name, report);
    await moveClock(500 * 3_600_000);
    const res = await app.inject({ method: 'POST', url: `${base}/renewals`, payload: { certificates: ['admin'] } });
    const job = await waitJob(app, res.json().jobId);
    expect(job.log.map((l) => `${l.level} ${l.message}`)).toContainEqual(expect.stringMatching(/^warn admin: notAfter capped at the CA's notAfter .*800h would pass it$/));
    const both = await readBoth(`${base}/expiry`);
    report = both.report;
    // 500 h on: the eight leaves not renewed have 12.5 days (critical under 20), the CA 20.8 days (critical under its 30), admin
    // renewed and capped at the CA's end 20.8 days (warning under 40): the CA counts, by its own thresholds
    expect(both.summary.attention).toEqual({ warning: 1, critical: 9, expired: 0 });
    const admin = report.certificates.find((c) => c.name === 'admin')!;
    expect(admin.notAfterCapped).toBe(true);
    expect(admin.notAfter).toBe(report.ca!.notAfter);
    expect(report.certificates.filter((c) => c.notAfterCapped).map((c) => c.name)).toEqual(['admin']);
    expect((await get<CertificateSummary>(`${base}/certificates/admin`)).notAfter).toBe(report.ca!.notAfter);
    await crossCheck(name, report);
    // 500 h later the CA has 20 days left: critical (under 30), where a leaf's thresholds would still say warning
    expect(report.ca!.state).toBe('critical');
  });
});
