import { describe, expect, test } from 'vitest';
import { apiServerEndpoint, buildLinks } from './link-topology.ts';
import { hardWayPreset } from './preset.ts';
import { generated, node, withPreset } from './test-topologies.ts';

const count = (links: ReturnType<typeof buildLinks>, row: number) => links.filter((l) => l.row === row).length;

describe('the links of a topology', () => {
  test('the preset: 24 links, kubelets and kube-proxy through the load balancer to each control-plane node', () => {
    const links = buildLinks(hardWayPreset());
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((r) => count(links, r))).toEqual([2, 4, 4, 4, 4, 2, 2, 2]);
    const kubelet = links.filter((l) => l.row === 3 && l.clientNode === 'worker1');
    expect(kubelet.map((l) => [l.client, l.serverNode, l.address, l.port, l.certificate])).toEqual([
      ['kubelet (worker1)', 'cp1', '192.168.56.20', 6443, 'worker1'],
      ['kubelet (worker1)', 'cp2', '192.168.56.20', 6443, 'worker1'],
    ]);
    expect(kubelet[0].clientEnd).toEqual({ filesOn: 'worker1', cert: 'worker1.pem', key: 'worker1-key.pem', ca: 'ca.pem', who: 'kubelet on worker1' });
    expect(kubelet[0].serverEnd).toMatchObject({ filesOn: 'cp1', cert: 'kubernetes.pem', key: 'kubernetes-key.pem', ca: 'ca.pem' });
    expect(kubelet[0].identity).toEqual({ kind: 'node', node: 'worker1' });
    expect(new Set(links.map((l) => l.id)).size).toBe(links.length);
  });

  test('the API server dials etcd and kubelets at their first address; etcd peers dial each other', () => {
    const links = buildLinks(hardWayPreset());
    expect(links.filter((l) => l.row === 1).map((l) => `${l.clientNode}>${l.serverNode}@${l.address}:${l.port}`))
      .toEqual(['cp1>cp1@192.168.56.21:2379', 'cp1>cp2@192.168.56.22:2379', 'cp2>cp1@192.168.56.21:2379', 'cp2>cp2@192.168.56.22:2379']);
    expect(links.filter((l) => l.row === 7).map((l) => `${l.clientNode}>${l.serverNode}@${l.address}:${l.port}`))
      .toEqual(['cp1>cp2@192.168.56.22:2380', 'cp2>cp1@192.168.56.21:2380']);
    const toKubelet = links.find((l) => l.row === 2 && l.serverNode === 'worker2')!;
    expect([toKubelet.address, toKubelet.port, toKubelet.serverEnd.cert]).toEqual(['192.168.56.24', 10250, 'worker2.pem']);
    expect(toKubelet.needs[0]).toMatch(/system:kubelet-api-admin/);
  });

  test('admin, scheduler and controller-manager dial 127.0.0.1 on their node; admin uses the operator\'s files', () => {
    const links = buildLinks(hardWayPreset()).filter((l) => [0, 5, 6].includes(l.row));
    expect(links.every((l) => l.address === '127.0.0.1' && l.clientNode === l.serverNode)).toBe(true);
    expect(links.find((l) => l.row === 0)!.clientEnd.filesOn).toBeNull();
    expect(links.find((l) => l.row === 5)!.identity).toMatchObject({ kind: 'user', user: 'system:kube-scheduler' });
  });

  test('the cluster\'s apiServerPort is the port every client of the API servers dials', () => {
    const links = buildLinks({ ...hardWayPreset(), apiServerPort: 8443 });
    expect([...new Set(links.filter((l) => l.server === 'kube-apiserver').map((l) => l.port))]).toEqual([8443]);
    expect([...new Set(links.filter((l) => l.server !== 'kube-apiserver').map((l) => l.port))].sort()).toEqual([10250, 2379, 2380]);
  });

  test('without a load balancer, workers dial the first control-plane node only', () => {
    const cluster = withPreset({ nodes: [node('a', 'control-plane', '10.0.0.1'), node('b', 'control-plane', '10.0.0.2'), node('w', 'worker', '10.0.0.3')] });
    expect(apiServerEndpoint(cluster)).toEqual({ address: '10.0.0.1', behind: ['a'] });
    expect(buildLinks(cluster).filter((l) => l.row === 3).map((l) => l.serverNode)).toEqual(['a']);
  });

  test('3 control-plane nodes and 500 workers: 4524 links; IPv6 addresses are dialed as they are', () => {
    const links = buildLinks(generated({ controlPlanes: 3, workers: 500, loadBalancers: 1 }));
    expect(links.length).toBe(3 + 9 + 1500 + 1500 + 1500 + 3 + 3 + 6);
    const v6 = buildLinks(generated({ controlPlanes: 1, workers: 1, loadBalancers: 1, ipv6: true }));
    expect(v6.find((l) => l.row === 3)!.address).toMatch(/^fd00::/);
  });
});
