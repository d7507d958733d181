/**
 * Real etcd 3.4 and etcdctl for tests: a member with client TLS (and peer TLS when asked) on a
 * loopback address, JSON (zap) logs to read TLS rejections from, and etcdctl with a client
 * certificate. Members are stopped by their own pid (RunningProcess.stop).
 */
import path from 'node:path';
import { run, startProcess, type RunningProcess, type RunResult } from './tools.ts';

export const ETCD = '/usr/bin/etcd';
export const ETCDCTL = '/usr/bin/etcdctl';
/** etcd 3.4 refuses to start on other architectures than amd64 without this. */
export const ETCD_ENV: Record<string, string> = process.arch === 'x64' ? {} : { ETCD_UNSUPPORTED_ARCH: process.arch === 'arm64' ? 'arm64' : process.arch };

/** Certificate, key and trusted CA file (paths). */
export interface TlsFiles {
  cert: string;
  key: string;
  ca: string;
}

export interface EtcdOptions {
  name: string;
  /** the member's data lives in <dataRoot>/<name>.etcd */
  dataRoot: string;
  /** loopback address to listen on */
  host: string;
  clientPort: number;
  peerPort: number;
  /** "name=url,..." of every member; default this member alone */
  initialCluster?: string;
  /** client TLS files (--cert-file, --key-file, --trusted-ca-file, with --client-cert-auth) */
  tls: TlsFiles;
  /** peer TLS files; without them peers talk plain http */
  peerTls?: TlsFiles;
}

/** The member's peer URL. */
export const peerUrl = (o: Pick<EtcdOptions, 'host' | 'peerPort' | 'peerTls'>) => `${o.peerTls ? 'https' : 'http'}://${o.host}:${o.peerPort}`;

/** Starts one member (JSON logs on stderr, no gRPC gateway); stop it with stop(). */
export function startEtcd(o: EtcdOptions): RunningProcess {
  const client = `https://${o.host}:${o.clientPort}`;
  const initial = o.initialCluster ?? `${o.name}=${peerUrl(o)}`;
  return startProcess(ETCD, [
    '--name', o.name, '--data-dir', path.join(o.dataRoot, `${o.name}.etcd`), '--logger', 'zap', '--log-outputs', 'stderr',
    '--enable-grpc-gateway=false',
    '--listen-client-urls', client, '--advertise-client-urls', client,
    '--listen-peer-urls', peerUrl(o), '--initial-advertise-peer-urls', peerUrl(o),
    '--initial-cluster', initial, '--initial-cluster-state', 'new', '--initial-cluster-token', `kpki-test-${initial.split(',')[0]}`,
    '--cert-file', o.tls.cert, '--key-file', o.tls.key, '--client-cert-auth', '--trusted-ca-file', o.tls.ca,
    ...(o.peerTls ? ['--peer-cert-file', o.peerTls.cert, '--peer-key-file', o.peerTls.key, '--peer-client-cert-auth', '--peer-trusted-ca-file', o.peerTls.ca] : []),
  ], { env: ETCD_ENV });
}

/** The JSON log lines of a member (non-JSON lines skipped). */
export function etcdLog(p: RunningProcess, from = 0): Array<Record<string, string>> {
  return p.output().slice(from).split('\n').flatMap((line) => {
    try {
      return line.startsWith('{') ? [JSON.parse(line) as Record<string, string>] : [];
    } catch {
      return [];
    }
  });
}

export interface EtcdctlOptions {
  endpoints: string;
  /** CA the client trusts */
  cacert: string;
  /** client certificate and key; none when omitted */
  cert?: string;
  key?: string;
  args: string[];
  /** shorter timeouts: a refused client retries until they expire */
  expectRefusal?: boolean;
  /** --debug: gRPC logs show the TLS handshake error */
  debug?: boolean;
  cwd?: string;
}

/** Runs etcdctl (API v3). */
export function etcdctl(o: EtcdctlOptions): Promise<RunResult> {
  const auth = o.cert && o.key ? ['--cert', o.cert, '--key', o.key] : [];
  const timeouts = o.expectRefusal ? ['--dial-timeout', '1s', '--command-timeout', '2s'] : ['--dial-timeout', '3s', '--command-timeout', '5s'];
  return run(ETCDCTL, [...(o.debug ? ['--debug'] : []), '--endpoints', o.endpoints, '--cacert', o.cacert, ...auth, ...timeouts, ...o.args], {
    cwd: o.cwd, env: { ETCDCTL_API: '3' }, timeoutMs: 20_000,
  });
}
