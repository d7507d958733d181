/**
 * Issue 16: SSH set-up from the operator's own files, against a fleet of real sshd nodes on
 * loopback. The ssh_config is written as an operator writes it; the known_hosts is what the real
 * `ssh-keyscan -p PORT HOST` prints for each node (and `ssh-keygen -H` hashes). One import
 * configures and pins every node, and a distribution then succeeds to all; a wrong key in
 * known_hosts leaves its node unpinned with a problem.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { auditSentence, type AuditEntry, type Job, type SshImportAnswer } from '@kpki/shared';
import { SSH_KEYGEN, type Fleet } from './support.ts';
import { reauth, waitJob, type TestApp } from './helpers/app.ts';
import { useFleetCluster } from './helpers/fleet-cluster.ts';

const run = promisify(execFile);
const NODES = ['cp1', 'cp2', 'lb', 'worker1', 'worker2'];

describe('ssh_config + known_hosts import against real sshd nodes', () => {
  const fx = useFleetCluster({ fleetNodes: NODES, pin: false });
  let app: TestApp;
  let fleet: Fleet;
  let cluster = '';
  let knownHosts = '';
  let sshConfig = '';
  const api = (url: string) => `/api/v1/clusters/${cluster}${url}`;
  const nodeSsh = () => Object.fromEntries(app.deps.clusters.get(cluster)!.input.nodes.map((n) => [n.name, n.ssh ?? null]));
  const importTexts = async (body: object) => {
    const res = await app.inject({ method: 'POST', url: api('/ssh-import'), payload: body });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as SshImportAnswer;
  };
  /** known_hosts lines of a node as the real ssh-keyscan prints them */
  const keyscan = async (node: string) => {
    const n = fleet.node(node);
    const { stdout } = await run('ssh-keyscan', ['-p', String(n.port), '-t', 'ed25519', n.host], { timeout: 30_000 });
    expect(stdout).toContain(`[${n.host}]:${n.port} ssh-ed25519 `);
    return stdout;
  };

  beforeAll(async () => {
    ({ app, fc: { fleet, cluster } } = fx);
    sshConfig = [
      '# ~/.ssh/config of the operator',
      'Host bastion',
      '  HostName 127.0.0.1',
      '  User jump',
      ...NODES.flatMap((name) => {
        const n = fleet.node(name);
        return [`Host ${name}`, `  HostName ${n.host}`, `  Port ${n.port}`, `  User ${fleet.user}`, '  IdentityFile ~/.ssh/kube_ed25519', ''];
      }),
      'Match host worker*',
      '  User someone-else',
      'Host *',
      '  ServerAliveInterval 30',
    ].join('\n');
    knownHosts = (await Promise.all(NODES.map(keyscan))).join('');
  }, 60_000);

  test('a preview stores nothing; a wrong key for one node is a problem and is not pinned; one import then configures and pins every node, and a distribution succeeds to all', async () => {
    const before = nodeSsh();
    expect(Object.values(before).every((s) => s === null)).toBe(true);

    // worker2's line carries cp1's key: the node presents another one
    const lineOf = (node: string) => knownHosts.split('\n').find((l) => l.startsWith(`[${fleet.node(node).host}]:`))!;
    const wrong = knownHosts.replace(lineOf('worker2'), `${lineOf('worker2').split(' ')[0]} ${lineOf('cp1').split(' ').slice(1).join(' ')}`);
    const preview = await importTexts({ sshConfig, knownHosts: wrong });
    expect(preview.applied).toBe(false);
    expect(nodeSsh()).toEqual(before); // nothing stored
    expect(preview.unusedHosts).toEqual([{ line: 2, patterns: ['bastion'] }]);
    expect(preview.notes.map((n) => n.message).join('\n')).toMatch(/Match block skipped[\s\S]*IdentityFile ~\/\.ssh\/kube_ed25519 noted/);
    for (const name of NODES) {
      const row = preview.nodes.find((r) => r.node === name)!;
      const n = fleet.node(name);
      expect(row.proposed).toMatchObject({ host: n.host, port: n.port, user: fleet.user });
      expect(row.presented?.fingerprint).toBe(n.hostKeyFingerprint);
      if (name === 'worker2') {
        expect(row.pinned).toBeNull();
        expect(row.problems.map((p) => p.code)).toEqual(['known-hosts-wrong-key']);
        expect(row.problems[0].message).toContain(fleet.node('cp1').hostKeyFingerprint);
        expect(row.proposed?.hostKey).toBeUndefined();
      } else {
        expect(row.problems).toEqual([]);
        expect(row.pinned?.fingerprint).toBe(n.hostKeyFingerprint);
        expect(row.proposed?.hostKey).toBe(n.hostKeyFingerprint);
      }
    }
    expect(preview.caKeyChanges.length).toBeGreaterThan(0); // cp1 and cp2 receive ca-key.pem

    // applied with the wrong key: worker2 gets its target, not a pin
    await reauth(app); // control-plane targets: the CA key rule
    const applied = await importTexts({ sshConfig, knownHosts: wrong, apply: true });
    expect(applied.applied).toBe(true);
    const stored = nodeSsh();
    expect(stored.worker2).toEqual({ host: fleet.node('worker2').host, port: fleet.node('worker2').port, user: fleet.user });
    expect(stored.cp1?.hostKey).toBe(fleet.node('cp1').hostKeyFingerprint);

    // the right known_hosts: every node configured and pinned
    const all = await importTexts({ sshConfig, knownHosts, apply: true });
    expect(all.counts).toMatchObject({ nodes: 5, pinned: 5, problems: 0 });
    expect(all.nodes.filter((r) => r.applied).map((r) => r.node)).toEqual(['worker2']); // the others already were
    for (const name of NODES) {
      const n = fleet.node(name);
      expect(nodeSsh()[name]).toEqual({ host: n.host, port: n.port, user: fleet.user, hostKey: n.hostKeyFingerprint });
    }
    await reauth(app);
    const res = await app.inject({ method: 'POST', url: api('/distributions'), payload: {} });
    expect(res.statusCode, res.body).toBe(202);
    const job: Job = await waitJob(app, res.json().jobId);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    for (const name of ['cp1', 'cp2', 'worker1', 'worker2']) expect(fs.readdirSync(fleet.node(name).remoteDir)).toContain('ca.pem');
    const nodes = (await app.inject(api('/nodes'))).json().items as Array<{ name: string; status: { state: string } }>;
    expect(nodes.filter((n) => n.name !== 'lb').map((n) => n.status.state)).toEqual(['in-sync', 'in-sync', 'in-sync', 'in-sync']);
    const audit = (await app.inject(`/api/v1/audit?action=${encodeURIComponent('POST /api/v1/clusters/:cluster/ssh-import')}`)).json().items as AuditEntry[];
    expect(audit.map(auditSentence)).toContain(`set the SSH settings of worker2 of ${cluster} from an ssh_config / known_hosts`);
    expect(audit.map(auditSentence)).toContain(`previewed an SSH import (ssh_config / known_hosts) for ${cluster}`);
  }, 240_000);

  test('hashed known_hosts entries (ssh-keygen -H) are matched', async () => {
    const file = path.join(fx.dataDir, 'known_hosts');
    fs.writeFileSync(file, knownHosts);
    await run(SSH_KEYGEN, ['-H', '-f', file]);
    const hashed = fs.readFileSync(file, 'utf8');
    expect(hashed).not.toContain('127.');
    expect(hashed.split('\n').filter((l) => l.startsWith('|1|'))).toHaveLength(NODES.length);
    const preview = await importTexts({ knownHosts: hashed });
    for (const name of NODES) {
      const row = preview.nodes.find((r) => r.node === name)!;
      expect(row.problems).toEqual([]);
      expect(row.pinned?.fingerprint).toBe(fleet.node(name).hostKeyFingerprint);
    }
  }, 120_000);

  test('bad input: line numbers, and a text over the limit is refused', async () => {
    const bad = await app.inject({ method: 'POST', url: api('/ssh-import'), payload: { sshConfig: 'Host a\n  Port none\n', knownHosts: 'x ssh-ed25519\n' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(bad.json().error.details).toEqual([
      expect.objectContaining({ path: '/sshConfig', line: 2 }),
      expect.objectContaining({ path: '/knownHosts', line: 1 }),
    ]);
    const big = await app.inject({ method: 'POST', url: api('/ssh-import'), payload: { sshConfig: `# ${'x'.repeat(1_048_600)}` } });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.message).toMatch(/at most 1048576 characters/);
  });
});
