import { describe, expect, test } from 'vitest';
import { buildPlan } from './build-plan.ts';
import { kubeletSanGroups, kubeletSanReason, planTalksView, KUBELETS_IN_FULL } from './plan-views.ts';
import { generated } from './test-topologies.ts';

describe('plan views', () => {
  test("a kubelet SAN's reason loses its own node's name only", () => {
    expect(kubeletSanReason('worker w7: the kubelet serves here', 'w7')).toBe('workers: the kubelet serves here');
    expect(kubeletSanReason('worker hostname: the API server calls the kubelet by this name', 'w7')).toBe('worker hostname: the API server calls the kubelet by this name');
    expect(kubeletSanReason('worker w70: x', 'w7')).toBe('worker w70: x');
    const groups = kubeletSanGroups([
      { name: 'a', sans: [{ type: 'dns', value: 'a', reason: 'worker a: named' }, { type: 'ip', value: '10.0.0.1', reason: 'worker a: named' }] },
      { name: 'b', sans: [{ type: 'dns', value: 'b', reason: 'worker b: named' }] },
    ]);
    expect(groups).toEqual([{ reason: 'workers: named', type: 'ip and dns', sans: 3, certificates: 2 }]);
  });

  test('the talks view of 997 workers names them all and carries the first kubelets in full', () => {
    const plan = buildPlan(generated({ controlPlanes: 3, workers: 997 }));
    const v = planTalksView(plan);
    expect(v.kubelets.names).toHaveLength(997);
    expect(v.certificates.filter((c) => c.kind === 'kubelet')).toHaveLength(KUBELETS_IN_FULL);
    expect(v.kubelets.sanGroups.reduce((n, g) => n + g.sans, 0)).toBe(v.kubelets.sans);
    expect(JSON.stringify(v).length).toBeLessThan(JSON.stringify(plan).length / 20);
  });
});
