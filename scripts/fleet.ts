/**
 * A fleet of real OpenSSH nodes on this machine, for tests, benchmarks and the demo.
 *
 * Each node is its own `/usr/sbin/sshd -D -e -f <config>` with its own ed25519 host key, its own
 * loopback address (127.A.B.x, A and B random per fleet, so parallel fleets do not collide), a
 * free port (found by binding that address with port 0) and its own remote folder owned by a
 * non-root login user (`kpki-fleet`, created once with useradd), so that permissions are enforced
 * as on a real node. The SFTP subsystem starts in the node's remote folder (`internal-sftp -d`),
 * so "~" over SFTP is the node's own folder. Needs root (useradd, chown, sshd).
 *
 * CLI: `npx tsx scripts/fleet.ts start --nodes cp1,cp2,worker1 --authorized-key "<pubkey line>"`
 * prints the fleet as JSON and stays in the foreground until SIGINT/SIGTERM, then stops its nodes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  descendants, ensureFleetUser, FLEET_USER, freePort, livePids, nodeConfig, run, sleep, SSH_KEYGEN, SSHD, sshAnswers, trackPid,
} from './fleet-support.ts';

export { ensureFleetUser, FLEET_USER, SSH_KEYGEN, SSHD } from './fleet-support.ts';

export interface FleetNode {
  name: string;
  /** loopback address, 127.A.B.x, distinct per node and per fleet */
  host: string;
  port: number;
  /** the node's own folder (owned by the login user); also where SFTP starts ("~") */
  remoteDir: string;
  /** the node's private host key (its `.pub` is next to it) */
  hostKeyPath: string;
  /** "SHA256:..." as `ssh-keygen -lf` prints it */
  hostKeyFingerprint: string;
  /** pid of the node's sshd; 0 while stopped */
  pid: number;
  /** sshd_config of the node */
  configPath: string;
  /** TCP connections this node's sshd accepted since the fleet started, counted from sshd's own log */
  connections: number;
}

export interface Fleet {
  baseDir: string;
  /** login user of every node */
  user: string;
  /** the file every node reads as AuthorizedKeysFile */
  authorizedKeysPath: string;
  nodes: FleetNode[];
  /** the node called `name` (throws if unknown) */
  node(name: string): FleetNode;
  /** replace the authorized public key lines of every node */
  setAuthorizedKeys(lines: string[]): void;
  /** stop one node's sshd (and its session processes); its address then refuses connections */
  stopNode(name: string): Promise<void>;
  /** start a stopped node again, same host key, address and port */
  startNode(name: string): Promise<void>;
  /** stop every node and remove baseDir */
  stop(): Promise<void>;
}

export interface StartFleetOptions {
  nodes: Array<{ name: string }>;
  /** OpenSSH public key lines allowed to log in */
  authorizedKeys: string[];
  /** folder for the fleet's files; must not exist or be empty; removed by stop(). Default: a new temp folder */
  baseDir?: string;
  /** login user, default "kpki-fleet" */
  user?: string;
  /** how long to wait for each sshd to accept connections, default 10 s */
  startTimeoutMs?: number;
}

/** What sshd (LogLevel VERBOSE) logs for every accepted TCP connection. */
const CONNECTION_LINE = /Connection from \S+ port \d+ on /;

interface NodeState extends FleetNode {
  child?: ChildProcess;
  stderr: string;
  exited: Promise<void>;
}

/** Start N sshd nodes on loopback. Needs root. */
export async function startFleet(opts: StartFleetOptions): Promise<Fleet> {
  if (process.getuid?.() !== 0) throw new Error('the fleet needs root (useradd, chown, sshd on its own config)');
  const user = opts.user ?? FLEET_USER;
  const names = opts.nodes.map((n) => n.name);
  for (const name of names) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(name)) throw new Error(`invalid node name ${JSON.stringify(name)}`);
  }
  if (new Set(names).size !== names.length) throw new Error('node names must be unique');
  if (names.length > 250 * 200) throw new Error('too many nodes');
  const startTimeoutMs = opts.startTimeoutMs ?? 10_000;

  const { uid, gid } = await ensureFleetUser(user);
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  let baseDir: string;
  if (opts.baseDir) {
    baseDir = resolve(opts.baseDir);
    if (existsSync(baseDir) && readdirSync(baseDir).length > 0) throw new Error(`baseDir ${baseDir} is not empty`);
    mkdirSync(baseDir, { recursive: true });
  } else {
    baseDir = mkdtempSync(join(tmpdir(), 'kpki-fleet-'));
  }
  chmodSync(baseDir, 0o755); // the login user must reach authorized_keys and its folders
  const authorizedKeysPath = join(baseDir, 'authorized_keys');
  const setAuthorizedKeys = (lines: string[]) => {
    for (const l of lines) if (/[\r\n]/.test(l.trim())) throw new Error('an authorized key must be one line');
    writeFileSync(authorizedKeysPath, lines.map((l) => l.trim()).filter(Boolean).join('\n') + '\n', { mode: 0o644 });
    chmodSync(authorizedKeysPath, 0o644);
  };
  setAuthorizedKeys(opts.authorizedKeys);
  mkdirSync(join(baseDir, 'nodes'), { mode: 0o700 });
  mkdirSync(join(baseDir, 'remote'), { mode: 0o755 });
  chmodSync(join(baseDir, 'remote'), 0o755);

  // 127.A.B.x: A in 1..254 and B random per fleet; x from 2 upward.
  const a = 1 + randomInt(254);
  const b = randomInt(256);
  const hostOf = (i: number) => `127.${a}.${(b + Math.floor(i / 250)) % 256}.${2 + (i % 250)}`;

  const nodes: NodeState[] = [];
  const fleet: Fleet = {
    baseDir,
    user,
    authorizedKeysPath,
    nodes,
    node(name) {
      const n = nodes.find((x) => x.name === name);
      if (!n) throw new Error(`no fleet node ${name}`);
      return n;
    },
    setAuthorizedKeys,
    stopNode: (name) => stopNode(fleet.node(name) as NodeState),
    startNode: (name) => launch(fleet.node(name) as NodeState, false),
    async stop() {
      await Promise.all(nodes.map((n) => stopNode(n)));
      rmSync(baseDir, { recursive: true, force: true });
    },
  };

  async function launch(n: NodeState, mayPickNewPort: boolean): Promise<void> {
    if (n.pid) return;
    for (let attempt = 0; ; attempt++) {
      writeFileSync(n.configPath, nodeConfig(n, join(baseDir, 'nodes', n.name, 'sshd.pid'), authorizedKeysPath, user), { mode: 0o600 });
      const child = spawn(SSHD, ['-D', '-e', '-f', n.configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
      n.stderr = '';
      let partial = '';
      child.stderr!.on('data', (d: Buffer) => {
        const text = d.toString();
        n.stderr = (n.stderr + text).slice(-4000);
        const lines = (partial + text).split('\n');
        partial = lines.pop()!;
        n.connections += lines.filter((l) => CONNECTION_LINE.test(l)).length;
      });
      let exitedFlag = false;
      n.exited = new Promise((res) =>
        child.once('exit', () => {
          exitedFlag = true;
          livePids.delete(child.pid!);
          if (n.child === child) {
            n.pid = 0;
            n.child = undefined;
          }
          res();
        }),
      );
      child.once('error', (e) => (n.stderr += `\nspawn failed: ${e.message}`));
      n.child = child;
      n.pid = child.pid ?? 0;
      if (n.pid) trackPid(n.pid);
      const deadline = Date.now() + startTimeoutMs;
      while (!exitedFlag && Date.now() < deadline) {
        if (await sshAnswers(n.host, n.port)) {
          if (!exitedFlag) return;
        }
        await sleep(25);
      }
      if (!exitedFlag) {
        await stopNode(n);
        throw new Error(`sshd of ${n.name} did not answer on ${n.host}:${n.port} within ${startTimeoutMs} ms: ${n.stderr.trim()}`);
      }
      // sshd exited (most likely the port was taken meanwhile): retry, on a new port if allowed.
      if (attempt >= 4 || !mayPickNewPort) {
        throw new Error(`sshd of ${n.name} on ${n.host}:${n.port} exited: ${n.stderr.trim() || 'no output'}`);
      }
      n.port = await freePort(n.host);
    }
  }

  async function stopNode(n: NodeState): Promise<void> {
    const child = n.child;
    if (!child || !n.pid) return;
    const pid = n.pid;
    const sessions = descendants(pid); // per-connection sshd processes outlive the listener
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      /* gone */
    }
    let timer: NodeJS.Timeout | undefined;
    const killed = await Promise.race([
      n.exited.then(() => true),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(false), 5000))),
    ]);
    clearTimeout(timer);
    if (!killed) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
      await n.exited;
    }
    for (const p of sessions) {
      try {
        process.kill(p, 'SIGTERM');
      } catch {
        /* gone */
      }
    }
  }

  try {
    for (const [i, name] of names.entries()) {
      const host = hostOf(i);
      const dir = join(baseDir, 'nodes', name);
      mkdirSync(dir, { mode: 0o700 });
      const remoteDir = join(baseDir, 'remote', name);
      mkdirSync(remoteDir, { mode: 0o755 });
      chownSync(remoteDir, uid, gid);
      const hostKeyPath = join(dir, 'ssh_host_ed25519_key');
      await run(SSH_KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-C', `kpki-fleet-${name}`, '-f', hostKeyPath]);
      const fp = (await run(SSH_KEYGEN, ['-l', '-f', hostKeyPath + '.pub'])).stdout.split(/\s+/)[1];
      if (!fp?.startsWith('SHA256:')) throw new Error(`ssh-keygen -lf gave no SHA256 fingerprint for ${name}`);
      nodes.push({
        name,
        host,
        port: await freePort(host),
        remoteDir,
        hostKeyPath,
        hostKeyFingerprint: fp,
        pid: 0,
        configPath: join(dir, 'sshd_config'),
        connections: 0,
        stderr: '',
        exited: Promise.resolve(),
      });
    }
    await Promise.all(nodes.map((n) => launch(n, true)));
  } catch (err) {
    await fleet.stop().catch(() => undefined);
    throw err;
  }
  return fleet;
}

/** Plain data of a fleet, for printing. */
export function describeFleet(f: Fleet) {
  return {
    baseDir: f.baseDir,
    user: f.user,
    authorizedKeysPath: f.authorizedKeysPath,
    nodes: f.nodes.map(({ name, host, port, remoteDir, hostKeyPath, hostKeyFingerprint, pid }) => ({
      name, host, port, remoteDir, hostKeyPath, hostKeyFingerprint, pid,
    })),
  };
}

async function cli(argv: string[]): Promise<void> {
  const usage =
    'usage: tsx scripts/fleet.ts start --nodes cp1,cp2,worker1 --authorized-key "<public key line>" ' +
    '[--authorized-key ...] [--authorized-keys-file <file>] [--base-dir <dir>]';
  if (argv[0] !== 'start') throw new Error(usage);
  let nodes: string[] = [];
  const keys: string[] = [];
  let baseDir: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value\n${usage}`);
    i++;
    if (flag === '--nodes') nodes = value.split(',').map((s) => s.trim()).filter(Boolean);
    else if (flag === '--authorized-key') keys.push(value);
    else if (flag === '--authorized-keys-file') keys.push(...readFileSync(value, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#')));
    else if (flag === '--base-dir') baseDir = value;
    else throw new Error(`unknown option ${flag}\n${usage}`);
  }
  if (nodes.length === 0) throw new Error(`--nodes is required\n${usage}`);
  // Listen for signals before starting, so a signal during startup still stops what was started.
  let stopRequested = false;
  let wake: (() => void) | undefined;
  const onSignal = () => {
    stopRequested = true;
    wake?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const fleet = await startFleet({ nodes: nodes.map((name) => ({ name })), authorizedKeys: keys, baseDir });
  if (!stopRequested) {
    process.stdout.write(JSON.stringify(describeFleet(fleet), null, 2) + '\n');
    await new Promise<void>((res) => (wake = res)); // the sshd children keep the process alive
  }
  await fleet.stop();
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  cli(process.argv.slice(2)).catch((err) => {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  });
}
