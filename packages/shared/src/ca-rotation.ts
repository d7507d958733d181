/**
 * CA rotation (issue 13), pure: which files a phase changes, and the order in which components
 * are restarted after each phase (the Kubernetes documentation's manual CA rotation: etcd members
 * one at a time, then the API servers one at a time, then controller-manager and scheduler, then
 * kubelets and kube-proxy). Topology is data: the nodes come from the cluster.
 */
import type { ClusterInput } from './api/cluster.ts';
import type { RestartStep } from './api/ca-rotation.ts';
import type { PlannedFile } from './plan.ts';
import { configSettings } from './kubeconfigs.ts';

/**
 * The files a phase changes on a node. `trust`: the trust files (ca.pem and every kubeconfig's CA
 * data), what prepare, finalize and an abort after prepare change; `leaves`: every certificate,
 * key and kubeconfig (switch, and an abort after switch); the encryption config never changes.
 */
export function changedByPhase(kind: 'trust' | 'leaves', f: Pick<PlannedFile, 'file' | 'part'>): boolean {
  if (kind === 'trust') return f.file === 'ca.pem' || f.part === 'kubeconfig';
  return f.part !== 'encryption-config';
}

/**
 * What to restart after a phase's files are on the nodes, in order, with the command on each node
 * (the systemd units as Kubernetes the Hard Way names them) and what to check before going on.
 * Commands run in the node's folder (the files kpki wrote).
 */
export function restartOrder(cluster: ClusterInput): RestartStep[] {
  const cps = cluster.nodes.filter((n) => n.role === 'control-plane').map((n) => n.name);
  const workers = cluster.nodes.filter((n) => n.role === 'worker').map((n) => n.name);
  const port = configSettings(cluster).apiServerPort;
  const steps: Array<Omit<RestartStep, 'step'>> = [];
  if (cps.length) {
    steps.push({
      component: 'etcd', nodes: cps, oneAtATime: true,
      command: 'sudo systemctl restart etcd',
      check: 'ETCDCTL_API=3 etcdctl endpoint health --cluster --endpoints=https://127.0.0.1:2379 --cacert=ca.pem --cert=kubernetes.pem --key=kubernetes-key.pem ' +
        '(every member healthy, the quorum kept) before the next member',
    });
    steps.push({
      component: 'kube-apiserver', nodes: cps, oneAtATime: true,
      command: 'sudo systemctl restart kube-apiserver',
      check: `kubectl --kubeconfig admin.kubeconfig --server https://127.0.0.1:${port} get --raw /readyz (answers ok) before the next API server`,
    });
    steps.push({
      component: 'kube-controller-manager and kube-scheduler', nodes: cps, oneAtATime: false,
      command: 'sudo systemctl restart kube-controller-manager kube-scheduler',
      check: 'systemctl is-active kube-controller-manager kube-scheduler (both active) and no "x509" in journalctl -u kube-controller-manager -u kube-scheduler --since -5min',
    });
  }
  if (workers.length) {
    steps.push({
      component: 'kubelet and kube-proxy', nodes: workers, oneAtATime: false,
      command: 'sudo systemctl restart kubelet kube-proxy',
      check: 'kubectl --kubeconfig admin.kubeconfig get nodes (every node Ready) and no "x509" in journalctl -u kubelet -u kube-proxy --since -5min',
    });
  }
  return steps.map((s, i) => ({ step: i + 1, ...s }));
}

/** The restart order in words, one line per node and step, for a job's log. */
export function restartOrderLines(steps: RestartStep[]): string[] {
  return steps.map((s) => `${s.step}. ${s.component}${s.oneAtATime ? ', one node at a time' : ''}: on ${s.nodes.join(', ')}: ${s.command}; then check: ${s.check}`);
}
