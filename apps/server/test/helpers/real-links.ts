/**
 * What real clients and servers do with a link's files: etcdctl against a real etcd serving the
 * server's files, two real etcd members over peer TLS, and kubectl against the loopback
 * API-server stand-in (kube-endpoint.ts) serving the server's files. Each gives an outcome: ok,
 * or the error text the real side printed (Go's words from etcd, etcdctl and kubectl; OpenSSL's
 * reason when the stand-in rejects a client certificate). Loopback only; every process is
 * stopped by its pid before returning.
 */
import fs from 'node:fs';
import path from 'node:path';
import { etcdctl, etcdLog, peerUrl, startEtcd, type TlsFiles } from './etcd.ts';
import { startKubeEndpoint } from './kube-endpoint.ts';
import { run, type RunningProcess } from './tools.ts';
import { freePorts } from '../support.ts';

export const KUBECTL = '/usr/bin/kubectl';

export interface RealOutcome {
  ok: boolean;
  /** the error as the real side printed it ('' when ok) */
  error: string;
  /** who said it: "etcdctl", "etcd on cp1", "kubectl", "API server stand-in", ... */
  by: string;
}

const OK = (by: string): RealOutcome => ({ ok: true, error: '', by });
const unescape = (s: string) => s.replace(/\\"/g, '"').replace(/\\\\/g, '\\');
const CLIENT_CERT_PREFIX = 'tls: failed to verify client certificate: ';

/** The error of the first "rejected connection" in an etcd log since `from`, without Go's server prefix. */
function rejection(p: RunningProcess, from: number): string | null {
  const line = etcdLog(p, from).find((l) => l.msg === 'rejected connection' && /x509|tls: /.test(l.error ?? ''));
  return line ? line.error.replace(CLIENT_CERT_PREFIX, '') : null;
}

async function waitReady(p: RunningProcess, timeoutMs = 20_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (p.exited()) return false;
    if (etcdLog(p).some((l) => l.msg?.startsWith('serving client traffic'))) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** The last error an exited etcd logged. */
const startError = (p: RunningProcess) => {
  const errs = etcdLog(p).filter((l) => l.error);
  return errs.length ? errs[errs.length - 1].error : p.output().slice(-500);
};

export interface EtcdClientRun {
  id: string;
  /** the server's address: etcd listens there */
  host: string;
  server: TlsFiles;
  client: TlsFiles;
}

/**
 * API server to etcd links: for each distinct server, one etcd member with its files on its
 * address; for each link, `etcdctl --debug endpoint status` with the client's files.
 */
export async function etcdClientOutcomes(runs: EtcdClientRun[], dataRoot: string): Promise<Map<string, RealOutcome>> {
  const out = new Map<string, RealOutcome>();
  const byServer = new Map<string, EtcdClientRun[]>();
  for (const r of runs) byServer.set(`${r.host} ${r.server.cert}`, [...(byServer.get(`${r.host} ${r.server.cert}`) ?? []), r]);
  let n = 0;
  for (const group of byServer.values()) {
    const [clientPort, peerPort] = await freePorts(2);
    const { host, server } = group[0];
    const member = startEtcd({ name: `s${n++}`, dataRoot: fs.mkdtempSync(path.join(dataRoot, 'etcd-')), host, clientPort, peerPort, tls: server });
    try {
      const ready = await waitReady(member);
      for (const r of group) {
        const by = `etcd on ${host}`;
        if (!ready) {
          out.set(r.id, { ok: false, error: startError(member), by });
          continue;
        }
        const from = member.output().length;
        const res = await etcdctl({ endpoints: `https://${host}:${clientPort}`, cacert: r.client.ca, cert: r.client.cert, key: r.client.key, args: ['endpoint', 'status'], expectRefusal: true, debug: true });
        if (res.code === 0) {
          out.set(r.id, OK('etcdctl'));
          continue;
        }
        const text = res.stdout + res.stderr;
        const handshake = /authentication handshake failed: ((?:[^"\\]|\\.)*)"/.exec(text);
        const local = /(tls: [^\n"]*|open [^\n"]*)/.exec(text.split('\n').find((l) => l.startsWith('Error:')) ?? '');
        const rejected = rejection(member, from);
        out.set(r.id, handshake ? { ok: false, error: unescape(handshake[1]), by: 'etcdctl' }
          : rejected ? { ok: false, error: rejected, by }
            : { ok: false, error: local?.[1] ?? text.slice(-300), by: 'etcdctl' });
      }
    } finally {
      await member.stop();
    }
  }
  return out;
}

export interface EtcdPeer {
  node: string;
  host: string;
  files: TlsFiles;
}

/**
 * etcd peer links: every member started with its files on its address, peers over TLS; for each
 * ordered pair "a>b", what a's dial to b gave: a stream established, or the TLS error a logged
 * (or, for "bad certificate", the rejection b logged).
 */
export async function etcdPeerOutcomes(peers: EtcdPeer[], dataRoot: string, timeoutMs = 20_000): Promise<Map<string, RealOutcome>> {
  const ports = await freePorts(peers.length * 2);
  const root = fs.mkdtempSync(path.join(dataRoot, 'peers-'));
  const opts = peers.map((p, i) => ({ name: p.node, dataRoot: root, host: p.host, clientPort: ports[2 * i], peerPort: ports[2 * i + 1], tls: p.files, peerTls: p.files }));
  const initialCluster = opts.map((o) => `${o.name}=${peerUrl(o)}`).join(',');
  const members = opts.map((o) => startEtcd({ ...o, initialCluster }));
  const out = new Map<string, RealOutcome>();
  try {
    const until = Date.now() + timeoutMs;
    const pairs = peers.flatMap((a) => peers.filter((b) => b !== a).map((b) => [a, b] as const));
    while (out.size < pairs.length && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 250));
      const ids = members.map((m) => etcdLog(m).find((l) => l['local-member-id'])?.['local-member-id']);
      for (const [a, b] of pairs) {
        const key = `${a.node}>${b.node}`;
        const [ma, mb] = [members[peers.indexOf(a)], members[peers.indexOf(b)]];
        const idB = ids[peers.indexOf(b)];
        if (out.has(key) || !idB) continue;
        const logA = etcdLog(ma);
        if (logA.some((l) => l.msg === 'established TCP streaming connection with remote peer' && l['stream-reader-type'] && l['remote-peer-id'] === idB)) {
          out.set(key, OK(`etcd on ${a.node}`));
          continue;
        }
        const failed = logA.find((l) => (l['remote-peer-id'] === idB || l['peer-id'] === idB) && /x509|tls: /.test(l.error ?? ''));
        if (!failed) continue;
        const byB = /bad certificate/.test(failed.error) ? rejection(mb, 0) : null;
        out.set(key, byB ? { ok: false, error: byB, by: `etcd on ${b.node}` } : { ok: false, error: failed.error.replace(/^.*?\((x509: .*)\)$/, '$1'), by: `etcd on ${a.node}` });
      }
    }
    for (const [a, b] of pairs) {
      const key = `${a.node}>${b.node}`;
      if (!out.has(key)) out.set(key, { ok: false, error: `no stream and no TLS error within ${timeoutMs} ms`, by: `etcd on ${a.node}` });
    }
  } finally {
    await Promise.all(members.map((m) => m.stop()));
  }
  return out;
}

export interface KubectlRun {
  id: string;
  /** the address the client dials (--tls-server-name) */
  address: string;
  server: TlsFiles;
  client: TlsFiles;
  /** null when the identity kube-endpoint reports is what the link needs, else why not */
  identity: (user: string, groups: string[]) => string | null;
}

/**
 * Links to the API server (or to a kubelet): for each distinct server, the loopback stand-in
 * serving its files and trusting its CA file; for each link, `kubectl auth whoami` with the
 * client's files and --tls-server-name set to the address the client dials.
 */
export async function kubectlOutcomes(runs: KubectlRun[], emptyKubeconfig: string): Promise<Map<string, RealOutcome>> {
  const out = new Map<string, RealOutcome>();
  const byServer = new Map<string, KubectlRun[]>();
  for (const r of runs) byServer.set(r.server.cert, [...(byServer.get(r.server.cert) ?? []), r]);
  for (const group of byServer.values()) {
    const s = group[0].server;
    let endpoint: Awaited<ReturnType<typeof startKubeEndpoint>>;
    try {
      endpoint = await startKubeEndpoint({ certPem: fs.readFileSync(s.cert, 'utf8'), keyPem: fs.readFileSync(s.key, 'utf8'), clientCaPem: fs.readFileSync(s.ca, 'utf8') });
    } catch (err) {
      for (const r of group) out.set(r.id, { ok: false, error: (err as Error).message, by: 'API server stand-in (cannot start)' });
      continue;
    }
    try {
      for (const r of group) {
        const before = endpoint.requests.length;
        const res = await run(KUBECTL, ['--kubeconfig', emptyKubeconfig, '--server', endpoint.url, '--tls-server-name', r.address,
          '--certificate-authority', r.client.ca, '--client-certificate', r.client.cert, '--client-key', r.client.key, 'auth', 'whoami', '-o', 'json'], { timeoutMs: 30_000 });
        if (res.code === 0) {
          const info = JSON.parse(res.stdout).status.userInfo as { username: string; groups: string[] };
          const problem = r.identity(info.username, info.groups);
          out.set(r.id, problem ? { ok: false, error: `identity: ${problem}`, by: 'kubectl auth whoami' } : OK('kubectl'));
          continue;
        }
        // kubectl ends with "error: <why>" or "Unable to connect to the server: <why>"
        const last = res.stderr.trim().split('\n').reverse().find((l) => /^(error: |Unable to connect to the server: )/.test(l)) ?? '';
        const goError = /(x509: .*|tls: private key .*)$/.exec(last);
        const rejected = endpoint.requests.slice(before).find((q) => q.authorizationError)?.authorizationError;
        out.set(r.id, goError ? { ok: false, error: goError[1], by: 'kubectl' }
          : { ok: false, error: rejected ?? res.stderr.trim().slice(-300), by: rejected ? 'API server stand-in' : 'kubectl' });
      }
    } finally {
      await endpoint.stop();
    }
  }
  return out;
}
