/**
 * Building blocks of scripts/fleet.ts: the login user, free ports on a loopback address, waiting
 * for sshd, the per-node sshd_config, and process bookkeeping (every sshd is stopped by its pid).
 */
import { execFile } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { promisify } from 'node:util';

export const run = promisify(execFile);

export const SSHD = '/usr/sbin/sshd';
export const SSH_KEYGEN = '/usr/bin/ssh-keygen';
/** Default login user of fleet nodes (never root: root would bypass file permissions). */
export const FLEET_USER = 'kpki-fleet';

/** Pids of sshd processes started by this process, killed on exit if a fleet was not stopped. */
export const livePids = new Set<number>();
let exitHookInstalled = false;
export function trackPid(pid: number): void {
  livePids.add(pid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const p of livePids) {
        try {
          process.kill(p, 'SIGTERM');
        } catch {
          /* already gone */
        }
      }
    });
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let userReady: Promise<{ uid: number; gid: number }> | undefined;

/** Create the login user once (useradd races between parallel test workers are retried) and unlock it. */
export function ensureFleetUser(user = FLEET_USER): Promise<{ uid: number; gid: number }> {
  if (user === FLEET_USER && userReady) return userReady;
  const p = (async () => {
    if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(user)) throw new Error(`invalid user name ${user}`);
    for (let attempt = 0; ; attempt++) {
      try {
        const uid = Number((await run('id', ['-u', user])).stdout.trim());
        const gid = Number((await run('id', ['-g', user])).stdout.trim());
        // With UsePAM no, sshd refuses a locked account ("!" password): set "*" (no password, not locked).
        const shadow = readFileSync('/etc/shadow', 'utf8').split('\n').find((l) => l.startsWith(user + ':'));
        if (shadow?.split(':')[1]?.startsWith('!')) await run('usermod', ['-p', '*', user]);
        return { uid, gid };
      } catch (err) {
        if (attempt >= 20) throw new Error(`cannot create or unlock user ${user}: ${(err as Error).message}`);
        try {
          await run('id', ['-u', user]);
        } catch {
          await run('useradd', ['-m', '-s', '/bin/bash', '-p', '*', user]).catch(() => undefined);
        }
        await sleep(50 + randomInt(200));
      }
    }
  })();
  if (user === FLEET_USER) userReady = p.catch((e) => ((userReady = undefined), Promise.reject(e)));
  return p;
}

/**
 * `count` distinct free TCP ports on the loopback address `host` (default 127.0.0.1): each is
 * bound with port 0 and all are held open until every one is known, then released. The one
 * implementation: tests, the e2e harness and the benchmarks get it from apps/server/test/support.ts.
 */
export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host, port: 0, exclusive: true }, () => resolve());
      });
      ports.push((server.address() as net.AddressInfo).port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

/** One free TCP port on the loopback address `host` (default 127.0.0.1). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return (await freePorts(1, host))[0];
}

/** True when an SSH server answers on host:port (reads its "SSH-2.0-" banner). */
export function sshAnswers(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((res) => {
    const sock = net.connect({ host, port });
    const done = (ok: boolean) => {
      sock.destroy();
      res(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('error', () => done(false));
    sock.once('data', (d) => done(d.toString('latin1').startsWith('SSH-')));
  });
}

/** Pids of all descendants of `pid` (from /proc), children first. */
export function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(entry), ppid);
    } catch {
      /* gone */
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [c, pp] of parent) {
      if (pp !== p) continue;
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

/** sshd_config of one node. SFTP starts in the node's folder (`internal-sftp -d`), so "~" over SFTP is that folder. */
export function nodeConfig(n: { host: string; port: number; hostKeyPath: string; remoteDir: string }, pidFile: string, authorizedKeysPath: string, user: string): string {
  return [
    `ListenAddress ${n.host}:${n.port}`,
    `HostKey ${n.hostKeyPath}`,
    `PidFile ${pidFile}`,
    `AuthorizedKeysFile ${authorizedKeysPath}`,
    'AuthenticationMethods publickey',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'PermitRootLogin no',
    `AllowUsers ${user}`,
    'X11Forwarding no',
    'AllowTcpForwarding no',
    'PrintMotd no',
    'MaxStartups 100',
    `Subsystem sftp internal-sftp -d ${n.remoteDir}`,
    'LogLevel VERBOSE', // logs each accepted connection: the fleet counts them
    '',
  ].join('\n');
}
