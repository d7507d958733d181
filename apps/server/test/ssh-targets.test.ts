/**
 * Where kpki may connect (issue 8, item 6), against real sshd and real sockets on loopback:
 * KPKI_SSH_ALLOWED_NETWORKS / KPKI_SSH_ALLOWED_PORTS refuse a target before any connection (when
 * SSH settings are saved, and when settings saved earlier are dialled), the default refuses
 * link-local and unspecified addresses, the test fleet stays usable with the variables set, and
 * refused, closed and silent ports read the same for non-admins while admins see the cause.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fs from 'node:fs';
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { NodeStatus } from '@kpki/shared';
import { freePort, startFleet, type Fleet } from './support.ts';
import { issuedCluster, tempDataDir, testApp } from './helpers/app.ts';
import { createUser, signIn, type SessionHeaders } from './helpers/auth.ts';
import { dump } from './helpers/db-dump.ts';
import { addressAllowed, allowedAddress, parseNetworks, parsePorts, portAllowed, type TargetPolicy } from '../src/ssh/target-policy.ts';
import { loadConfig } from '../src/config.ts';

type App = FastifyInstance & { rawInject: FastifyInstance['inject'] };

describe('the target policy', () => {
  const policy = (networks?: string, ports?: string): TargetPolicy => {
    const problems: string[] = [];
    const p = { networks: parseNetworks(networks, problems), ports: parsePorts(ports, problems) };
    expect(problems).toEqual([]);
    return p;
  };

  test('by default any address but link-local and unspecified ones, any port', () => {
    const p = policy();
    for (const a of ['127.0.0.1', '10.1.2.3', '::1', '2001:db8::1']) expect(addressAllowed(p, a), a).toBe(true);
    for (const a of ['169.254.169.254', '169.254.0.1', '0.0.0.0', '0.1.2.3', '::', 'fe80::1', '::ffff:169.254.169.254']) expect(addressAllowed(p, a), a).toBe(false);
    expect(portAllowed(p, 1) && portAllowed(p, 65535)).toBe(true);
  });

  test('set: only the networks and ports named; a host name is checked on every address it resolves to', async () => {
    const p = policy('127.0.0.0/8, 10.0.0.0/8', '22, 2200-2299');
    expect(['127.0.0.5', '10.9.9.9'].every((a) => addressAllowed(p, a))).toBe(true);
    expect(['192.168.56.21', '::1', '169.254.169.254'].some((a) => addressAllowed(p, a))).toBe(false);
    expect([22, 2200, 2299].every((n) => portAllowed(p, n))).toBe(true);
    expect([21, 23, 2300].some((n) => portAllowed(p, n))).toBe(false);
    await expect(allowedAddress(p, '127.0.0.9', 22, 'n')).resolves.toBe('127.0.0.9');
    await expect(allowedAddress(policy('10.0.0.0/8'), 'localhost', 22, 'n')).rejects.toMatchObject({ code: 'SSH_TARGET_NOT_ALLOWED' });
    await expect(allowedAddress(p, '127.0.0.9', 2222 + 100, 'n')).rejects.toMatchObject({ code: 'SSH_TARGET_NOT_ALLOWED', message: expect.stringContaining('KPKI_SSH_ALLOWED_PORTS') });
  });

  test('a malformed value stops start-up naming it', () => {
    const base = { KPKI_DATA_DIR: tempDataDir(), KPKI_MASTER_KEY: 'b'.repeat(64) };
    for (const [k, v] of [['KPKI_SSH_ALLOWED_NETWORKS', '10.0.0.0/33'], ['KPKI_SSH_ALLOWED_NETWORKS', 'lan'], ['KPKI_SSH_ALLOWED_PORTS', '0'], ['KPKI_SSH_ALLOWED_PORTS', '30-20'], ['KPKI_SSH_ALLOWED_PORTS', 'ssh']]) {
      expect(() => loadConfig({ ...base, [k]: v }), `${k}=${v}`).toThrow(k);
    }
    fs.rmSync(base.KPKI_DATA_DIR, { recursive: true, force: true });
  });
});

describe('SSH targets against real sshd and sockets', () => {
  let dataDir = '';
  let app: App;
  let plain: App;
  let plainDir = '';
  let fleet: Fleet;
  let cluster: string;
  let operator: SessionHeaders;
  const servers: net.Server[] = [];
  const sockets: net.Socket[] = [];
  const api = (url: string) => `/api/v1/clusters/${cluster}${url}`;
  const as = (a: App, headers: Record<string, string> | null, method: string, url: string, payload?: object) =>
    (headers ? a.rawInject : a.inject)({ method: method as 'GET', url: api(url), ...(headers ? { headers } : {}), ...(payload ? { payload } : {}) });
  const fleetSsh = () => {
    const n = fleet.node('worker1');
    return { host: n.host, port: n.port, user: fleet.user, remoteDir: n.remoteDir, hostKey: n.hostKeyFingerprint };
  };
  /** A loopback TCP server that accepts and then `behave`s (closes at once, or never says a word). */
  const listen = async (behave: (s: net.Socket) => void): Promise<number> => {
    const server = net.createServer((s) => {
      sockets.push(s);
      behave(s);
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return (server.address() as net.AddressInfo).port;
  };

  beforeAll(async () => {
    dataDir = tempDataDir();
    // what a deployment on a LAN would set; the fleet's loopback addresses and free ports stay usable
    app = await testApp(dataDir, { KPKI_SSH_ALLOWED_NETWORKS: '127.0.0.0/8', KPKI_SSH_ALLOWED_PORTS: '1024-65535' });
    plainDir = tempDataDir();
    plain = await testApp(plainDir);
    cluster = await issuedCluster(app);
    await issuedCluster(plain);
    await createUser(app, 'otto', 'otto-password-1', 'operator');
    operator = await signIn(app, 'otto', 'otto-password-1', '127.0.0.3');
    const { publicKey } = (await app.inject(api('/ssh-key'))).json();
    fleet = await startFleet({ nodes: [{ name: 'worker1' }], authorizedKeys: [publicKey] });
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    for (const s of servers) await new Promise((r) => s.close(r));
    await fleet?.stop();
    await app?.close();
    await plain?.close();
    for (const d of [dataDir, plainDir]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  test('with the variables set, the loopback fleet is scanned and verified as before', async () => {
    expect((await as(app, operator, 'PUT', '/nodes/worker1/ssh', fleetSsh())).statusCode).toBe(200);
    const scan = await as(app, operator, 'POST', '/nodes/worker1/host-key-scan');
    expect(scan.statusCode, scan.body).toBe(200);
    expect(scan.json().fingerprint).toBe(fleet.node('worker1').hostKeyFingerprint);
    const status = (await as(app, operator, 'POST', '/nodes/worker1/verify')).json() as NodeStatus;
    expect(status.error).toBeNull();
    expect(status.state).toBe('missing'); // reached: the files are simply not there yet
  });

  test('a target outside the allowed networks or ports is refused when saved, and nothing changes', async () => {
    const before = dump(app.deps.db);
    const cases: Array<[object, string]> = [
      [{ ...fleetSsh(), host: '169.254.169.254' }, 'KPKI_SSH_ALLOWED_NETWORKS'],
      [{ ...fleetSsh(), host: '10.1.2.3' }, 'KPKI_SSH_ALLOWED_NETWORKS'],
      [{ ...fleetSsh(), port: 22 }, 'KPKI_SSH_ALLOWED_PORTS'],
    ];
    for (const [ssh, variable] of cases) {
      const res = await as(app, operator, 'PUT', '/nodes/worker1/ssh', ssh);
      expect(res.statusCode, JSON.stringify(ssh)).toBe(409);
      expect(res.json().error).toMatchObject({ code: 'SSH_TARGET_NOT_ALLOWED', message: expect.stringContaining(variable) });
    }
    expect(dump(app.deps.db)).toBe(before);
  });

  test('a topology saved with a target outside the allowed networks or ports is refused (PUT and POST /clusters), nothing stored; a target saved earlier does not block other edits', async () => {
    const topology = (change: (input: any) => void) => {
      const input = structuredClone(app.deps.clusters.get(cluster)!.input) as any;
      change(input);
      return input;
    };
    const worker2 = (ssh: object) => (t: any) => (t.nodes.find((n: any) => n.name === 'worker2').ssh = ssh);
    const before = dump(app.deps.db);
    const cases: Array<[(t: any) => void, string]> = [
      [worker2({ host: '10.1.2.3', port: 2222 }), 'KPKI_SSH_ALLOWED_NETWORKS'],
      [worker2({ host: '127.0.0.9', port: 22 }), 'KPKI_SSH_ALLOWED_PORTS'],
      // a default port outside the list reaches every node that inherits it
      [(t) => ((t.sshDefaults = { port: 22 }), worker2({ host: '127.0.0.9' })(t)), 'KPKI_SSH_ALLOWED_PORTS'],
    ];
    for (const [change, variable] of cases) {
      const res = await as(app, operator, 'PUT', '', topology(change));
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().error).toMatchObject({ code: 'SSH_TARGET_NOT_ALLOWED', message: expect.stringContaining(variable) });
      const created = await app.inject({ method: 'POST', url: '/api/v1/clusters', payload: topology((t) => ((t.name = 'elsewhere'), change(t))) });
      expect(created.statusCode, created.body).toBe(409);
      expect(created.json().error.code).toBe('SSH_TARGET_NOT_ALLOWED');
    }
    expect(dump(app.deps.db)).toBe(before);
    // allowed: saved
    expect((await as(app, operator, 'PUT', '', topology(worker2({ host: '127.0.0.9', port: 2222 })))).statusCode).toBe(200);
    // worker2's target stored by an older kpki, outside the list: adding a worker is still saved (the target is refused when dialled)
    const row = app.deps.clusters.get(cluster)!;
    app.deps.clusters.setSsh(row.id, 'worker2', { host: '169.254.169.254', port: 22 }, new Date().toISOString());
    const edit = await as(app, operator, 'PUT', '', topology((t) => t.nodes.push({ name: 'worker3', role: 'worker', addresses: ['192.168.56.33'] })));
    expect(edit.statusCode, edit.body).toBe(200);
    app.deps.clusters.update(app.deps.clusters.get(cluster)!, topology((t) => ((t.nodes = t.nodes.filter((n: any) => n.name !== 'worker3')), delete t.nodes.find((n: any) => n.name === 'worker2').ssh)), new Date().toISOString());
  });

  test('unset, link-local and unspecified addresses are refused, loopback and LAN addresses accepted', async () => {
    for (const host of ['169.254.169.254', '0.0.0.0']) {
      const res = await as(plain, null, 'PUT', '/nodes/worker1/ssh', { host, port: 22, user: 'root' });
      expect(res.statusCode, host).toBe(409);
      expect(res.json().error.code).toBe('SSH_TARGET_NOT_ALLOWED');
    }
    for (const host of ['127.0.0.1', '10.1.2.3']) expect((await as(plain, null, 'PUT', '/nodes/worker1/ssh', { host, port: 22, user: 'root' })).statusCode, host).toBe(200);
  });

  test('settings saved before the variable was set are refused when dialled, with no connection made', async () => {
    const connections = fleet.node('worker1').connections;
    const row = app.deps.clusters.get(cluster)!;
    app.deps.clusters.setSsh(row.id, 'worker1', { ...fleetSsh(), host: '169.254.169.254' }, new Date().toISOString()); // as stored by an older kpki
    for (const headers of [operator, null]) {
      const status = headers ? (await as(app, headers, 'POST', '/nodes/worker1/verify')).json() : (await as(app, null, 'POST', '/nodes/worker1/verify')).json();
      expect(status).toMatchObject({ state: 'not-configured', error: { code: 'SSH_TARGET_NOT_ALLOWED' } });
    }
    const scan = await as(app, operator, 'POST', '/nodes/worker1/host-key-scan');
    expect(scan.json().error.code).toBe('SSH_TARGET_NOT_ALLOWED');
    expect(fleet.node('worker1').connections).toBe(connections);
    app.deps.clusters.setSsh(row.id, 'worker1', fleetSsh(), new Date().toISOString());
  });

  test('refused, closed and silent ports read the same to an operator; an admin sees which', async () => {
    const ports = {
      refused: await freePort('127.0.0.1'),
      closed: await listen((s) => s.destroy()),
      silent: await listen(() => {}),
    };
    const operatorSees: Record<string, string> = {};
    const adminSees: Record<string, string> = {};
    const operatorVerifySees: Record<string, string> = {};
    for (const [kind, port] of Object.entries(ports)) {
      expect((await as(app, operator, 'PUT', '/nodes/worker1/ssh', { ...fleetSsh(), host: '127.0.0.1', port })).statusCode).toBe(200);
      const scan = await as(app, operator, 'POST', '/nodes/worker1/host-key-scan');
      expect(scan.json().error.code, kind).toBe('SSH_UNREACHABLE');
      operatorSees[kind] = scan.json().error.message.replaceAll(String(port), 'PORT');
      const verified = (await as(app, operator, 'POST', '/nodes/worker1/verify')).json() as NodeStatus;
      expect(verified.state).toBe('unreachable');
      expect(verified.error!.detail).toBeUndefined();
      operatorVerifySees[kind] = verified.error!.message.replaceAll(String(port), 'PORT');
      expect((await as(app, operator, 'GET', '/nodes')).json().items.find((n: { name: string }) => n.name === 'worker1').status.error.detail).toBeUndefined();
      const status = (await as(app, null, 'GET', '/nodes/worker1/status')).json() as NodeStatus;
      adminSees[kind] = status.error!.detail!;
    }
    expect(new Set(Object.values(operatorSees)).size).toBe(1);
    expect(new Set(Object.values(operatorVerifySees)).size).toBe(1);
    for (const text of [operatorSees.refused, operatorVerifySees.refused]) {
      expect(text).toMatch(/no SSH server could be reached/);
      expect(text).not.toMatch(/refused|closed|silent|within/);
    }
    expect(adminSees.refused).toMatch(/refused/);
    expect(adminSees.closed, adminSees.closed).toMatch(/closed/);
    expect(adminSees.silent).toMatch(/no SSH answer .* within/);
    // the admin's own scan says which too
    expect((await as(app, null, 'PUT', '/nodes/worker1/ssh', { ...fleetSsh(), host: '127.0.0.1', port: ports.refused })).statusCode).toBe(200);
    expect((await as(app, null, 'POST', '/nodes/worker1/host-key-scan')).json().error.message).toMatch(/refused/);
  });
});
