/** scripts/fleet.ts itself: parallel fleets, stop/start, cleanup, the CLI. Loopback only. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { SshError } from '../src/ssh/errors.ts';
import { connect, scanHostKey } from '../src/ssh/transport.ts';
import { startFleet, startKeyedFleet } from './support.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('fleet', () => {
  test('parallel fleets get distinct addresses, ports and folders; stop() kills every sshd and removes baseDir', async () => {
    const fleets = await Promise.all([0, 1, 2].map(() => startFleet({ nodes: [{ name: 'a' }, { name: 'b' }], authorizedKeys: [] })));
    try {
      const endpoints = fleets.flatMap((f) => f.nodes.map((n) => `${n.host}:${n.port}`));
      expect(new Set(endpoints).size).toBe(6);
      expect(new Set(fleets.map((f) => f.baseDir)).size).toBe(3);
      const fps = fleets.flatMap((f) => f.nodes.map((n) => n.hostKeyFingerprint));
      expect(new Set(fps).size).toBe(6);
      for (const n of fleets.flatMap((f) => f.nodes)) {
        expect(await scanHostKey({ host: n.host, port: n.port })).toMatchObject({ fingerprint: n.hostKeyFingerprint });
      }
    } finally {
      const pids = fleets.flatMap((f) => f.nodes.map((n) => n.pid));
      await Promise.all(fleets.map((f) => f.stop()));
      for (const pid of pids) expect(alive(pid)).toBe(false);
      for (const f of fleets) expect(fs.existsSync(f.baseDir)).toBe(false);
    }
  });

  test('stopNode also ends open sessions; startNode brings the node back', async () => {
    const kf = await startKeyedFleet(['n1']);
    try {
      const s = await connect(kf.opts('n1'));
      await kf.fleet.stopNode('n1');
      expect(kf.node('n1').pid).toBe(0);
      const err = await s.list(kf.node('n1').remoteDir).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SshError);
      expect((err as SshError).code).toBe('SSH_UNREACHABLE');
      await s.close();
      await kf.fleet.startNode('n1');
      const s2 = await connect(kf.opts('n1'));
      expect(await s2.resolveDir()).toBe(kf.node('n1').remoteDir);
      await s2.close();
    } finally {
      await kf.fleet.stop();
    }
  });

  test('the CLI prints the fleet as JSON and stops it on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/fleet.ts', 'start', '--nodes', 'cp1,worker1', '--authorized-key', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFZDrHeTkwkCNXNkIJ3nNaPijFYF1sO99tz+vW+w0dLy test'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let errOut = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (errOut += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      const deadline = Date.now() + 30_000;
      while (!out.trim().endsWith('}') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
      const printed = JSON.parse(out) as { baseDir: string; user: string; nodes: Array<{ name: string; host: string; port: number; pid: number; hostKeyFingerprint: string }> };
      expect(printed.nodes.map((n) => n.name)).toEqual(['cp1', 'worker1']);
      expect(printed.user).toBe('kpki-fleet');
      expect(fs.readFileSync(path.join(printed.baseDir, 'authorized_keys'), 'utf8')).toContain('AAAAC3NzaC1lZDI1NTE5AAAAIFZDrHeTkwkCNXNkIJ3nNaPijFYF1sO99tz+vW+w0dLy test');
      for (const n of printed.nodes) expect((await scanHostKey({ host: n.host, port: n.port })).fingerprint).toBe(n.hostKeyFingerprint);
      process.kill(child.pid!, 'SIGTERM');
      expect(await exited, errOut).toBe(0);
      for (const n of printed.nodes) expect(alive(n.pid)).toBe(false);
      expect(fs.existsSync(printed.baseDir)).toBe(false);
    } finally {
      if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
    }
  });

  test('bad input is refused before anything starts', async () => {
    await expect(startFleet({ nodes: [{ name: 'a' }, { name: 'a' }], authorizedKeys: [] })).rejects.toThrow(/unique/);
    await expect(startFleet({ nodes: [{ name: '../x' }], authorizedKeys: [] })).rejects.toThrow(/invalid node name/);
  });
});
