import { describe, expect, test } from 'vitest';
import { auditSentence } from './audit-words.ts';
import { buildPlan } from './build-plan.ts';
import { changedByPhase, restartOrder, restartOrderLines } from './ca-rotation.ts';
import { hardWayPreset } from './preset.ts';
import { generated } from './test-topologies.ts';

describe('the restart order of a CA rotation phase', () => {
  test('etcd members one at a time, API servers one at a time, controller-manager and scheduler, kubelets and kube-proxy, from the topology', () => {
    const steps = restartOrder(generated({ controlPlanes: 3, workers: 2, loadBalancers: 1 }));
    expect(steps.map((s) => [s.step, s.component, s.nodes.length, s.oneAtATime, s.command])).toEqual([
      [1, 'etcd', 3, true, 'sudo systemctl restart etcd'],
      [2, 'kube-apiserver', 3, true, 'sudo systemctl restart kube-apiserver'],
      [3, 'kube-controller-manager and kube-scheduler', 3, false, 'sudo systemctl restart kube-controller-manager kube-scheduler'],
      [4, 'kubelet and kube-proxy', 2, false, 'sudo systemctl restart kubelet kube-proxy'],
    ]);
    expect(steps[0].check).toContain('etcdctl endpoint health --cluster');
    expect(steps[1].check).toContain('https://127.0.0.1:6443');
    expect(restartOrderLines(steps)[0]).toMatch(/^1\. etcd, one node at a time: on cp-0, cp-1, cp-2: sudo systemctl restart etcd; then check: /);
  });

  test('a cluster without workers has no kubelet step; the API server port is the cluster\'s', () => {
    const c = { ...generated({ controlPlanes: 1, workers: 0 }), apiServerPort: 8443 };
    const steps = restartOrder(c);
    expect(steps.map((s) => s.component)).toEqual(['etcd', 'kube-apiserver', 'kube-controller-manager and kube-scheduler']);
    expect(steps[1].check).toContain('https://127.0.0.1:8443');
  });
});

describe('the files a phase changes', () => {
  test('trust: ca.pem and the kubeconfigs; leaves: everything but the encryption config', () => {
    const plan = buildPlan(hardWayPreset());
    const cp1 = plan.files.cp1;
    expect(cp1.filter((f) => changedByPhase('trust', f)).map((f) => f.file).sort()).toEqual(['admin.kubeconfig', 'ca.pem', 'kube-controller-manager.kubeconfig', 'kube-scheduler.kubeconfig']);
    expect(cp1.filter((f) => !changedByPhase('leaves', f)).map((f) => f.file)).toEqual(['encryption-config.yaml']);
    expect(plan.files.worker1.filter((f) => changedByPhase('trust', f)).map((f) => f.file).sort()).toEqual(['ca.pem', 'kube-proxy.kubeconfig', 'worker1.kubeconfig']);
  });
});

describe('audit words', () => {
  test('a rotation phase reads in words, with the nodes written and where the CA key went', () => {
    const action = 'POST /api/v1/clusters/:cluster/ca-rotation';
    expect(auditSentence({ action, object: 'cluster=lab', details: { phase: 'prepare' }, result: 'ok' })).toBe('started a CA rotation (prepare: trust both CAs) of lab');
    expect(auditSentence({ action, object: 'cluster=lab', details: { phase: 'switch', nodes: ['cp1', 'worker1'], caKeyTo: ['cp1'] }, result: 'ok' }))
      .toBe('switched to the new CA of lab, writing to cp1, worker1 (with the CA key to cp1)');
    expect(auditSentence({ action, object: 'cluster=lab', details: { phase: 'finalize' }, result: 'failed (409)' })).toBe('finalized the CA rotation (trust the new CA alone) of lab (failed (409))');
  });
});
