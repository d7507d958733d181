/**
 * SSH transport: scan a node's host key, and open a verified, authenticated SFTP session.
 *
 * Host keys are pinned, never trusted on first use: {@link connect} refuses a node without a
 * pinned fingerprint and checks the presented key inside ssh2's `hostVerifier`, so a mismatch
 * aborts the handshake before authentication and before any byte of a file is sent.
 * Fingerprints are OpenSSH's ("SHA256:" + unpadded base64 of SHA-256 over the raw key blob),
 * computed here from the blob; ssh2's own `hostHash: 'sha256'` would give hex instead.
 */
import ssh2 from 'ssh2';
import type { Client as ClientType, ConnectConfig } from 'ssh2';
import { SshError } from './errors.ts';
import { fingerprintOfPublicBlob, keyTypeOfPublicBlob, normalizeFingerprint } from './keys.ts';
import { SshSession } from './session.ts';
import { allowedAddress, ANY_TARGET, type TargetPolicy } from './target-policy.ts';

export { SshSession } from './session.ts';
export type { RemoteEntry, RemoteHash } from './session.ts';

const { Client, utils } = ssh2;

/** Default time for TCP connect + SSH handshake + authentication. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Default time one SFTP request may take before the node counts as unreachable. */
export const DEFAULT_OPERATION_TIMEOUT_MS = 30_000;
/** Default keepalive interval; 3 missed keepalives close the connection. */
export const DEFAULT_KEEPALIVE_MS = 5_000;

export interface ScanOptions {
  host: string;
  /** where kpki may connect (KPKI_SSH_ALLOWED_NETWORKS/PORTS); default any */
  policy?: TargetPolicy;
  /** default 22 */
  port?: number;
  /** default {@link DEFAULT_TIMEOUT_MS} */
  timeoutMs?: number;
}

export interface HostKeyInfo {
  /** "SHA256:..." as `ssh-keygen -lf` prints it */
  fingerprint: string;
  /** e.g. "ssh-ed25519" */
  keyType: string;
}

export interface ConnectOptions {
  host: string;
  /** where kpki may connect (KPKI_SSH_ALLOWED_NETWORKS/PORTS); default any */
  policy?: TargetPolicy;
  /** default 22 */
  port?: number;
  user: string;
  /** private key text ssh2 reads (as produced by keys.ts) */
  privateKey: string;
  /** pinned "SHA256:..." fingerprint; required */
  hostKey?: string | null;
  /** node name for messages; default "host:port" */
  node?: string;
  /** TCP connect + handshake + auth, default {@link DEFAULT_TIMEOUT_MS} */
  timeoutMs?: number;
  /** per SFTP request, default {@link DEFAULT_OPERATION_TIMEOUT_MS} */
  operationTimeoutMs?: number;
  /** default {@link DEFAULT_KEEPALIVE_MS}; 0 disables keepalives */
  keepaliveIntervalMs?: number;
}

type Classified = { err: Error & { level?: string; code?: string } };

/**
 * Map a connection failure (before the session is ready) to an SshError that says what to fix.
 * Refused, closed, silent and unreachable ports get the same message (no port scanner for
 * non-admins); what exactly happened is in `detail`, which only admins see.
 */
function unreachable(e: Classified['err'], node: string, target: string, host: string, timeoutMs: number): SshError {
  const code = e.code ?? '';
  if (e.level === 'client-dns' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new SshError('SSH_UNREACHABLE', `cannot resolve ${host}: check the SSH host of node ${node}`, { node, cause: e });
  }
  let detail: string;
  if (e.level === 'client-timeout' || /timed out/i.test(e.message)) {
    detail = `no SSH answer from ${target} within ${timeoutMs} ms (silent port or host down)`;
  } else if (code === 'ECONNREFUSED') {
    detail = `connection to ${target} refused (nothing listens on that port)`;
  } else if (/connection lost before handshake|closed the connection/i.test(e.message)) {
    detail = `${target} closed the connection before any SSH was spoken (open port, not sshd)`;
  } else if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ETIMEDOUT' || code === 'ECONNRESET') {
    detail = `cannot reach ${target} (${code})`;
  } else {
    detail = `SSH handshake with ${target} failed: ${e.message}`;
  }
  const msg = `no SSH server could be reached on ${target} (node ${node}): check that the node is up, that sshd runs and that the host and port are right ` +
    '(an admin sees the exact cause)';
  return new SshError('SSH_UNREACHABLE', msg, { node, cause: e, detail });
}

function portOf(port: number | undefined): number {
  const p = port ?? 22;
  if (!Number.isInteger(p) || p < 1 || p > 65535) throw new SshError('SSH_NOT_CONFIGURED', `invalid SSH port ${p}`);
  return p;
}

/** Start a client connection; `onVerify` sees the host key blob and returns whether to go on. */
function startClient(config: ConnectConfig, onVerify: (blob: Buffer) => boolean): ClientType {
  const client = new Client();
  client.connect({
    ...config,
    hostVerifier: (key: Buffer) => onVerify(key),
    tryKeyboard: false,
    agent: undefined,
    agentForward: false,
  });
  // Every SFTP request is a small packet: without TCP_NODELAY each waits ~40 ms for a delayed ACK.
  client.setNoDelay(true);
  return client;
}

/**
 * Connect to host:port, read the host key the server presents, and abort before authentication.
 * Pins nothing: the caller shows the result and the operator decides.
 * @throws SshError SSH_UNREACHABLE, SSH_TARGET_NOT_ALLOWED
 */
export async function scanHostKey(opts: ScanOptions): Promise<HostKeyInfo> {
  const port = portOf(opts.port);
  const target = `${opts.host}:${port}`;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const address = await allowedAddress(opts.policy ?? ANY_TARGET, opts.host, port, target);
  return new Promise((resolve, reject) => {
    let settled = false;
    let client: ClientType | undefined;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      client?.end();
    };
    try {
      client = startClient({ host: address, port, username: 'kpki-host-key-scan', readyTimeout: timeoutMs }, (blob) => {
        finish(() => resolve({ fingerprint: fingerprintOfPublicBlob(blob), keyType: keyTypeOfPublicBlob(blob) }));
        return false; // abort: no authentication
      });
    } catch (err) {
      reject(unreachable(err as Classified['err'], target, target, opts.host, timeoutMs));
      return;
    }
    client.on('error', (err) => finish(() => reject(unreachable(err, target, target, opts.host, timeoutMs))));
    client.on('close', () => finish(() => reject(unreachable(Object.assign(new Error(`${target} closed the connection before showing a host key`), { level: 'client-socket' }), target, target, opts.host, timeoutMs))));
    client.on('ready', () => finish(() => reject(new SshError('SSH_UNREACHABLE', `internal: ${target} accepted a scan without host key check`))));
  });
}

/**
 * Open an SSH connection with a pinned host key and the deploy key, and its SFTP channel.
 * @throws SshError SSH_NOT_CONFIGURED (no host, unreadable key), SSH_HOST_KEY_NOT_PINNED,
 *   SSH_HOST_KEY_MISMATCH (aborted before authentication), SSH_UNREACHABLE, SSH_AUTH_FAILED, SSH_TARGET_NOT_ALLOWED
 */
export async function connect(opts: ConnectOptions): Promise<SshSession> {
  const port = portOf(opts.port);
  const target = `${opts.host}:${port}`;
  const node = opts.node ?? target;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!opts.host) throw new SshError('SSH_NOT_CONFIGURED', `node ${node} has no SSH host: set it in the node's SSH settings`, { node });
  if (!opts.user) throw new SshError('SSH_NOT_CONFIGURED', `node ${node} has no SSH user: set it in the node's SSH settings`, { node });
  if (!opts.hostKey) {
    throw new SshError(
      'SSH_HOST_KEY_NOT_PINNED',
      `host key of ${target} (node ${node}) is not pinned: scan it, compare it with \`ssh-keygen -lf\` of the host key on the node, then pin it`,
      { node },
    );
  }
  const pinned = normalizeFingerprint(opts.hostKey);
  if (!pinned) {
    throw new SshError(
      'SSH_HOST_KEY_NOT_PINNED',
      `pinned host key of node ${node} is not an OpenSSH SHA256 fingerprint ("SHA256:" and 43 base64 characters, as \`ssh-keygen -lf\` prints it): scan and pin it again`,
      { node },
    );
  }
  const parsed = utils.parseKey(opts.privateKey);
  if (parsed instanceof Error) {
    throw new SshError('SSH_NOT_CONFIGURED', `the deploy key cannot be read (${parsed.message}): upload a valid private key or generate a new one`, { node });
  }
  const keyFp = fingerprintOfPublicBlob((Array.isArray(parsed) ? parsed[0] : parsed).getPublicSSH());
  const address = await allowedAddress(opts.policy ?? ANY_TARGET, opts.host, port, node);

  return new Promise<SshSession>((resolve, reject) => {
    let settled = false;
    let seen: { fingerprint: string; keyType: string } | undefined;
    let client: ClientType | undefined;
    let sftpTimer: NodeJS.Timeout | undefined;
    const fail = (err: SshError) => {
      if (settled) return;
      settled = true;
      clearTimeout(sftpTimer);
      reject(err);
      client?.end();
    };
    const classify = (err: Classified['err']): SshError => {
      if (seen && seen.fingerprint !== pinned) {
        return new SshError(
          'SSH_HOST_KEY_MISMATCH',
          `host key of ${target} is ${seen.fingerprint} (${seen.keyType}), but ${pinned} is pinned for node ${node}: ` +
            'nothing was sent. If the node was reinstalled, scan and pin the new key; otherwise find out who answers on that address',
          { node, cause: err },
        );
      }
      if (err.level === 'client-authentication') {
        return new SshError(
          'SSH_AUTH_FAILED',
          `${opts.user}@${target} (node ${node}) refused the deploy key ${keyFp}: add the cluster's public key to the authorized_keys of ${opts.user} on the node, and check the user name`,
          { node, cause: err },
        );
      }
      return unreachable(err, node, target, opts.host, timeoutMs);
    };
    try {
      client = startClient(
        {
          host: address,
          port,
          username: opts.user,
          privateKey: opts.privateKey,
          readyTimeout: timeoutMs,
          keepaliveInterval: opts.keepaliveIntervalMs ?? DEFAULT_KEEPALIVE_MS,
          keepaliveCountMax: 3,
        },
        (blob) => {
          seen = { fingerprint: fingerprintOfPublicBlob(blob), keyType: keyTypeOfPublicBlob(blob) };
          return seen.fingerprint === pinned; // false aborts the handshake before authentication
        },
      );
    } catch (err) {
      fail(classify(err as Classified['err']));
      return;
    }
    const c = client;
    c.on('error', (err) => fail(classify(err)));
    c.on('close', () => fail(classify(Object.assign(new Error(`${target} closed the connection during the SSH handshake`), { level: 'client-socket' }))));
    c.on('ready', () => {
      sftpTimer = setTimeout(
        () => fail(new SshError('SSH_UNREACHABLE', `node ${node} did not open an SFTP channel within ${timeoutMs} ms`, { node })),
        timeoutMs,
      );
      c.sftp((err, sftp) => {
        clearTimeout(sftpTimer);
        if (err) {
          fail(new SshError('SSH_UNREACHABLE', `SFTP is not available on node ${node} (${err.message}): enable "Subsystem sftp" in its sshd_config`, { node, cause: err }));
          return;
        }
        if (settled) return;
        settled = true;
        resolve(
          new SshSession(c, sftp, {
            node,
            host: opts.host,
            port,
            user: opts.user,
            hostKey: pinned,
            operationTimeoutMs: opts.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS,
          }),
        );
      });
    });
  });
}
