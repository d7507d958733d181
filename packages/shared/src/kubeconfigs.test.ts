import { describe, expect, test } from 'vitest';
import { buildCatalog } from './catalog.ts';
import { buildEncryptionConfig, buildKubeconfigs, configSettings, serverUrl } from './kubeconfigs.ts';
import type { ClusterInput } from './api/cluster.ts';
import { hardWayPreset } from './preset.ts';
import { generated, node, withPreset } from './test-topologies.ts';

const kubeconfigsOf = (cluster: ClusterInput) => buildKubeconfigs(cluster, buildCatalog(cluster));
const byName = (cluster: ClusterInput) => Object.fromEntries(kubeconfigsOf(cluster).map((k) => [k.name, k]));

describe('the tutorial preset (module 08)', () => {
  const k = byName(hardWayPreset());

  test('one kubeconfig per identity, in the tutorial\'s order, then the workstation\'s', () => {
    expect(kubeconfigsOf(hardWayPreset()).map((x) => [x.name, x.file])).toEqual([
      ['worker1', 'worker1.kubeconfig'],
      ['worker2', 'worker2.kubeconfig'],
      ['kube-proxy', 'kube-proxy.kubeconfig'],
      ['kube-controller-manager', 'kube-controller-manager.kubeconfig'],
      ['kube-scheduler', 'kube-scheduler.kubeconfig'],
      ['admin', 'admin.kubeconfig'],
      ['admin-workstation', 'admin.kubeconfig'],
    ]);
  });

  test('users and groups are the certificates\' CN and O', () => {
    expect([k.worker1.user, k.worker1.groups]).toEqual(['system:node:worker1', ['system:nodes']]);
    expect([k['kube-proxy'].user, k['kube-proxy'].groups]).toEqual(['system:kube-proxy', ['system:node-proxier']]);
    expect(k['kube-controller-manager'].user).toBe('system:kube-controller-manager');
    expect(k['kube-scheduler'].user).toBe('system:kube-scheduler');
    expect([k.admin.user, k.admin.groups]).toEqual(['admin', ['system:masters']]);
    expect(k['admin-workstation'].certificate).toBe('admin');
    for (const x of Object.values(k)) expect(x.embeds).toEqual(['ca', x.certificate]);
  });

  test('workers and the workstation go through the load balancer, control-plane components through 127.0.0.1', () => {
    for (const name of ['worker1', 'worker2', 'kube-proxy', 'admin-workstation']) {
      expect(k[name].server, name).toBe('https://192.168.56.20:6443');
      expect(k[name].serverReason, name).toContain('load balancer lb');
    }
    for (const name of ['kube-controller-manager', 'kube-scheduler', 'admin']) {
      expect(k[name].server, name).toBe('https://127.0.0.1:6443');
      expect(k[name].serverAddress, name).toBe('127.0.0.1');
      expect(k[name].serverReason, name).toContain('its own node');
    }
  });

  test('cluster entry kubernetes-the-hard-way, context default on nodes and the cluster\'s name on the workstation', () => {
    for (const x of Object.values(k)) expect(x.cluster).toBe('kubernetes-the-hard-way');
    expect(Object.values(k).filter((x) => x.context !== 'default').map((x) => [x.name, x.context])).toEqual([['admin-workstation', 'kubernetes-the-hard-way']]);
  });

  test('recipients: each worker its own, kube-proxy every worker, the rest every control-plane node, the workstation none', () => {
    expect(k.worker1.recipients).toEqual(['worker1']);
    expect(k['kube-proxy'].recipients).toEqual(['worker1', 'worker2']);
    for (const name of ['kube-controller-manager', 'kube-scheduler', 'admin']) expect(k[name].recipients).toEqual(['cp1', 'cp2']);
    expect(k['admin-workstation'].recipients).toEqual([]);
  });

  test('every kubeconfig has its reasons', () => {
    for (const x of Object.values(k)) {
      expect(x.reason.length, x.name).toBeGreaterThan(20);
      expect(x.serverReason.length, x.name).toBeGreaterThan(20);
      expect(x.usedBy.length, x.name).toBeGreaterThan(3);
    }
  });

  test('the encryption config goes to every control-plane node, with its reason', () => {
    expect(buildEncryptionConfig(hardWayPreset())).toEqual({
      file: 'encryption-config.yaml', recipients: ['cp1', 'cp2'], reason: expect.stringContaining('aescbc'),
    });
  });
});

describe('settings', () => {
  test('defaults: port 6443, the cluster\'s name, generated', () => {
    const { apiServerPort: _p, kubeconfigClusterName: _n, generateConfigFiles: _g, ...bare } = hardWayPreset();
    expect(configSettings(bare)).toEqual({ apiServerPort: 6443, kubeconfigClusterName: 'hard-way', generateConfigFiles: true });
    expect(kubeconfigsOf(bare)).toHaveLength(7);
    expect(kubeconfigsOf(bare)[0].cluster).toBe('hard-way');
  });

  test('another port and cluster name are used everywhere', () => {
    const k = byName(withPreset({ apiServerPort: 8443, kubeconfigClusterName: 'prod' }));
    expect(k.worker1.server).toBe('https://192.168.56.20:8443');
    expect(k.admin.server).toBe('https://127.0.0.1:8443');
    expect(k['admin-workstation'].context).toBe('prod');
    expect(k['kube-scheduler'].cluster).toBe('prod');
  });

  test('switched off: no kubeconfig, no encryption config', () => {
    const off = withPreset({ generateConfigFiles: false });
    expect(kubeconfigsOf(off)).toEqual([]);
    expect(buildEncryptionConfig(off)).toBeNull();
  });
});

describe('topologies', () => {
  test('without a load balancer the first control-plane address is used, and the plan says why', () => {
    const k = byName(generated({ controlPlanes: 2, workers: 1 }));
    expect(k['w-0'].server).toBe(`https://${k['w-0'].serverAddress}:6443`);
    expect(k['w-0'].serverAddress).toBe('10.0.0.11');
    expect(k['w-0'].serverReason).toMatch(/no load-balancer node.*cp-0/);
    expect(k['admin-workstation'].serverAddress).toBe('10.0.0.11');
  });

  test('two load balancers: the first one, and the reason says so', () => {
    const k = byName(generated({ controlPlanes: 1, workers: 1, loadBalancers: 2 }));
    expect(k['kube-proxy'].serverReason).toContain('lb-0 (the first of 2 load balancers)');
  });

  test('IPv6 addresses are bracketed in the server URL', () => {
    const k = byName(generated({ controlPlanes: 1, workers: 1, ipv6: true }));
    expect(k['w-0'].server).toMatch(/^https:\/\/\[fd00::[0-9a-f]+\]:6443$/);
    expect(serverUrl('fd00::1', 6443)).toBe('https://[fd00::1]:6443');
    expect(serverUrl('10.0.0.1', 443)).toBe('https://10.0.0.1:443');
  });

  test('a single control-plane node and no worker: the control-plane kubeconfigs and the workstation\'s', () => {
    const cluster = withPreset({ nodes: [node('solo', 'control-plane', '10.1.0.1')] });
    expect(kubeconfigsOf(cluster).map((x) => x.name)).toEqual(['kube-proxy', 'kube-controller-manager', 'kube-scheduler', 'admin', 'admin-workstation']);
    expect(byName(cluster)['kube-proxy'].recipients).toEqual([]);
  });

  test('500 workers: 505 kubeconfigs (count sanity)', () => {
    expect(kubeconfigsOf(generated({ controlPlanes: 3, workers: 500 }))).toHaveLength(505);
  });
});
