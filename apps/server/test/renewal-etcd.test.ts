/**
 * "Renew and redistribute" keeps a real etcd serving (issue 10): etcd 3.4 runs on loopback from
 * a fleet node's folder (the files kpki distributed there over SSH), with --client-cert-auth.
 * After renewing etcd and kubernetes with distribute, the same etcd process (never restarted)
 * presents the new serial to a new connection (etcd reads its files per handshake), and a new
 * etcdctl connection authenticates with the renewed kubernetes.pem from that folder.
 * etcd is stopped by its pid on success and failure; its ports are free ones.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { CertificateSummary, LifecycleAnswer } from '@kpki/shared';
import { tempDataDir, testApp, waitJob } from './helpers/app.ts';
import { fleetCluster, type FleetCluster } from './helpers/fleet-cluster.ts';
import { removeDir, requireTool, run, runOk, startProcess, tmpDir, waitFor, type RunningProcess } from './helpers/tools.ts';
import { freePorts } from './support.ts';

const ETCD = '/usr/bin/etcd';
const ETCDCTL = '/usr/bin/etcdctl';
const OPENSSL = '/usr/bin/openssl';
const ETCD_ENV: Record<string, string> = process.arch === 'x64' ? {} : { ETCD_UNSUPPORTED_ARCH: process.arch === 'arm64' ? 'arm64' : process.arch };

describe('renew and redistribute etcd and kubernetes under a running etcd', () => {
  let dataDir = '';
  let etcdData = '';
  let app: Awaited<ReturnType<typeof testApp>>;
  let fc: FleetCluster;
  let etcd: RunningProcess | undefined;
  let port = 0;
  let folder = '';
  const serialOf = async (name: string) => ((await app.inject(fc.api(`/certificates/${name}`))).json() as CertificateSummary).serial;
  const etcdctl = (args: string[]) => run(ETCDCTL, [
    '--endpoints', `https://127.0.0.1:${port}`, '--cacert', 'ca.pem', '--cert', 'kubernetes.pem', '--key', 'kubernetes-key.pem',
    '--dial-timeout', '3s', '--command-timeout', '5s', ...args,
  ], { cwd: folder, env: { ETCDCTL_API: '3' }, timeoutMs: 20_000 });
  /** the serial of the certificate etcd presents to a new TLS connection (client authenticated with kubernetes.pem) */
  const servedSerial = async () => {
    const r = await runOk('bash', ['-o', 'pipefail', '-c',
      `${OPENSSL} s_client -connect 127.0.0.1:${port} -CAfile ca.pem -cert kubernetes.pem -key kubernetes-key.pem </dev/null 2>/dev/null | ${OPENSSL} x509 -noout -serial`,
    ], { cwd: folder, timeoutMs: 20_000 });
    return r.stdout.trim().replace(/^serial=/, '').toLowerCase();
  };

  beforeAll(async () => {
    for (const [file, pkg] of [[ETCD, 'etcd-server'], [ETCDCTL, 'etcd-client'], [OPENSSL, 'openssl']]) requireTool(file, pkg);
    dataDir = tempDataDir();
    etcdData = await tmpDir('kpki-etcd-data-');
    app = await testApp(dataDir);
    fc = await fleetCluster(app, { fleetNodes: ['cp1', 'cp2'], distribute: true });
    folder = fc.dirOf('cp1');
    const [client, peer] = await freePorts(2);
    port = client;
    etcd = startProcess(ETCD, [
      '--name', 'cp1', '--data-dir', path.join(etcdData, 'cp1.etcd'),
      '--listen-client-urls', `https://127.0.0.1:${client}`, '--advertise-client-urls', `https://127.0.0.1:${client}`,
      '--listen-peer-urls', `http://127.0.0.1:${peer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peer}`,
      '--initial-cluster', `cp1=http://127.0.0.1:${peer}`, '--initial-cluster-state', 'new',
      // the files as kpki wrote them to the node's folder
      '--cert-file', 'etcd.pem', '--key-file', 'etcd-key.pem', '--client-cert-auth', '--trusted-ca-file', 'ca.pem',
    ], { cwd: folder, env: ETCD_ENV });
    await waitFor(async () => {
      if (etcd!.exited()) throw new Error(`etcd exited: ${etcd!.output().slice(-1500)}`);
      return (await etcdctl(['endpoint', 'health'])).code === 0;
    }, 'etcd to be healthy', { timeoutMs: 30_000, intervalMs: 250 });
  });
  afterAll(async () => {
    await etcd?.stop();
    await fc?.stop();
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    await removeDir(etcdData);
  });

  test('etcd serves with the distributed etcd.pem and accepts kubernetes.pem', async () => {
    expect(await servedSerial()).toBe(await serialOf('etcd'));
    expect((await etcdctl(['put', '/kpki/renewal', 'before'])).stdout.trim()).toBe('OK');
  });

  test('after renew + redistribute, a new connection sees the new serial and authenticates with the renewed kubernetes.pem', async () => {
    const before = { etcd: await serialOf('etcd'), kubernetes: await serialOf('kubernetes') };
    const pid = etcd!.pid;
    const res = await app.inject({ method: 'POST', url: fc.api('/renewals'), payload: { certificates: ['etcd', 'kubernetes'], distribute: true } });
    expect(res.statusCode, res.body).toBe(202);
    const answer = res.json() as LifecycleAnswer;
    expect(answer.nodes).toEqual(['cp1', 'cp2']);
    const job = await waitJob(app, answer.jobId!);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    const uploaded = (job.result!.nodes as Record<string, { uploaded: string[] }>).cp1.uploaded.sort();
    expect(uploaded).toEqual(['etcd-key.pem', 'etcd.pem', 'kubernetes-key.pem', 'kubernetes.pem']);

    const after = { etcd: await serialOf('etcd'), kubernetes: await serialOf('kubernetes') };
    expect(after.etcd).not.toBe(before.etcd);
    expect(after.kubernetes).not.toBe(before.kubernetes);
    // the same process, never restarted
    expect(etcd!.exited()).toBe(false);
    expect(etcd!.pid).toBe(pid);
    expect(await servedSerial()).toBe(after.etcd);
    const held = (await runOk(OPENSSL, ['x509', '-in', 'kubernetes.pem', '-noout', '-serial'], { cwd: folder })).stdout.trim();
    expect(held).toBe(`serial=${after.kubernetes.toUpperCase()}`);
    const get = await etcdctl(['get', '/kpki/renewal', '--print-value-only']);
    expect(get.stdout.trim(), get.stderr).toBe('before');
    expect((await etcdctl(['put', '/kpki/renewal', 'after'])).stdout.trim()).toBe('OK');
  });
});
