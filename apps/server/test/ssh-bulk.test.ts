/**
 * Issue 16: host keys of many nodes at once, against a fleet of real sshd nodes on loopback. The
 * bulk scan returns what `ssh-keygen -lf` prints for each node's host key and pins nothing;
 * pinning three pins exactly those three; a node that presents another key than the one reviewed
 * refuses the pin. The cluster's SSH defaults reach the nodes that inherit them (a distribution
 * then writes to the folder they name), and the first address becomes the SSH host only when asked.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { HostKeyReview, Job } from '@kpki/shared';
import { SSH_KEYGEN, type Fleet } from './support.ts';
import { reauth, waitJob, type TestApp } from './helpers/app.ts';
import { useFleetCluster } from './helpers/fleet-cluster.ts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const NODES = ['cp1', 'cp2', 'lb', 'worker1', 'worker2'];

describe('bulk host keys, SSH defaults and first addresses on real sshd nodes', () => {
  const fx = useFleetCluster({ fleetNodes: NODES, pin: false });
  let app: TestApp;
  let fleet: Fleet;
  let cluster = '';
  const api = (url: string) => `/api/v1/clusters/${cluster}${url}`;
  const stored = () => Object.fromEntries(app.deps.clusters.get(cluster)!.input.nodes.map((n) => [n.name, n.ssh ?? null]));
  const post = (url: string, payload: object) => app.inject({ method: 'POST', url: api(url), payload });

  beforeAll(async () => {
    ({ app, fc: { fleet, cluster } } = fx);
    // hosts and ports only (no pin), as an ssh_config import without known_hosts leaves them
    const sshConfig = NODES.map((n) => `Host ${n}\n  HostName ${fleet.node(n).host}\n  Port ${fleet.node(n).port}\n`).join('');
    await reauth(app);
    const res = await post('/ssh-import', { sshConfig, apply: true });
    expect(res.statusCode, res.body).toBe(200);
  });

  test('the scan of five nodes gives what ssh-keygen -lf prints of their host keys and pins none; pinning three pins exactly those three', async () => {
    const before = stored();
    const res = await post('/host-key-scan', {});
    expect(res.statusCode, res.body).toBe(200);
    const review = res.json() as HostKeyReview;
    expect(review.items.map((i) => i.node)).toEqual(NODES);
    for (const item of review.items) {
      const n = fleet.node(item.node);
      const [, fingerprint, , type] = (await run(SSH_KEYGEN, ['-lf', `${n.hostKeyPath}.pub`])).stdout.trim().split(/\s+/);
      expect(item).toMatchObject({ host: n.host, port: n.port, fingerprint, keyType: 'ssh-ed25519', pinned: null, pinnedMatch: 'none', knownHosts: null, error: null });
      expect(type).toBe('(ED25519)');
    }
    expect(stored()).toEqual(before); // pins nothing

    const pick = ['cp1', 'worker1', 'worker2'];
    const pins = review.items.filter((i) => pick.includes(i.node)).map((i) => ({ node: i.node, fingerprint: i.fingerprint! }));
    // cp1 receives ca-key.pem: the admin has to re-enter the password first (nothing pinned without)
    app.deps.db.prepare('UPDATE sessions SET elevated_until = NULL').run();
    const refused = await post('/host-keys', { pins });
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.json().error.code).toBe('REAUTH_REQUIRED');
    expect(stored()).toEqual(before);
    await reauth(app);
    const pinned = await post('/host-keys', { pins });
    expect(pinned.statusCode, pinned.body).toBe(200);
    expect(pinned.json()).toEqual({ changed: pick, unchanged: [] });
    const after = stored();
    for (const name of NODES) expect(after[name]?.hostKey).toBe(pick.includes(name) ? fleet.node(name).hostKeyFingerprint : undefined);

    const again = (await post('/host-key-scan', { nodes: ['cp1', 'cp2'] })).json() as HostKeyReview;
    expect(again.items.map((i) => [i.node, i.pinnedMatch])).toEqual([['cp1', 'same'], ['cp2', 'none']]);
  }, 120_000);

  test('a node that presents another key than the one reviewed refuses the pin: nothing pinned', async () => {
    const before = stored();
    const res = await post('/host-keys', { pins: [{ node: 'lb', fingerprint: fleet.node('lb').hostKeyFingerprint }, { node: 'cp2', fingerprint: fleet.node('worker1').hostKeyFingerprint }] });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'HOST_KEY_CHANGED', details: { nodes: [{ node: 'cp2', presented: fleet.node('cp2').hostKeyFingerprint }] } });
    expect(stored()).toEqual(before);
  }, 60_000);

  test('with known_hosts the review says whether it holds the presented key', async () => {
    const knownHosts = `[${fleet.node('cp1').host}]:${fleet.node('cp1').port} ${fs.readFileSync(`${fleet.node('cp1').hostKeyPath}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`
      + `[${fleet.node('cp2').host}]:${fleet.node('cp2').port} ${fs.readFileSync(`${fleet.node('worker1').hostKeyPath}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`;
    const review = (await post('/host-key-scan', { nodes: ['cp1', 'cp2', 'worker1'], knownHosts })).json() as HostKeyReview;
    expect(review.items.map((i) => i.knownHosts)).toEqual(['match', 'no-match', 'no-entry']);
  }, 60_000);

  test('SSH defaults: the user and folder reach every node that inherits them (a distribution writes there); the first address only when asked', async () => {
    // every node pinned; the fleet's login user as the cluster's default user (no node sets its own)
    await reauth(app);
    const pins = ['cp2', 'lb'].map((n) => ({ node: n, fingerprint: fleet.node(n).hostKeyFingerprint }));
    expect((await post('/host-keys', { pins })).statusCode).toBe(200);
    const nodes = () => (app.inject(api('/nodes'))).then((r) => r.json().items as Array<{ name: string; ssh?: { user?: string }; effectiveSsh: { user?: string; remoteDir?: string } | null; status: { state: string } }>);
    expect((await nodes()).every((n) => n.effectiveSsh?.user === undefined)).toBe(true);
    const res = await app.inject({ method: 'PUT', url: api('/ssh-defaults'), payload: { user: fleet.user } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().sshDefaults).toEqual({ user: fleet.user });
    const etag = res.headers.etag as string;
    expect((await nodes()).map((n) => n.effectiveSsh?.user)).toEqual(NODES.map(() => fleet.user));
    expect((await nodes()).map((n) => n.ssh?.user)).toEqual(NODES.map(() => undefined)); // inherited, not copied

    const dist = await post('/distributions', {});
    expect(dist.statusCode, dist.body).toBe(202);
    const job: Job = await waitJob(app, dist.json().jobId);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    expect(fs.readdirSync(fleet.node('worker2').remoteDir)).toContain('worker2.pem');
    expect((await nodes()).filter((n) => n.name !== 'lb').map((n) => n.status.state)).toEqual(['in-sync', 'in-sync', 'in-sync', 'in-sync']);

    // a default folder that the fleet's login user cannot use: the nodes that inherit it are not judged from the old look
    const moved = await app.inject({ method: 'PUT', url: api('/ssh-defaults'), headers: { 'if-match': etag }, payload: { user: fleet.user, remoteDir: path.join(fleet.node('worker2').remoteDir, 'sub') } });
    expect(moved.statusCode, moved.body).toBe(200);
    expect((await nodes()).find((n) => n.name === 'worker2')!.status.state).toBe('not-checked');
    // the old version is refused now
    const stale = await app.inject({ method: 'PUT', url: api('/ssh-defaults'), headers: { 'if-match': etag }, payload: {} });
    expect(stale.statusCode).toBe(412);

    // first address, for worker1 only: its host becomes 192.168.56.x of the preset (data, never dialled) and its pin is dropped
    const first = await post('/ssh-hosts/first-address', { nodes: ['worker1'] });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ changed: ['worker1'], unchanged: [] });
    const s = stored();
    expect(s.worker1).toEqual({ host: app.deps.clusters.get(cluster)!.input.nodes.find((n) => n.name === 'worker1')!.addresses[0], port: fleet.node('worker1').port });
    expect(s.worker2?.host).toBe(fleet.node('worker2').host); // not asked: unchanged
  }, 180_000);
});
