import { describe, expect, test } from 'vitest';
import { buildCatalog } from './catalog.ts';
import { buildFiles, bundleFiles, holdsCaKey, receivingNodes, underCaKeyRule } from './distribution.ts';
import { buildPlan } from './build-plan.ts';
import { buildEncryptionConfig, buildKubeconfigs } from './kubeconfigs.ts';
import type { ClusterInput } from './api/cluster.ts';
import { hardWayPreset } from './preset.ts';
import { generated, node, withPreset } from './test-topologies.ts';

const filesOf = (cluster: ClusterInput) => buildFiles(cluster, buildCatalog(cluster));
const names = (files: { file: string }[]) => files.map((f) => f.file);
const pems = (files: { file: string }[]) => names(files).filter((f) => f.endsWith('.pem'));
const CP_CONFIGS = ['kube-controller-manager.kubeconfig', 'kube-scheduler.kubeconfig', 'admin.kubeconfig', 'encryption-config.yaml'];

// Literal text of the tutorial (module 07), section 14 ("scp ... ${node}:~/") and section 13 (ls -1 *.pem).
const CONTROL_PLANE_SCP = `ca.pem ca-key.pem \\
kubernetes.pem kubernetes-key.pem \\
etcd.pem etcd-key.pem \\
service-account.pem service-account-key.pem \\
kube-controller-manager.pem kube-controller-manager-key.pem \\
kube-scheduler.pem kube-scheduler-key.pem`;
const WORKER1_SCP = 'ca.pem worker1.pem worker1-key.pem kube-proxy.pem kube-proxy-key.pem';
const WORKER2_SCP = 'ca.pem worker2.pem worker2-key.pem kube-proxy.pem kube-proxy-key.pem';
const LS_PEM = `admin-key.pem
admin.pem
ca-key.pem
ca.pem
etcd-key.pem
etcd.pem
kube-controller-manager-key.pem
kube-controller-manager.pem
kube-proxy-key.pem
kube-proxy.pem
kube-scheduler-key.pem
kube-scheduler.pem
kubernetes-key.pem
kubernetes.pem
service-account-key.pem
service-account.pem
worker1-key.pem
worker1.pem
worker2-key.pem
worker2.pem`;
const words = (text: string) => text.split(/[\s\\]+/).filter(Boolean);

describe('the tutorial preset', () => {
  const files = filesOf(hardWayPreset());

  test('every node is a key; control-plane 12 .pem files, workers 5 (ls ~/*.pem), lb 0', () => {
    expect(Object.keys(files)).toEqual(['cp1', 'cp2', 'lb', 'worker1', 'worker2']);
    expect(Object.fromEntries(Object.entries(files).map(([n, f]) => [n, pems(f).length]))).toEqual({
      cp1: 12, cp2: 12, lb: 0, worker1: 5, worker2: 5,
    });
    expect(Object.fromEntries(Object.entries(files).map(([n, f]) => [n, f.length]))).toEqual({
      cp1: 16, cp2: 16, lb: 0, worker1: 7, worker2: 7,
    });
  });

  test('files and order are the tutorial\'s scp lines, then the kubeconfigs and the encryption config', () => {
    expect(names(files.cp1)).toEqual([...words(CONTROL_PLANE_SCP), ...CP_CONFIGS]);
    expect(names(files.cp2)).toEqual([...words(CONTROL_PLANE_SCP), ...CP_CONFIGS]);
    expect(names(files.worker1)).toEqual([...words(WORKER1_SCP), 'worker1.kubeconfig', 'kube-proxy.kubeconfig']);
    expect(names(files.worker2)).toEqual([...words(WORKER2_SCP), 'worker2.kubeconfig', 'kube-proxy.kubeconfig']);
    expect(files.lb).toEqual([]);
  });

  test('keys, kubeconfigs and the encryption config 0600, certificates 0644, each file tied to what it holds', () => {
    for (const f of Object.values(files).flat()) {
      expect(f.mode).toBe(f.part === 'cert' ? '0644' : '0600');
      if (f.part === 'cert' || f.part === 'key') expect(f.file).toBe(f.part === 'key' ? `${f.certificate}-key.pem` : `${f.certificate}.pem`);
    }
    expect(files.worker1.find((f) => f.file === 'worker1.kubeconfig')).toEqual({
      file: 'worker1.kubeconfig', mode: '0600', certificate: 'worker1', part: 'kubeconfig', kubeconfig: 'worker1',
    });
    expect(files.cp1.find((f) => f.file === 'encryption-config.yaml')).toEqual({
      file: 'encryption-config.yaml', mode: '0600', certificate: null, part: 'encryption-config',
    });
    expect(files.worker1.find((f) => f.file === 'worker1-key.pem')).toEqual({
      file: 'worker1-key.pem', mode: '0600', certificate: 'worker1', part: 'key',
    });
  });

  test('the bundle holds the 20 files of the tutorial\'s ls -1 *.pem, then the 6 pushed kubeconfigs and the encryption config', () => {
    const preset = hardWayPreset();
    const catalog = buildCatalog(preset);
    expect(bundleFiles(catalog)).toHaveLength(20);
    const bundle = bundleFiles(catalog, { kubeconfigs: buildKubeconfigs(preset, catalog), encryptionConfig: buildEncryptionConfig(preset) });
    expect(pems(bundle).sort()).toEqual(LS_PEM.split('\n').sort());
    expect(names(bundle).slice(0, 4)).toEqual(['ca.pem', 'ca-key.pem', 'admin.pem', 'admin-key.pem']);
    expect(names(bundle).slice(20)).toEqual([
      'worker1.kubeconfig', 'worker2.kubeconfig', 'kube-proxy.kubeconfig', 'kube-controller-manager.kubeconfig',
      'kube-scheduler.kubeconfig', 'admin.kubeconfig', 'encryption-config.yaml',
    ]);
  });

  test('the CA key rule covers ca-key.pem and the admin kubeconfigs, nothing else', () => {
    const all = Object.values(files).flat();
    expect(all.filter(underCaKeyRule).map((f) => f.file).sort()).toEqual(['admin.kubeconfig', 'admin.kubeconfig', 'ca-key.pem', 'ca-key.pem']);
  });

  test('with generateConfigFiles false a node holds its .pem files only', () => {
    const off = filesOf({ ...hardWayPreset(), generateConfigFiles: false });
    for (const [node, list] of Object.entries(off)) expect(names(list), node).toEqual(pems(files[node]));
  });
});

describe('least privilege', () => {
  const shapes: Record<string, ClusterInput> = {
    preset: hardWayPreset(),
    '3 cp, 2 lb, 6 workers': generated({ controlPlanes: 3, workers: 6, loadBalancers: 2 }),
  };

  test.each(Object.entries(shapes))('%s: no worker gets ca-key.pem, another worker\'s key or a control-plane key', (_, cluster) => {
    const files = filesOf(cluster);
    const workers = cluster.nodes.filter((n) => n.role === 'worker').map((n) => n.name);
    expect(workers.length).toBeGreaterThan(1);
    for (const w of workers) {
      const keys = files[w].filter((f) => f.part === 'key').map((f) => f.file);
      expect(keys).toEqual([`${w}-key.pem`, 'kube-proxy-key.pem']);
      expect(names(files[w])).not.toContain('ca-key.pem');
    }
  });

  test.each(Object.entries(shapes))('%s: the admin credential is on control-plane nodes only, in admin.kubeconfig; load balancers hold nothing', (_, cluster) => {
    const files = filesOf(cluster);
    const all = Object.values(files).flat();
    expect(all.length).toBeGreaterThan(0);
    expect(all.filter((f) => f.certificate === 'admin' && f.part !== 'kubeconfig')).toEqual([]);
    const holders = Object.entries(files).filter(([, list]) => list.some((f) => f.certificate === 'admin')).map(([n]) => n);
    expect(holders).toEqual(cluster.nodes.filter((n) => n.role === 'control-plane').map((n) => n.name));
    for (const lb of cluster.nodes.filter((n) => n.role === 'load-balancer')) expect(files[lb.name]).toEqual([]);
  });

  test('every control-plane node of 3 gets the same 16 files, every worker of 6 its own 7', () => {
    const files = filesOf(shapes['3 cp, 2 lb, 6 workers']);
    for (const cp of ['cp-0', 'cp-1', 'cp-2']) expect(names(files[cp])).toEqual([...words(CONTROL_PLANE_SCP), ...CP_CONFIGS]);
    expect(names(files['w-5'])).toEqual(['ca.pem', 'w-5.pem', 'w-5-key.pem', 'kube-proxy.pem', 'kube-proxy-key.pem', 'w-5.kubeconfig', 'kube-proxy.kubeconfig']);
  });

  test('a control-plane node with extra SANs still gets 12 .pem files; a cluster with no worker has no worker files', () => {
    const cluster = withPreset({ nodes: [node('solo', 'control-plane', '10.1.0.1')], extraSans: { kubernetes: ['api.example.com'] } });
    expect(Object.keys(filesOf(cluster))).toEqual(['solo']);
    expect(pems(filesOf(cluster).solo)).toHaveLength(12);
    expect(filesOf(cluster).solo).toHaveLength(16);
  });

  test('500 workers: 503 nodes, 5 .pem files and 2 kubeconfigs per worker (count sanity)', () => {
    const cluster = generated({ controlPlanes: 3, workers: 500 });
    const files = filesOf(cluster);
    expect(Object.keys(files)).toHaveLength(503);
    expect(cluster.nodes.filter((n) => n.role === 'worker').every((n) => files[n.name].length === 7 && pems(files[n.name]).length === 5)).toBe(true);
    expect(bundleFiles(buildCatalog(cluster))).toHaveLength(2 * 508);
  });
});

describe('holdsCaKey and receivingNodes: what the web and the bundles read from plan.files', () => {
  const files = buildPlan(hardWayPreset()).files;

  test('only control-plane nodes hold ca-key.pem', () => {
    expect(Object.keys(files).filter((n) => holdsCaKey(files[n]))).toEqual(['cp1', 'cp2']);
  });

  test('every node but the load balancer receives files, in topology order', () => {
    expect(receivingNodes(files)).toEqual(['cp1', 'cp2', 'worker1', 'worker2']);
  });
});
