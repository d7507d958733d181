import { describe, expect, it } from 'vitest';
import type { MatrixEdge } from '@kpki/shared';
import { groupEdges, toMatrixGrid } from './matrix-model.ts';

/** The plan's matrix for the tutorial's preset: one kubelet edge per worker. */
const PRESET_EDGES: MatrixEdge[] = [
  { client: 'kubectl (admin)', server: 'kube-apiserver', certificate: 'admin' },
  { client: 'kube-apiserver', server: 'etcd', certificate: 'kubernetes' },
  { client: 'kube-apiserver', server: 'kubelet', certificate: 'kubernetes' },
  { client: 'kubelet (worker1)', server: 'kube-apiserver', certificate: 'worker1' },
  { client: 'kubelet (worker2)', server: 'kube-apiserver', certificate: 'worker2' },
  { client: 'kube-proxy', server: 'kube-apiserver', certificate: 'kube-proxy' },
  { client: 'kube-scheduler', server: 'kube-apiserver', certificate: 'kube-scheduler' },
  { client: 'kube-controller-manager', server: 'kube-apiserver', certificate: 'kube-controller-manager' },
  { client: 'etcd peer', server: 'etcd peer', certificate: 'etcd' },
];

describe('groupEdges', () => {
  it("gives the eight rows of the tutorial's table for the preset", () => {
    const rows = groupEdges(PRESET_EDGES);
    expect(rows).toHaveLength(8);
    expect(rows[3]).toEqual({ client: 'kubelet (worker1, worker2)', server: 'kube-apiserver', certificates: ['worker1', 'worker2'] });
    expect(rows[0]).toEqual({ client: 'kubectl (admin)', server: 'kube-apiserver', certificates: ['admin'] });
  });
  it('keeps a single worker as it is', () => {
    expect(groupEdges([PRESET_EDGES[3]])).toEqual([{ client: 'kubelet (worker1)', server: 'kube-apiserver', certificates: ['worker1'] }]);
  });
});

describe('toMatrixGrid', () => {
  it('puts clients down, servers across and certificates in cells', () => {
    const grid = toMatrixGrid(PRESET_EDGES);
    expect(grid.clients).toHaveLength(7);
    expect(grid.servers).toEqual(['kube-apiserver', 'etcd', 'kubelet', 'etcd peer']);
    expect(grid.cells['kubelet (worker1, worker2)']['kube-apiserver']).toEqual(['worker1', 'worker2']);
    expect(grid.cells['kube-apiserver'].etcd).toEqual(['kubernetes']);
    expect(grid.cells['kubectl (admin)'].etcd).toBeUndefined();
    const filled = Object.values(grid.cells).reduce((n, row) => n + Object.keys(row).length, 0);
    expect(filled).toBe(8);
  });
});
