import { describe, expect, test } from 'vitest';
import { buildMatrix, identities, matrixRows } from './matrix.ts';
import { hardWayPreset } from './preset.ts';
import { generated, node, withPreset } from './test-topologies.ts';

// The tutorial's "Who talks to whom" table (client | server), in its order.
const TUTORIAL_TABLE = `kubectl (admin) | kube-apiserver
kube-apiserver | etcd
kube-apiserver | kubelet
kubelet | kube-apiserver
kube-proxy | kube-apiserver
kube-scheduler | kube-apiserver
kube-controller-manager | kube-apiserver
etcd peer | etcd peer`;

describe('matrixRows', () => {
  test('the preset has exactly the 8 rows of the tutorial, in its order', () => {
    const rows = matrixRows(hardWayPreset());
    expect(rows).toHaveLength(8);
    expect(rows.map((r) => `${r.client} | ${r.server}`).join('\n')).toBe(TUTORIAL_TABLE);
    expect(rows.map((r) => r.certificates)).toEqual([
      ['admin'], ['kubernetes'], ['kubernetes'], ['worker1', 'worker2'], ['kube-proxy'], ['kube-scheduler'],
      ['kube-controller-manager'], ['etcd'],
    ]);
    expect(rows[3].description).toBe('Kubelet client cert (per node)');
  });

  test('8 rows whatever the topology; the kubelet row follows the workers', () => {
    const big = matrixRows(generated({ controlPlanes: 3, workers: 7 }));
    expect(big).toHaveLength(8);
    expect(big[3].certificates).toHaveLength(7);
    const none = matrixRows(withPreset({ nodes: [node('solo', 'control-plane', '10.1.0.1')] }));
    expect(none).toHaveLength(8);
    expect(none[3].certificates).toEqual([]);
  });
});

describe('buildMatrix (concrete edges, Plan.matrix)', () => {
  test('the preset: one kubelet edge per worker, 9 edges', () => {
    expect(buildMatrix(hardWayPreset())).toEqual([
      { client: 'kubectl (admin)', server: 'kube-apiserver', certificate: 'admin' },
      { client: 'kube-apiserver', server: 'etcd', certificate: 'kubernetes' },
      { client: 'kube-apiserver', server: 'kubelet', certificate: 'kubernetes' },
      { client: 'kubelet (worker1)', server: 'kube-apiserver', certificate: 'worker1' },
      { client: 'kubelet (worker2)', server: 'kube-apiserver', certificate: 'worker2' },
      { client: 'kube-proxy', server: 'kube-apiserver', certificate: 'kube-proxy' },
      { client: 'kube-scheduler', server: 'kube-apiserver', certificate: 'kube-scheduler' },
      { client: 'kube-controller-manager', server: 'kube-apiserver', certificate: 'kube-controller-manager' },
      { client: 'etcd peer', server: 'etcd peer', certificate: 'etcd' },
    ]);
  });

  test('no worker: 7 edges; 500 workers: 507 edges', () => {
    expect(buildMatrix(withPreset({ nodes: [node('solo', 'control-plane', '10.1.0.1')] }))).toHaveLength(7);
    expect(buildMatrix(generated({ controlPlanes: 3, workers: 500 }))).toHaveLength(507);
  });
});

describe('identities', () => {
  test('the tutorial\'s identity table; kube-proxy O is system:node-proxier (the CSR wins over the table\'s "—")', () => {
    const rows = identities(hardWayPreset());
    expect(rows.map((r) => [r.component, r.cn, r.o])).toEqual([
      ['admin', 'admin', 'system:masters'],
      ['kubelet (worker1)', 'system:node:worker1', 'system:nodes'],
      ['kubelet (worker2)', 'system:node:worker2', 'system:nodes'],
      ['kube-proxy', 'system:kube-proxy', 'system:node-proxier'],
      ['kube-scheduler', 'system:kube-scheduler', 'system:kube-scheduler'],
      ['kube-controller-manager', 'system:kube-controller-manager', 'system:kube-controller-manager'],
    ]);
    expect(rows[0].identity).toMatch(/^cluster admin/);
    expect(rows[1].identity).toMatch(/^node identity for RBAC/);
    for (const r of rows) expect(r.identity.length).toBeGreaterThan(10);
  });
});
