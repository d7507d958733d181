/**
 * The routes that decide where the CA key goes, and the ones that manage who may, tried with
 * every identity: anonymous, a viewer, operator and admin session, an admin session with the
 * password re-entered, and an API token of each role. Every answer is checked; every refused
 * request leaves the database unchanged, every allowed one is undone before the next identity.
 * The routes that contact a node (a host-key pin scans it again, an import pulls a folder over
 * SFTP) are walked against real sshd nodes on loopback (scripts/fleet.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { generateDeployKey } from '../src/ssh/keys.ts';
import { startFleet, type Fleet } from './support.ts';
import { untar } from './helpers/untar.ts';
import { issuedCluster, reauth, tempDataDir, testApp } from './helpers/app.ts';
import { createImport } from '../src/services/imports.service.ts';
import { dump } from './helpers/db-dump.ts';
import { adminSessionRule, caKeyRule, identities, operatorRule, ownSessionRule, PASSWORDS, type Expectation, type Identity, type IdentityName } from './helpers/identities.ts';

type App = FastifyInstance & { rawInject: FastifyInstance['inject'] };

interface WalkCase {
  what: string;
  rule: Record<IdentityName, Expectation>;
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: (id: Identity) => string;
  payload?: (id: Identity) => object | Buffer;
  /** more request headers (the content type of an archive) */
  headers?: Record<string, string>;
  /** brings the state the request needs, before each identity */
  setup?: () => void | Promise<void>;
}

describe('every identity against the routes of the CA key rule, deletion, users and tokens', () => {
  let dataDir = '';
  let app: App;
  let cluster = '';
  let who: Identity[] = [];
  /** a user none of the identities is, and a token of the admin's, for the user and token routes */
  let walker = 0;
  let adminTokenId = '';
  const c = (p = '') => `/api/v1/clusters/${cluster}${p}`;
  /** the cluster's topology as PUT /clusters takes it, changed by `change` */
  const topology = (change: (input: any) => void) => {
    const input = structuredClone(app.deps.clusters.get(cluster)!.input) as any;
    change(input);
    return input;
  };
  const GZ = { 'content-type': 'application/gzip' };
  const archives: { all: Buffer; worker: Buffer } = { all: Buffer.alloc(0), worker: Buffer.alloc(0) };
  /** the pending import of each cluster the next case adopts or discards */
  const pending: Record<string, string> = {};
  const target = { host: '127.0.0.99', port: 2200, user: 'kube', remoteDir: '/srv/pki', hostKey: 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU' };
  /** real sshd nodes (loopback) for the routes that contact a node: a host-key pin scans it again, a pull reads a folder */
  let fleet: Fleet;
  const FLEET_NODES = ['cp1', 'worker2'];
  /** the fleet node's target as the node's own SSH settings, pinned or not */
  const fleetTarget = (node: string, pinned: boolean) => {
    const n = fleet.node(node);
    return { host: n.host, port: n.port, user: fleet.user, remoteDir: n.remoteDir, ...(pinned ? { hostKey: n.hostKeyFingerprint } : {}) };
  };
  /** the folder on fleet node cp1 that holds the cluster's files, ca-key.pem among them */
  const pulledFolder = () => path.join(fleet.node('cp1').remoteDir, 'pki');

  const CASES: WalkCase[] = [
    { what: 'give control-plane node cp1 an SSH target', rule: caKeyRule(200), method: 'PUT', url: () => c('/nodes/cp1/ssh'), payload: () => target },
    { what: 'pin another host key on control-plane node cp2', rule: caKeyRule(200), method: 'PUT', url: () => c('/nodes/cp2/ssh'), payload: () => ({ ...target, hostKey: 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s' }) },
    { what: 'let control-plane node cp1 write through a symbolic link (followLinks)', rule: caKeyRule(200), method: 'PUT', url: () => c('/nodes/cp1/ssh'), payload: () => ({ ...target, followLinks: true }) },
    { what: 'turn worker1 (with an SSH target) into a control-plane node', rule: caKeyRule(200), method: 'PUT', url: () => c(), payload: () => topology((t) => (t.nodes.find((n: any) => n.name === 'worker1').role = 'control-plane')) },
    { what: 'add a control-plane node', rule: caKeyRule(200), method: 'PUT', url: () => c(), payload: () => topology((t) => t.nodes.push({ name: 'cp3', role: 'control-plane', addresses: ['192.168.56.31'] })) },
    { what: 'create a cluster whose control-plane node has an SSH host', rule: caKeyRule(201), method: 'POST', url: () => '/api/v1/clusters', payload: () => topology((t) => ((t.name = 'second'), (t.nodes[0].ssh = target))) },
    { what: 'import an ssh_config that changes control-plane node cp1\'s target', rule: caKeyRule(200), method: 'POST', url: () => c('/ssh-import'), payload: () => ({ apply: true, sshConfig: 'Host cp1\n  HostName 127.0.0.98\n  Port 2200\n  User kube\n' }) },
    { what: 'import an ssh_config that changes worker2 only', rule: operatorRule(200), method: 'POST', url: () => c('/ssh-import'), payload: () => ({ apply: true, sshConfig: 'Host worker2\n  HostName 127.0.0.97\n  Port 2203\n' }) },
    { what: 'preview an ssh_config import (stores nothing)', rule: operatorRule(200), method: 'POST', url: () => c('/ssh-import'), payload: () => ({ sshConfig: 'Host cp1\n  HostName 127.0.0.98\n' }) },
    { what: 'use the first address as SSH host of control-plane node cp2', rule: caKeyRule(200), method: 'POST', url: () => c('/ssh-hosts/first-address'), payload: () => ({ nodes: ['cp2', 'worker2'] }) },
    { what: 'use the first address as SSH host of worker2', rule: operatorRule(200), method: 'POST', url: () => c('/ssh-hosts/first-address'), payload: () => ({ nodes: ['worker2'] }) },
    { what: 'pin the reviewed host key of control-plane node cp1 (a real sshd)', rule: caKeyRule(200), method: 'POST', url: () => c('/host-keys'), payload: () => ({ pins: [{ node: 'cp1', fingerprint: fleet.node('cp1').hostKeyFingerprint }] }), setup: () => sshOf('cp1', fleetTarget('cp1', false)) },
    { what: 'pin the reviewed host key of worker2 (a real sshd)', rule: operatorRule(200), method: 'POST', url: () => c('/host-keys'), payload: () => ({ pins: [{ node: 'worker2', fingerprint: fleet.node('worker2').hostKeyFingerprint }] }), setup: () => sshOf('worker2', fleetTarget('worker2', false)) },
    { what: 'an SSH default a control-plane node inherits', rule: caKeyRule(200), method: 'PUT', url: () => c('/ssh-defaults'), payload: () => ({ port: 2299 }), setup: () => sshOf('cp1', { host: '127.0.0.96' }) },
    { what: 'an SSH default no control-plane node inherits', rule: operatorRule(200), method: 'PUT', url: () => c('/ssh-defaults'), payload: () => ({ user: 'kube2' }), setup: () => sshOf('cp1', {}) },
    { what: 'upload a deploy key', rule: caKeyRule(200), method: 'PUT', url: () => c('/ssh-key'), payload: () => ({ privateKey: generateDeployKey('walk').privateKey }) },
    { what: 'change the SSH target of worker2 (no CA key there)', rule: operatorRule(200), method: 'PUT', url: () => c('/nodes/worker2/ssh'), payload: () => ({ ...target, port: 2201 }) },
    { what: 'add a worker', rule: operatorRule(200), method: 'PUT', url: () => c(), payload: () => topology((t) => t.nodes.push({ name: 'worker3', role: 'worker', addresses: ['192.168.56.33'] })) },
    { what: 'create a cluster without SSH settings', rule: operatorRule(201), method: 'POST', url: () => '/api/v1/clusters', payload: () => topology((t) => ((t.name = 'second'), t.nodes.forEach((n: any) => delete n.ssh))) },
    { what: 'delete a cluster', rule: caKeyRule(200), method: 'DELETE', url: () => c() },
    { what: 'restore a deleted cluster', rule: adminSessionRule(200), method: 'POST', url: () => '/api/v1/deleted-clusters/gone/restore', setup: () => deletedCluster() },
    { what: 'purge a deleted cluster', rule: caKeyRule(204), method: 'DELETE', url: () => '/api/v1/deleted-clusters/gone', setup: () => deletedCluster() },
    { what: 'import an archive holding the CA key', rule: caKeyRule(201), method: 'POST', url: () => c('/imports'), headers: GZ, payload: () => archives.all },
    { what: 'import an archive without the CA key (a worker\'s bundle)', rule: operatorRule(201), method: 'POST', url: () => c('/imports'), headers: GZ, payload: () => archives.worker },
    { what: 'pull a folder holding the CA key over SFTP (a real sshd)', rule: caKeyRule(201), method: 'POST', url: () => c('/imports'), payload: () => ({ node: 'cp1', path: pulledFolder() }), setup: () => pullable() },
    { what: 'adopt an import holding the CA key', rule: caKeyRule(200), method: 'POST', url: () => `/api/v1/clusters/adoptee/imports/${pending.adoptee}/adopt`, setup: () => pendingImport('adoptee', archives.all) },
    { what: 'adopt an import without the CA key (the cluster\'s own CA)', rule: operatorRule(200), method: 'POST', url: () => c(`/imports/${pending[cluster]}/adopt`), setup: () => pendingImport(cluster, archives.worker) },
    { what: 'discard an import', rule: operatorRule(200), method: 'DELETE', url: () => c(`/imports/${pending[cluster]}`), setup: () => pendingImport(cluster, archives.worker) },
    { what: 'propose a topology from an archive holding the CA key', rule: caKeyRule(200), method: 'POST', url: () => '/api/v1/imports/proposal', headers: GZ, payload: () => archives.all },
    { what: 'propose a topology from an archive without the CA key', rule: operatorRule(200), method: 'POST', url: () => '/api/v1/imports/proposal', headers: GZ, payload: () => archives.worker },
    { what: 'archive the audit log', rule: adminSessionRule(201), method: 'POST', url: () => '/api/v1/audit/archives', payload: () => ({ before: '2999-01-01T00:00:00Z' }), setup: () => auditLines() },
    { what: 'create an operator user', rule: adminSessionRule(201), method: 'POST', url: () => '/api/v1/users', payload: () => ({ username: 'newbie', password: 'newbie-password-1', role: 'operator' }) },
    { what: 'create an admin user', rule: adminSessionRule(201, true), method: 'POST', url: () => '/api/v1/users', payload: () => ({ username: 'mallory', password: 'mallory-password', role: 'admin' }) },
    { what: 'make a user admin', rule: adminSessionRule(200, true), method: 'PATCH', url: () => `/api/v1/users/${walker}`, payload: () => ({ role: 'admin' }) },
    { what: 'change a user\'s role to operator', rule: adminSessionRule(200), method: 'PATCH', url: () => `/api/v1/users/${walker}`, payload: () => ({ role: 'operator' }) },
    { what: 'disable a user', rule: adminSessionRule(200), method: 'PATCH', url: () => `/api/v1/users/${walker}`, payload: () => ({ disabled: true }) },
    { what: 'change one\'s own password', rule: ownSessionRule(204), method: 'PUT', url: () => '/api/v1/users/me/password', payload: (id) => ({ currentPassword: PASSWORDS[id.username ?? 'admin'], newPassword: 'a-brand-new-password' }) },
    { what: 'create a token (always one\'s own)', rule: ownSessionRule(201), method: 'POST', url: () => '/api/v1/tokens', payload: () => ({ name: 'walk', lifetimeDays: 7 }) },
    { what: 'revoke one\'s own token', rule: ownSessionRule(204), method: 'DELETE', url: (id) => `/api/v1/tokens/${id.tokenId ?? 'none'}` },
    { what: 'revoke another user\'s token', rule: adminSessionRule(204), method: 'DELETE', url: () => `/api/v1/tokens/${adminTokenId}` },
  ];

  beforeAll(async () => {
    dataDir = tempDataDir();
    app = await testApp(dataDir);
    cluster = await issuedCluster(app);
    // archives of the cluster's own files: every file (ca-key.pem among them), and worker1's (no CA key)
    await reauth(app);
    archives.all = (await app.inject(c('/bundle.tar.gz'))).rawPayload;
    archives.worker = (await app.inject(c('/bundle.tar.gz?node=worker1'))).rawPayload;
    const input = structuredClone(app.deps.clusters.get(cluster)!.input);
    app.deps.clusters.create({ ...input, name: 'adoptee', nodes: input.nodes.map(({ ssh: _ssh, ...n }) => n) }, new Date().toISOString());
    who = await identities(app);
    walker = (await app.inject({ method: 'POST', url: '/api/v1/users', payload: { username: 'walker', password: 'walker-password', role: 'viewer' } })).json().id;
    adminTokenId = (await app.inject({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'first-admin' } })).json().id;
    const elevated = who.find((i) => i.name === 'elevated admin')!;
    for (const [node, ssh] of [['worker1', { ...target, port: 2202 }], ['cp2', target]] as const) {
      const res = await app.rawInject({ method: 'PUT', url: c(`/nodes/${node}/ssh`), headers: await elevated.headers(), payload: ssh });
      expect(res.statusCode, res.body).toBe(200);
    }
    fleet = await startFleet({ nodes: FLEET_NODES.map((name) => ({ name })), authorizedKeys: [] });
    // the cluster's own files (ca-key.pem among them) in a folder of cp1, as a pull finds them
    fs.mkdirSync(pulledFolder());
    for (const [name, f] of await untar(archives.all)) {
      if (!name.includes('/')) fs.writeFileSync(path.join(pulledFolder(), name), f.content, { mode: 0o644 }); // readable by the fleet's login user
    }
    expect(fs.readdirSync(pulledFolder())).toContain('ca-key.pem');
  }, 120_000);
  afterAll(async () => {
    await fleet?.stop();
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test.each(CASES.map((k) => [k.what, k] as const))('%s', async (_what, k) => {
    const failures: string[] = [];
    for (const id of who) {
      const headers = await id.headers();
      await k.setup?.();
      const before = dump(app.deps.db);
      const res = await app.rawInject({ method: k.method, url: k.url(id), headers: { ...headers, ...k.headers }, ...(k.payload ? { payload: k.payload(id) as object } : {}) });
      const want = k.rule[id.name];
      const code = res.statusCode >= 400 ? res.json().error?.code : undefined;
      if (res.statusCode !== want.status || code !== want.code) failures.push(`${id.name}: ${res.statusCode} ${code ?? ''} (want ${want.status} ${want.code ?? ''}) ${res.body.slice(0, 160)}`);
      if (res.statusCode >= 400) {
        if (dump(app.deps.db) !== before) failures.push(`${id.name}: the refused request changed the database`);
        if (want.code === 'REAUTH_REQUIRED') expect(res.json().error.message).toContain('/session/reauth');
      } else {
        undo(before);
      }
    }
    expect(failures).toEqual([]);
  });

  /** Sets a node's own SSH settings in the store (the state a case needs). */
  function sshOf(node: string, ssh: object) {
    app.deps.clusters.setSsh(app.deps.clusters.get(cluster)!.id, node, ssh, new Date().toISOString());
  }

  /** cp1 pinned to its fleet node, whose authorized_keys holds the cluster's deploy key (another case replaces that key) */
  function pullable() {
    sshOf('cp1', fleetTarget('cp1', true));
    fleet.setAuthorizedKeys([app.deps.deployKeys.get(app.deps.clusters.get(cluster)!.id)!.publicKey]);
  }

  /** A pending import of `archive` into cluster `name` (its id in `pending[name]`), made by the service as an elevated admin would. */
  async function pendingImport(name: string, archive: Buffer) {
    pending[name] = (await createImport(app.deps, name, { kind: 'archive', mediaType: 'application/gzip', body: archive }, 'walker', () => {})).id;
  }

  /** Two more audit lines, so that an archive always finds some (the newest line always stays). */
  function auditLines() {
    for (let i = 0; i < 2; i++) app.deps.audit.append({ at: new Date().toISOString(), actor: 'walk', action: 'walk', object: '-', address: '-', result: 'ok', details: null });
  }

  /** A deleted cluster "gone" (created in the store when it was restored or purged). */
  function deletedCluster() {
    const { clusters } = app.deps;
    if (clusters.getDeleted('gone')) return;
    const row = clusters.get('gone') ?? clusters.create({ ...structuredClone(clusters.get(cluster)!.input), name: 'gone' }, new Date().toISOString());
    clusters.markDeleted(row.id, new Date().toISOString(), 'walker');
  }

  /** Puts clusters, users and tokens back as they were in the dump `before`, so the next identity meets the same state. */
  function undo(before: string) {
    const d = JSON.parse(before);
    const { db } = app.deps;
    db.prepare('UPDATE clusters SET deleted_at = NULL, deleted_by = NULL WHERE name = ?').run(cluster);
    const row = app.deps.clusters.get(cluster)!;
    db.prepare("DELETE FROM clusters WHERE name = 'second'").run();
    app.deps.clusters.update(row, restoreInput(before, row), row.updatedAt);
    db.prepare(`DELETE FROM users WHERE id NOT IN (${d.users.map((u: any) => u.id).join(',')})`).run();
    for (const u of d.users) db.prepare('UPDATE users SET role = ?, disabled = ?, password_hash = ? WHERE id = ?').run(u.role, u.disabled, u.password_hash, u.id);
    db.prepare(`DELETE FROM api_tokens WHERE id NOT IN (${d.api_tokens.map((t: any) => `'${t.id}'`).join(',')})`).run();
    for (const t of d.api_tokens) db.prepare('UPDATE api_tokens SET revoked_at = ?, revoked_reason = ? WHERE id = ?').run(t.revoked_at, t.revoked_reason, t.id);
  }

  /** The cluster's topology as it was in a dump taken before the request. */
  function restoreInput(before: string, row: { id: number; input: any }) {
    const d = JSON.parse(before);
    const spec = JSON.parse(d.clusters.find((r: any) => r.id === row.id).spec);
    const nodes = d.nodes.filter((n: any) => n.cluster_id === row.id).sort((a: any, b: any) => a.position - b.position)
      .map((n: any) => ({ name: n.name, role: n.role, addresses: JSON.parse(n.addresses), ...(n.ssh ? { ssh: JSON.parse(n.ssh) } : {}) }));
    return { ...spec, nodes };
  }
});
