import { describe, expect, it } from 'vitest';
import { matrixRows } from '@kpki/shared/matrix';
import { hardWayPreset } from '@kpki/shared/preset';
import { buildCatalog } from '@kpki/shared/catalog';
import { generated } from '@kpki/shared/test-topologies';
import { displayRows, groupSans, INLINE_NAMES, sanReasonGroup, searchNames, toMatrixGrid } from './matrix-model.ts';

const ROWS = matrixRows(hardWayPreset());

describe('displayRows', () => {
  it("gives the eight rows of the tutorial's table for the preset, the kubelet row naming its workers", () => {
    const rows = displayRows(ROWS);
    expect(rows).toHaveLength(8);
    expect(rows[3]).toEqual({ client: 'kubelet (worker1, worker2)', server: 'kube-apiserver', certificates: ['worker1', 'worker2'], grouped: false });
    expect(rows[0]).toEqual({ client: 'kubectl (admin)', server: 'kube-apiserver', certificates: ['admin'], grouped: false });
  });
  it('leaves a cluster without workers with a plain kubelet row and no certificate', () => {
    expect(displayRows([{ ...ROWS[3], certificates: [] }])[0]).toEqual({ client: 'kubelet', server: 'kube-apiserver', certificates: [], grouped: false });
  });
  it(`names up to ${INLINE_NAMES} workers inline; more make a group that says how many and names none`, () => {
    const ten = displayRows(matrixRows(generated({ controlPlanes: 1, workers: INLINE_NAMES })))[3];
    expect(ten.grouped).toBe(false);
    expect(ten.client.split(', ')).toHaveLength(INLINE_NAMES);
    const big = displayRows(matrixRows(generated({ controlPlanes: 3, workers: 997 })));
    expect(big[3]).toMatchObject({ client: '997 kubelets', server: 'kube-apiserver', grouped: true });
    expect(big[3].certificates).toHaveLength(997);
    // no other row grows with the fleet
    for (const [i, r] of big.entries()) if (i !== 3) expect(r).toMatchObject({ grouped: false, certificates: ROWS[i].certificates });
    expect(displayRows(matrixRows(generated({ controlPlanes: 1, workers: 1 })))[3].client).toMatch(/^kubelet \(/);
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

describe('toMatrixGrid at scale', () => {
  it('marks the kubelet client of a 1,000-node cluster as a group', () => {
    const grid = toMatrixGrid(matrixRows(generated({ controlPlanes: 3, workers: 997 })));
    expect(grid.clients).toContain('997 kubelets');
    expect([...grid.grouped]).toEqual(['997 kubelets']);
    expect(grid.cells['997 kubelets']['kube-apiserver']).toHaveLength(997);
    expect(toMatrixGrid(ROWS).grouped.size).toBe(0);
  });
});

describe('searchNames', () => {
  const names = Array.from({ length: 997 }, (_, i) => `worker${i + 1}`);
  it('shows at most 20 names, with how many match', () => {
    expect(searchNames(names, '')).toEqual({ shown: names.slice(0, 20), total: 997 });
    expect(searchNames(names, 'worker1').total).toBe(1 + 10 + 100); // worker1, worker10-19, worker100-199
  });
  it('puts the exact name first and ignores case and spaces', () => {
    const r = searchNames(names, '  WORKER42 ');
    expect(r.shown[0]).toBe('worker42');
    expect(r.shown).toEqual(['worker42', ...Array.from({ length: 10 }, (_, i) => `worker42${i}`)]);
    expect(searchNames(names, 'nope')).toEqual({ shown: [], total: 0 });
  });
});

describe('SAN groups', () => {
  it("follow the catalog's wording: SANs of many control-plane nodes group under one reason", () => {
    const cluster = generated({ controlPlanes: 40, workers: 2, loadBalancers: 2 });
    const api = buildCatalog(cluster).find((c) => c.kind === 'kube-apiserver')!;
    const groups = groupSans(api.sans);
    const cp = groups.find((g) => g.reason.startsWith('control-plane nodes: '));
    expect(cp?.values).toHaveLength(40);
    expect(groups.find((g) => g.reason.startsWith('load balancers: '))?.values).toHaveLength(2);
    // every SAN is in exactly one group, and the groups are few
    expect(groups.reduce((n, g) => n + g.values.length, 0)).toBe(api.sans.length);
    expect(groups.length).toBeLessThanOrEqual(6);
    const etcd = groupSans(buildCatalog(cluster).find((c) => c.kind === 'etcd')!.sans);
    expect(etcd.map((g) => [g.reason.split(':')[0], g.type, g.values.length])).toEqual([
      ['control-plane nodes', 'dns', 40], ['control-plane nodes', 'ip', 40], ['localhost', 'ip', 1],
    ]);
  });
  it('keep a reason that names no node as it is', () => {
    expect(sanReasonGroup('DNS name pods use inside the cluster')).toBe('DNS name pods use inside the cluster');
    expect(sanReasonGroup('control-plane node cp7: an API server runs here')).toBe('control-plane nodes: an API server runs here');
  });
});
