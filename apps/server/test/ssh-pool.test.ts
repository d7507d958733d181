/**
 * SSH connections kept open between jobs (ssh/pool.ts), against real sshd nodes: a job that
 * follows another within KPKI_SSH_IDLE_SECONDS reuses the node's connection (sshd accepts no new
 * one); a kept connection is closed when its time is up and when the app closes; a node whose
 * sshd went away (its sessions with it) is reached over a new connection once it is back, and
 * reads as unreachable while it is down; re-pinning a node's host key opens a new connection.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fs from 'node:fs';
import type { Job } from '@kpki/shared';
import { reauth, tempDataDir, testApp } from './helpers/app.ts';
import { fleetCluster, type FleetCluster } from './helpers/fleet-cluster.ts';
import { waitFor } from './helpers/tools.ts';
import { fleetConnections, sshSessionsOf } from './support.ts';

type App = Awaited<ReturnType<typeof testApp>>;
const NODES = ['worker1', 'worker2'];

describe('SSH connections kept between jobs', () => {
  let dataDir = '';
  let app: App;
  let fc: FleetCluster;
  let closed = false;
  const sessions = (node: string) => sshSessionsOf(fc.fleet.node(node)).length;
  const distribute = async (): Promise<Job> => {
    await reauth(app);
    const job = await fc.job('/distributions', { nodes: NODES });
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    return job;
  };

  beforeAll(async () => {
    dataDir = tempDataDir();
    app = await testApp(dataDir, { KPKI_SSH_IDLE_SECONDS: '3' });
    fc = await fleetCluster(app, { fleetNodes: NODES, distribute: true });
  });
  afterAll(async () => {
    if (!closed) await app?.close();
    await fc?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('a job right after another reuses each node\'s connection; it closes when its idle time is up', async () => {
    await distribute(); // the connections of the set-up are gone or kept: from here on, counted
    const seen = await fleetConnections(fc.fleet);
    for (const n of NODES) expect(sessions(n), `${n} keeps its connection open`).toBeGreaterThan(0);
    await distribute();
    for (const n of NODES) expect((await fc.verify(n)).state, n).toBe('in-sync');
    expect(await fleetConnections(fc.fleet), 'no new SSH connection').toEqual(seen);
    expect(app.deps.sshPool.size).toBe(NODES.length);
    // idle for KPKI_SSH_IDLE_SECONDS (3): closed by kpki, and the next job connects again
    await waitFor(() => NODES.every((n) => sessions(n) === 0), 'the kept connections to close', { timeoutMs: 15_000 });
    expect(app.deps.sshPool.size).toBe(0);
    await distribute();
    const after = await fleetConnections(fc.fleet);
    for (const n of NODES) expect(after[n], n).toBe(seen[n] + 1);
  });

  test('a node whose sshd went away: unreachable while down, then reached over a new connection', async () => {
    await distribute();
    expect(sessions('worker1')).toBeGreaterThan(0);
    await fc.fleet.stopNode('worker1'); // its open sessions end with it
    const down = await fc.verify('worker1');
    expect(down.state).toBe('unreachable');
    await fc.fleet.startNode('worker1');
    const seen = (await fleetConnections(fc.fleet)).worker1;
    expect((await fc.verify('worker1')).state).toBe('in-sync');
    expect((await fleetConnections(fc.fleet)).worker1).toBe(seen + 1);
  });

  test('another pinned host key is another target: a new connection, checked against the new pin', async () => {
    await distribute();
    expect(sessions('worker2')).toBeGreaterThan(0);
    const n = fc.fleet.node('worker2');
    await reauth(app);
    const wrong = 'SHA256:' + 'A'.repeat(43);
    const put = (hostKey: string) => app.inject({ method: 'PUT', url: fc.api('/nodes/worker2/ssh'), payload: { host: n.host, port: n.port, user: fc.fleet.user, remoteDir: n.remoteDir, hostKey } });
    expect((await put(wrong)).statusCode).toBe(200);
    const status = await fc.verify('worker2');
    expect(status.state).toBe('unreachable');
    expect(status.error?.code).toBe('SSH_HOST_KEY_MISMATCH');
    expect((await put(n.hostKeyFingerprint)).statusCode).toBe(200);
    expect((await fc.verify('worker2')).state).toBe('in-sync');
  });

  test('closing the app closes every kept connection', async () => {
    await distribute();
    for (const n of NODES) expect(sessions(n)).toBeGreaterThan(0);
    await app.close();
    closed = true;
    await waitFor(() => NODES.every((x) => sessions(x) === 0), 'the kept connections to close with the app', { timeoutMs: 15_000 });
  });
});
