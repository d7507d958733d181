/**
 * The certificates work for real (docs/domain.md section 5): etcd 3.4 started on 127.0.0.1 with the
 * issued etcd.pem and --client-cert-auth accepts a client presenting kubernetes.pem (the API
 * server's client certificate to etcd) and refuses one without a certificate or with a
 * certificate of another CA; two etcd members form a cluster over peer TLS with etcd.pem.
 *
 * Every port is a free one found by binding port 0; every URL is 127.0.0.1 (the etcd
 * certificate carries that SAN). Each etcd is stopped by its own pid, on success and failure.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { issueCluster, writePems } from './helpers/pki.ts';
import { ETCD, ETCDCTL, etcdctl as runEtcdctl, peerUrl, startEtcd as startMember, type TlsFiles } from './helpers/etcd.ts';
import { removeDir, requireTool, tmpDir, waitFor, type RunningProcess } from './helpers/tools.ts';
import { freePorts } from './support.ts';

let dir: string;
const processes: RunningProcess[] = [];

beforeAll(async () => {
  requireTool(ETCD, 'etcd-server');
  requireTool(ETCDCTL, 'etcd-client');
  dir = await tmpDir('kpki-etcd-');
  // kubernetes and etcd of the preset, plus a kubernetes certificate of another CA ("stranger")
  const [preset, other] = await Promise.all([
    issueCluster({ only: ['kubernetes', 'etcd'] }),
    issueCluster({ algorithm: 'ecdsa-p256', only: ['kubernetes'] }),
  ]);
  await writePems(dir, preset);
  await writeFile(path.join(dir, 'stranger.pem'), other.leaves[0].certPem, { mode: 0o644 });
  await writeFile(path.join(dir, 'stranger-key.pem'), other.leaves[0].keyPem, { mode: 0o600 });
});

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await removeDir(dir);
});

const files = (base: string): TlsFiles => ({ cert: path.join(dir, `${base}.pem`), key: path.join(dir, `${base}-key.pem`), ca: path.join(dir, 'ca.pem') });

/** Starts one etcd member on 127.0.0.1 with etcd.pem, its data under `dir/<name>.etcd`. */
function startEtcd(name: string, clientPort: number, peerPort: number, initialCluster: string, peerScheme: 'http' | 'https'): RunningProcess {
  const p = startMember({
    name, dataRoot: dir, host: '127.0.0.1', clientPort, peerPort, initialCluster, tls: files('etcd'),
    ...(peerScheme === 'https' ? { peerTls: files('etcd') } : {}),
  });
  processes.push(p);
  return p;
}

/**
 * etcdctl (API v3) in `dir`; `auth` is the client certificate base name, or null for none.
 * `expectRefusal` shortens the timeouts (a refused client retries until they expire).
 */
function etcdctl(endpoints: string, auth: string | null, args: string[], expectRefusal = false) {
  const f = files(auth ?? 'none');
  return runEtcdctl({ endpoints, cacert: f.ca, ...(auth ? { cert: f.cert, key: f.key } : {}), args, expectRefusal, cwd: dir });
}

async function waitHealthy(endpoints: string, member: RunningProcess[]): Promise<void> {
  await waitFor(
    async () => {
      for (const m of member) if (m.exited()) throw new Error(`etcd exited: ${m.output().slice(-1500)}`);
      return (await etcdctl(endpoints, 'kubernetes', ['endpoint', 'health'])).code === 0;
    },
    `etcd at ${endpoints} to be healthy`,
    { timeoutMs: 30_000, intervalMs: 250 },
  );
}

describe('one etcd with etcd.pem and --client-cert-auth', () => {
  let etcd: RunningProcess;
  let endpoint: string;
  beforeAll(async () => {
    const [client, peer] = await freePorts(2);
    endpoint = `https://127.0.0.1:${client}`;
    etcd = startEtcd('single', client, peer, `single=${peerUrl({ host: '127.0.0.1', peerPort: peer })}`, 'http');
    await waitHealthy(endpoint, [etcd]);
  });
  afterAll(() => etcd?.stop());

  test('a client presenting kubernetes.pem can put and get', async () => {
    const put = await etcdctl(endpoint, 'kubernetes', ['put', '/kpki/test', 'hello']);
    expect(put.stdout.trim(), put.stderr).toBe('OK');
    const get = await etcdctl(endpoint, 'kubernetes', ['get', '/kpki/test', '--print-value-only']);
    expect(get.stdout.trim(), get.stderr).toBe('hello');
  });

  test('a client without a certificate is refused', async () => {
    const before = etcd.output().length;
    const r = await etcdctl(endpoint, null, ['put', '/kpki/anon', 'x'], true);
    expect(r.code).not.toBe(0);
    expect(r.stdout).not.toContain('OK');
    expect(etcd.output().slice(before)).toMatch(/rejected connection.*(didn't provide a certificate|certificate required)/);
  });

  test('a client with a certificate of another CA is refused', async () => {
    const before = etcd.output().length;
    const r = await etcdctl(endpoint, 'stranger', ['put', '/kpki/stranger', 'x'], true);
    expect(r.code).not.toBe(0);
    expect(r.stdout).not.toContain('OK');
    expect(etcd.output().slice(before)).toMatch(/rejected connection.*(unknown authority|bad certificate)/);
    const get = await etcdctl(endpoint, 'kubernetes', ['get', '/kpki/', '--prefix', '--keys-only']);
    expect(get.stdout.trim()).toBe('/kpki/test');
  });
});

describe('two etcd members over peer TLS with etcd.pem', () => {
  let members: RunningProcess[] = [];
  let endpoints: string;
  beforeAll(async () => {
    const [c1, p1, c2, p2] = await freePorts(4);
    const initial = `m1=https://127.0.0.1:${p1},m2=https://127.0.0.1:${p2}`;
    endpoints = `https://127.0.0.1:${c1},https://127.0.0.1:${c2}`;
    members = [startEtcd('m1', c1, p1, initial, 'https'), startEtcd('m2', c2, p2, initial, 'https')];
    await waitHealthy(endpoints, members);
  });
  afterAll(() => Promise.all(members.map((m) => m.stop())));

  test('member list shows two started members with https peer URLs, and both endpoints are healthy', async () => {
    const list = await etcdctl(endpoints, 'kubernetes', ['member', 'list', '-w', 'json']);
    expect(list.code, list.stderr).toBe(0);
    const members = (JSON.parse(list.stdout) as { members: Array<{ name?: string; peerURLs: string[]; clientURLs?: string[] }> }).members;
    expect(members).toHaveLength(2);
    for (const m of members) {
      expect(m.name, 'a member without a name has not started').toMatch(/^m[12]$/);
      expect(m.peerURLs[0]).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(m.clientURLs?.[0]).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    }
    const health = await etcdctl(endpoints, 'kubernetes', ['endpoint', 'health']);
    expect(health.code, health.stderr).toBe(0);
    expect((health.stdout + health.stderr).match(/is healthy/g)).toHaveLength(2);
  });

  test('a write on one member is read on the other', async () => {
    const [e1, e2] = endpoints.split(',');
    expect((await etcdctl(e1, 'kubernetes', ['put', '/kpki/peer', 'replicated'])).stdout.trim()).toBe('OK');
    expect((await etcdctl(e2, 'kubernetes', ['get', '/kpki/peer', '--print-value-only', '--consistency', 'l'])).stdout.trim()).toBe('replicated');
  });
});
