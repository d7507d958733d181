/**
 * The configuration files of the tutorial's next module, planned from the topology: one
 * kubeconfig per component identity (with the server it reaches and why) and the API server's
 * encryption config. Pure; the content is rendered on the server from the stored certificates.
 */
import type { ClusterInput, ClusterNode } from './api/cluster.ts';
import type { PlannedCertificate, PlannedEncryptionConfig, PlannedKubeconfig } from './plan.ts';
import { LOCALHOST_IP, nodesWithRole } from './catalog.ts';
import { parseIp } from './net.ts';
import { apiServerEndpoint, PORTS } from './link-topology.ts';

/** Default port of the API servers and of the load balancer in front of them. */
export const DEFAULT_API_SERVER_PORT = PORTS.apiServer;
/** Name of the operator's own admin kubeconfig: download only, never pushed. */
export const WORKSTATION_KUBECONFIG = 'admin-workstation';
/** File name of the encryption config on control-plane nodes. */
export const ENCRYPTION_CONFIG_FILE = 'encryption-config.yaml';
/** Context of every kubeconfig pushed to a node, as the tutorial sets it. */
export const NODE_CONTEXT = 'default';

/** File name of the kubeconfig of that name on a node ("worker1" -> "worker1.kubeconfig"). */
export const kubeconfigFileName = (name: string) => `${name}.kubeconfig`;

/**
 * What a generated file of that recorded name is called on a node: the encryption config, a
 * node's kubeconfig, or the workstation admin kubeconfig (never on a node: named as such).
 */
export function generatedFileName(name: string): string {
  if (name === ENCRYPTION_CONFIG_FILE) return name;
  return name === WORKSTATION_KUBECONFIG ? "the workstation's admin.kubeconfig" : kubeconfigFileName(name);
}

/** The cluster's file settings with their defaults filled in. */
export interface ConfigSettings {
  apiServerPort: number;
  kubeconfigClusterName: string;
  generateConfigFiles: boolean;
}

/** apiServerPort (default 6443), kubeconfigClusterName (default the cluster's name), generateConfigFiles (default true). */
export function configSettings(cluster: ClusterInput): ConfigSettings {
  return {
    apiServerPort: cluster.apiServerPort ?? DEFAULT_API_SERVER_PORT,
    kubeconfigClusterName: cluster.kubeconfigClusterName ?? cluster.name,
    generateConfigFiles: cluster.generateConfigFiles ?? true,
  };
}

/** "https://10.0.0.1:6443", "https://[fd00::1]:6443". */
export function serverUrl(address: string, port: number): string {
  return `https://${parseIp(address)?.version === 6 ? `[${address}]` : address}:${port}`;
}

interface Endpoint {
  address: string;
  reason: string;
}

/**
 * Where kubelets, kube-proxy and the operator reach the API servers: apiServerEndpoint (the
 * first load balancer's first address, or without a load balancer the first control-plane
 * node's first address, as the link checks dial it), with the reason.
 */
function externalEndpoint(cluster: ClusterInput, port: number): Endpoint {
  const { address } = apiServerEndpoint(cluster) as { address: string };
  const [lb, ...moreLbs] = nodesWithRole(cluster, 'load-balancer');
  if (lb) {
    const more = moreLbs.length ? ` (the first of ${moreLbs.length + 1} load balancers)` : '';
    return { address, reason: `load balancer ${lb.name}${more}: it forwards port ${port} to every API server` };
  }
  const cp = nodesWithRole(cluster, 'control-plane')[0] as ClusterNode;
  return {
    address,
    reason: `no load-balancer node: the API server of the first control-plane node ${cp.name} is used; add a load balancer to reach every API server`,
  };
}

const loopback = (who: string): Endpoint => ({ address: LOCALHOST_IP, reason: `localhost: ${who} talks to the API server on its own node` });

/**
 * Every kubeconfig of the cluster, in the tutorial's order: one per worker
 * ("<worker>.kubeconfig", user system:node:<worker>), kube-proxy, kube-controller-manager,
 * kube-scheduler, admin (on each control-plane node), then the operator's workstation admin
 * kubeconfig (file admin.kubeconfig, context named after the cluster entry, never pushed).
 * Workers and the workstation reach the API servers through the load balancer; components on
 * control-plane nodes through 127.0.0.1. User and group come from the certificate's CN and O.
 * Empty when the cluster's generateConfigFiles is false. Assumes a valid cluster.
 */
export function buildKubeconfigs(cluster: ClusterInput, catalog: readonly PlannedCertificate[]): PlannedKubeconfig[] {
  const settings = configSettings(cluster);
  if (!settings.generateConfigFiles) return [];
  const port = settings.apiServerPort;
  const byName = new Map(catalog.map((c) => [c.name, c]));
  const cpNames = nodesWithRole(cluster, 'control-plane').map((n) => n.name);
  const workers = nodesWithRole(cluster, 'worker').map((n) => n.name);
  const external = externalEndpoint(cluster, port);

  const make = (name: string, certificate: string, endpoint: Endpoint, recipients: string[], usedBy: string, reason: string, file = kubeconfigFileName(name), context = NODE_CONTEXT): PlannedKubeconfig => {
    const cert = byName.get(certificate) as PlannedCertificate;
    return {
      name, file, certificate, embeds: ['ca', certificate], user: cert.cn, groups: [cert.o],
      cluster: settings.kubeconfigClusterName, context,
      server: serverUrl(endpoint.address, port), serverAddress: endpoint.address, serverReason: endpoint.reason,
      recipients, usedBy, reason,
    };
  };

  return [
    ...workers.map((w) => make(w, w, external, [w], `kubelet on ${w}`,
      `the kubelet of ${w} authenticates as system:node:${w} (group system:nodes): the Node authorizer and NodeRestriction limit it to its own node`)),
    make('kube-proxy', 'kube-proxy', external, [...workers], 'kube-proxy on every worker',
      'kube-proxy authenticates as system:kube-proxy; the system:node-proxier role lets it watch services and endpoints'),
    make('kube-controller-manager', 'kube-controller-manager', loopback('the controller-manager'), [...cpNames], 'controller-manager on every control-plane node',
      'the controller-manager authenticates as system:kube-controller-manager'),
    make('kube-scheduler', 'kube-scheduler', loopback('the scheduler'), [...cpNames], 'scheduler on every control-plane node',
      'the scheduler authenticates as system:kube-scheduler'),
    make('admin', 'admin', loopback('kubectl on a control-plane node'), [...cpNames], 'kubectl on a control-plane node',
      'cluster-admin (system:masters) on the control-plane nodes, e.g. to apply the RBAC that lets the API server reach the kubelets'),
    make(WORKSTATION_KUBECONFIG, 'admin', external, [], "the operator's kubectl",
      "cluster-admin (system:masters) for the operator's workstation: download only, never pushed to a node",
      'admin.kubeconfig', settings.kubeconfigClusterName),
  ];
}

/** The API server's encryption config on every control-plane node; null when generateConfigFiles is false. */
export function buildEncryptionConfig(cluster: ClusterInput): PlannedEncryptionConfig | null {
  if (!configSettings(cluster).generateConfigFiles) return null;
  return {
    file: ENCRYPTION_CONFIG_FILE,
    recipients: nodesWithRole(cluster, 'control-plane').map((n) => n.name),
    reason: 'kube-apiserver --encryption-provider-config: Secrets are encrypted in etcd with aescbc key1; every API server needs the same key to read them',
  };
}
