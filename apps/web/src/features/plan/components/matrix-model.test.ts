import { describe, expect, it } from 'vitest';
import { toMatrixGrid } from './matrix-model.ts';

describe('toMatrixGrid', () => {
  it('puts clients down, servers across and certificates in cells', () => {
    const grid = toMatrixGrid([
      { client: 'kubectl (admin)', server: 'kube-apiserver', certificate: 'admin' },
      { client: 'kube-apiserver', server: 'etcd', certificate: 'kubernetes' },
      { client: 'kube-apiserver', server: 'kubelet', certificate: 'kubernetes' },
      { client: 'kubelet', server: 'kube-apiserver', certificate: 'w1' },
      { client: 'kubelet', server: 'kube-apiserver', certificate: 'w2' },
      { client: 'etcd peer', server: 'etcd peer', certificate: 'etcd' },
    ]);
    expect(grid.clients).toEqual(['kubectl (admin)', 'kube-apiserver', 'kubelet', 'etcd peer']);
    expect(grid.servers).toEqual(['kube-apiserver', 'etcd', 'kubelet', 'etcd peer']);
    expect(grid.cells.kubelet['kube-apiserver']).toEqual(['w1', 'w2']);
    expect(grid.cells['kube-apiserver'].etcd).toEqual(['kubernetes']);
    expect(grid.cells['kubectl (admin)'].etcd).toBeUndefined();
  });
});
