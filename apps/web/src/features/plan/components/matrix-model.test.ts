import { describe, expect, it } from 'vitest';
import { matrixRows } from '@kpki/shared/matrix';
import { hardWayPreset } from '@kpki/shared/preset';
import { displayRows, toMatrixGrid } from './matrix-model.ts';

const ROWS = matrixRows(hardWayPreset());

describe('displayRows', () => {
  it("gives the eight rows of the tutorial's table for the preset, the kubelet row naming its workers", () => {
    const rows = displayRows(ROWS);
    expect(rows).toHaveLength(8);
    expect(rows[3]).toEqual({ client: 'kubelet (worker1, worker2)', server: 'kube-apiserver', certificates: ['worker1', 'worker2'] });
    expect(rows[0]).toEqual({ client: 'kubectl (admin)', server: 'kube-apiserver', certificates: ['admin'] });
  });
  it('leaves a cluster without workers with a plain kubelet row and no certificate', () => {
    expect(displayRows([{ ...ROWS[3], certificates: [] }])[0]).toEqual({ client: 'kubelet', server: 'kube-apiserver', certificates: [] });
  });
});

describe('toMatrixGrid', () => {
  it('puts clients down, servers across and certificates in cells', () => {
    const grid = toMatrixGrid(ROWS);
    expect(grid.clients).toHaveLength(7);
    expect(grid.servers).toEqual(['kube-apiserver', 'etcd', 'kubelet', 'etcd peer']);
    expect(grid.cells['kubelet (worker1, worker2)']['kube-apiserver']).toEqual(['worker1', 'worker2']);
    expect(grid.cells['kube-apiserver'].etcd).toEqual(['kubernetes']);
    expect(grid.cells['kubectl (admin)'].etcd).toBeUndefined();
    const filled = Object.values(grid.cells).reduce((n, row) => n + Object.keys(row).length, 0);
    expect(filled).toBe(8);
    // each cell knows its row of the plan (where the link check's verdicts of that kind go)
    expect(grid.rowOf['kubelet (worker1, worker2)']['kube-apiserver']).toBe(3);
    expect(grid.rowOf['etcd peer']['etcd peer']).toBe(7);
  });
});
