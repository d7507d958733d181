/**
 * The tutorial's topology (Kubernetes The Hard Way, module 07) as a cluster body. This file is
 * the only place outside tests where its names and addresses appear: everything else reads
 * them from the cluster.
 */
import type { ClusterInput } from './api/cluster.ts';

/**
 * A fresh copy of the tutorial's cluster: cp1, cp2 (control-plane), lb (load-balancer),
 * worker1, worker2 on 192.168.56.20-24, service CIDR 10.32.0.0/24, domain cluster.local,
 * RSA 2048, CA 43800h, leaves 8760h, subject C=US ST=Oregon L=Portland
 * OU="Kubernetes The Hard Way"; kubeconfigs for the cluster "kubernetes-the-hard-way" on port
 * 6443 (the tutorial's next module), generated. No SSH settings and no extra SANs. Expiry thresholds:
 * the defaults (warning 30 days, critical 7 days).
 */
export function hardWayPreset(): ClusterInput {
  return {
    name: 'hard-way',
    serviceCidr: '10.32.0.0/24',
    clusterDomain: 'cluster.local',
    keyAlgorithm: 'rsa-2048',
    caValidityHours: 43800,
    certValidityHours: 8760,
    subject: { C: 'US', ST: 'Oregon', L: 'Portland', OU: 'Kubernetes The Hard Way' },
    expiryWarningDays: 30,
    expiryCriticalDays: 7,
    nodes: [
      { name: 'cp1', role: 'control-plane', addresses: ['192.168.56.21'] },
      { name: 'cp2', role: 'control-plane', addresses: ['192.168.56.22'] },
      { name: 'lb', role: 'load-balancer', addresses: ['192.168.56.20'] },
      { name: 'worker1', role: 'worker', addresses: ['192.168.56.23'] },
      { name: 'worker2', role: 'worker', addresses: ['192.168.56.24'] },
    ],
    apiServerPort: 6443,
    kubeconfigClusterName: 'kubernetes-the-hard-way',
    generateConfigFiles: true,
  };
}
