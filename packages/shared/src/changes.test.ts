import { describe, expect, test } from 'vitest';
import type { ClusterInput } from './api/cluster.ts';
import type { FileState } from './api/nodes.ts';
import { buildCatalog } from './catalog.ts';
import { computeChanges, certificatesToIssue, plannedSubject, serverHost, type IssuedFacts } from './changes.ts';
import { buildFiles } from './distribution.ts';
import { hardWayPreset } from './preset.ts';
import { node } from './test-topologies.ts';

const NOW = Date.parse('2030-01-01T00:00:00Z');

/** What issuing `cluster` at NOW gives, as facts (the server reads the same from real certificates). */
function issuedFrom(cluster: ClusterInput): IssuedFacts[] {
  return buildCatalog(cluster).map((c, i) => ({
    name: c.name, serial: `0${i}`, subject: plannedSubject(c, cluster), sans: c.sans.map(({ type, value }) => ({ type, value })),
    usages: [...c.usages], keyAlgorithm: cluster.keyAlgorithm, notBefore: new Date(NOW).toISOString(),
    notAfter: new Date(NOW + (c.isCa ? cluster.caValidityHours : cluster.certValidityHours) * 3_600_000).toISOString(),
  }));
}

/** Every file of every node in sync. */
function allInSync(cluster: ClusterInput): Record<string, Record<string, FileState>> {
  const files = buildFiles(cluster, buildCatalog(cluster));
  return Object.fromEntries(Object.entries(files).map(([n, fs]) => [n, Object.fromEntries(fs.map((f) => [f.file, 'in-sync' as FileState]))]));
}

const changeOf = (set: ReturnType<typeof computeChanges>, name: string) => set.certificates.find((c) => c.name === name)!;
const byKind = (set: ReturnType<typeof computeChanges>) =>
  Object.fromEntries((['new', 'outdated', 'retired', 'unchanged'] as const).map((k) => [k, set.certificates.filter((c) => c.change === k).map((c) => c.name)]));

describe('computeChanges', () => {
  const before = hardWayPreset();
  const issued = issuedFrom(before);
  const held = allInSync(before);

  test('nothing changed: everything unchanged, nothing to do, no node receives a file', () => {
    const set = computeChanges({ cluster: before, issued, held });
    expect(set.nothingToDo).toBe(true);
    expect(set.ca.change).toBe('unchanged');
    expect(set.counts).toEqual({ new: 0, outdated: 0, retired: 0, unchanged: 9 });
    expect(set.nodes).toEqual([]);
  });

  test('a third control-plane node: kubernetes and etcd outdated with reasons, the CA and workers unchanged, writes to control-plane nodes only', () => {
    const after = { ...before, nodes: [...before.nodes, node('cp3', 'control-plane', '192.168.56.25')] };
    const set = computeChanges({ cluster: after, issued, held });
    expect(byKind(set)).toEqual({
      new: [], outdated: ['kubernetes', 'etcd'], retired: [],
      unchanged: ['admin', 'worker1', 'worker2', 'kube-controller-manager', 'kube-proxy', 'kube-scheduler', 'service-account'],
    });
    expect(set.ca.change).toBe('unchanged');
    const api = changeOf(set, 'kubernetes');
    expect(api.differences).toEqual([
      { field: 'san', change: 'added', from: null, to: '192.168.56.25', reason: 'SAN 192.168.56.25 added: control-plane node cp3: an API server runs here' },
    ]);
    expect(changeOf(set, 'etcd').differences.map((d) => d.to)).toEqual(['cp3', '192.168.56.25']);
    expect(set.nodes.map((n) => n.node)).toEqual(['cp1', 'cp2', 'cp3']);
    expect(set.nodes[0].files.map((f) => f.file)).toEqual(['kubernetes.pem', 'kubernetes-key.pem', 'etcd.pem', 'etcd-key.pem']);
    // the new node has never received anything: all 16 of its files (12 PEMs, 3 kubeconfigs, the encryption config)
    expect(set.nodes[2].files).toHaveLength(16);
    expect(set.nodes[2].files.find((f) => f.file === 'ca.pem')!.reason).toBe('the node has not received it yet');
    expect(certificatesToIssue(set)).toEqual(['kubernetes', 'etcd']);
    expect(set.summary).toMatch(/^2 outdated, 7 unchanged; 3 node\(s\) would receive 24 file\(s\)$/);
  });

  test('a new load-balancer address: only kubernetes, written to the control-plane nodes', () => {
    const after = structuredClone(before);
    after.nodes.find((n) => n.role === 'load-balancer')!.addresses = ['192.168.56.30'];
    const set = computeChanges({ cluster: after, issued, held });
    expect(byKind(set).outdated).toEqual(['kubernetes']);
    expect(changeOf(set, 'kubernetes').differences.map((d) => `${d.change} ${d.from ?? d.to}`)).toEqual(['added 192.168.56.30', 'removed 192.168.56.20']);
    expect(changeOf(set, 'kubernetes').differences[1].reason).toMatch(/removed: nothing in the current topology needs it/);
    expect(set.nodes.map((n) => [n.node, n.files.map((f) => f.file)])).toEqual([
      ['cp1', ['kubernetes.pem', 'kubernetes-key.pem']], ['cp2', ['kubernetes.pem', 'kubernetes-key.pem']],
    ]);
  });

  test('a worker removed: its certificate retired, no node receives anything', () => {
    const after = { ...before, nodes: before.nodes.filter((n) => n.name !== 'worker2') };
    const set = computeChanges({ cluster: after, issued, held });
    expect(byKind(set)).toMatchObject({ new: [], outdated: [], retired: ['worker2'] });
    expect(changeOf(set, 'worker2').reason).toMatch(/no file is deleted/);
    expect(set.nodes).toEqual([]);
    expect(set.nothingToDo).toBe(false);
  });

  test('a worker added: its certificate new, the new worker receives its 5 files, nobody else anything', () => {
    const after = { ...before, nodes: [...before.nodes, node('worker3', 'worker', '192.168.56.26')] };
    const set = computeChanges({ cluster: after, issued, held });
    expect(byKind(set)).toMatchObject({ new: ['worker3'], outdated: [], retired: [] });
    expect(set.nodes).toEqual([{ node: 'worker3', files: expect.any(Array) }]);
    expect(set.nodes[0].files.map((f) => `${f.file} ${f.reason}`)).toEqual([
      'ca.pem the node has not received it yet', 'worker3.pem new certificate', 'worker3-key.pem new certificate',
      'kube-proxy.pem the node has not received it yet', 'kube-proxy-key.pem the node has not received it yet',
      'worker3.kubeconfig regenerated: it embeds worker3 (new)', 'kube-proxy.kubeconfig the node has not received it yet',
    ]);
  });

  test('a re-issued certificate regenerates the kubeconfigs that embed it, on every node holding them', () => {
    const after: ClusterInput = { ...before, extraSans: { 'kube-proxy': ['proxy.example.com'] } };
    const set = computeChanges({ cluster: after, issued, held });
    expect(byKind(set).outdated).toEqual(['kube-proxy']);
    expect(set.nodes.map((n) => [n.node, n.files.map((f) => `${f.file} ${f.reason}`)])).toEqual(['worker1', 'worker2'].map((w) => [w, [
      'kube-proxy.pem re-issued: san changed', 'kube-proxy-key.pem re-issued: san changed', 'kube-proxy.kubeconfig regenerated: it embeds kube-proxy (re-issued)',
    ]]));
  });

  test('a file whose rendered content changed (a kubeconfig\'s server) is written because its node holds an earlier version', () => {
    const after = structuredClone(before);
    after.nodes.find((n) => n.role === 'load-balancer')!.addresses = ['192.168.56.30'];
    // the server judges the workers' kubeconfigs stale: they name the old load-balancer address
    const stale = structuredClone(held);
    for (const w of ['worker1', 'worker2']) for (const f of [`${w}.kubeconfig`, 'kube-proxy.kubeconfig']) stale[w][f] = 'stale';
    const set = computeChanges({ cluster: after, issued, held: stale });
    expect(set.nodes.map((n) => [n.node, n.files.map((f) => f.file)])).toEqual([
      ['cp1', ['kubernetes.pem', 'kubernetes-key.pem']], ['cp2', ['kubernetes.pem', 'kubernetes-key.pem']],
      ['worker1', ['worker1.kubeconfig', 'kube-proxy.kubeconfig']], ['worker2', ['worker2.kubeconfig', 'kube-proxy.kubeconfig']],
    ]);
    expect(set.nodes[2].files[0].reason).toBe('the node holds an earlier version');
    // told what the nodes' copies name, the reason is the move itself
    const heldServers = Object.fromEntries(['worker1', 'worker2'].map((w) => [w, { [`${w}.kubeconfig`]: 'https://192.168.56.20:6443', 'kube-proxy.kubeconfig': 'https://192.168.56.20:6443' }]));
    const told = computeChanges({ cluster: after, issued, held: stale, heldServers });
    expect(told.nodes.slice(2).flatMap((n) => n.files.map((f) => `${n.node} ${f.file}: ${f.reason}`))).toEqual(['worker1', 'worker2'].flatMap((w) => [
      `${w} ${w}.kubeconfig: server address changed: load balancer lb moved from 192.168.56.20 to 192.168.56.30`,
      `${w} kube-proxy.kubeconfig: server address changed: load balancer lb moved from 192.168.56.20 to 192.168.56.30`,
    ]));
    // another port (or no load balancer) says both URLs and why the new one
    const port = computeChanges({ cluster: { ...after, apiServerPort: 8443 }, issued, held: stale, heldServers });
    expect(port.nodes.find((n) => n.node === 'worker1')!.files[0].reason)
      .toBe('server address changed: https://192.168.56.20:6443 -> https://192.168.56.30:8443 (load balancer lb: it forwards port 8443 to every API server)');
  });

  test('serverHost reads the host of a server URL, IPv6 in brackets', () => {
    expect(serverHost('https://10.0.0.1:6443')).toBe('10.0.0.1');
    expect(serverHost('https://[fd00::1]:6443')).toBe('fd00::1');
    expect(serverHost('https://api.example.com')).toBe('api.example.com');
    expect(serverHost('not a url')).toBeNull();
  });

  test('subject, validity and key algorithm: every leaf outdated; the CA needs a rotation', () => {
    const after: ClusterInput = { ...before, subject: { ...before.subject, L: 'Salem' }, certValidityHours: 4380, keyAlgorithm: 'ecdsa-p256' };
    const set = computeChanges({ cluster: after, issued, held });
    expect(set.counts.outdated).toBe(9);
    expect(changeOf(set, 'admin').differences.map((d) => d.field)).toEqual(['subject.L', 'keyAlgorithm', 'validity']);
    expect(changeOf(set, 'admin').reason).toMatch(/subject L "Portland" -> "Salem".*key algorithm rsa-2048 -> ecdsa-p256.*validity 8760h -> 4380h/);
    expect(set.ca.change).toBe('rotation-required');
    expect(set.ca.differences.map((d) => d.field)).toEqual(['subject.L', 'keyAlgorithm']);
    expect(set.ca.message).toMatch(/needs a CA rotation/);
    // a new algorithm cannot keep the service-account key
    expect(changeOf(set, 'service-account').newKey).toBe(true);
  });

  test('the service-account pair keeps its key: its key file is not rewritten', () => {
    const after: ClusterInput = { ...before, subject: { ...before.subject, OU: 'Ops' } };
    const set = computeChanges({ cluster: after, issued, held });
    expect(changeOf(set, 'service-account')).toMatchObject({ change: 'outdated', newKey: false });
    const cp1 = set.nodes.find((n) => n.node === 'cp1')!.files.map((f) => f.file);
    expect(cp1).toContain('service-account.pem');
    expect(cp1).not.toContain('service-account-key.pem');
    expect(cp1).toContain('kubernetes-key.pem');
  });

  test('extra SANs and the service CIDR', () => {
    const after: ClusterInput = { ...before, serviceCidr: '10.96.0.0/12', extraSans: { kubernetes: ['api.example.com'] } };
    const diffs = changeOf(computeChanges({ cluster: after, issued, held }), 'kubernetes').differences;
    expect(diffs.map((d) => d.reason)).toEqual([
      'SAN 10.96.0.1 added: first address of the service CIDR 10.96.0.0/12: the ClusterIP of the kubernetes service',
      'SAN api.example.com added: added by the operator',
      'SAN 10.32.0.1 removed: nothing in the current topology needs it',
    ]);
  });

  test('a leaf capped at the CA notAfter stays unchanged while the plan asks for at least as much', () => {
    // a CA with 100 days left signed admin: admin got 100 days instead of 8760 h
    const caEnd = new Date(NOW + 100 * 86_400_000).toISOString();
    const facts = issuedFrom(before).map((f) => (f.name === 'admin' || f.name === 'ca' ? { ...f, notAfter: caEnd } : f));
    const set = computeChanges({ cluster: before, issued: facts, held });
    expect(changeOf(set, 'admin').change).toBe('unchanged');
    // asking for less than it got is a change
    expect(changeOf(computeChanges({ cluster: { ...before, certValidityHours: 24 }, issued: facts, held }), 'admin').differences[0].reason)
      .toBe("validity 2400h -> 24h: the cluster's certificate validity changed");
  });

  test('files a node does not hold in sync are listed with their state', () => {
    const partly = structuredClone(held);
    partly.worker1['kube-proxy.pem'] = 'stale';
    const set = computeChanges({ cluster: before, issued, held: partly });
    expect(set.nothingToDo).toBe(true);
    expect(set.nodes).toEqual([{ node: 'worker1', files: [{ file: 'kube-proxy.pem', certificate: 'kube-proxy', reason: 'the node holds an earlier version' }] }]);
  });

  test('no CA yet: everything new, the CA missing', () => {
    const set = computeChanges({ cluster: before, issued: [] });
    expect(set.ca.change).toBe('missing');
    expect(set.counts.new).toBe(9);
  });
});
