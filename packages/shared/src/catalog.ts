/**
 * The certificate catalog (docs/domain.md section 2): one pure function from a topology to every
 * certificate kpki issues, with the reason for each SAN and the nodes that receive it.
 */
import type { ClusterInput, ClusterNode, NodeRole } from './api/cluster.ts';
import type { CertificateKind, PlannedCertificate, SanEntry } from './plan.ts';
import { firstUsableAddress, isIp, normalizeIp } from './net.ts';

/** Key usage + extended key usage of every leaf: the tutorial's `kubernetes` signing profile. */
export const LEAF_USAGES: readonly string[] = ['digital signature', 'key encipherment', 'server auth', 'client auth'];
/** Key usage of the CA. */
export const CA_USAGES: readonly string[] = ['certificate sign', 'crl sign'];

/**
 * Names of the certificates that exist in every cluster. A worker's certificate is named after
 * the worker, so no worker may take one of these names (validateCluster checks it).
 */
export const FIXED_CERTIFICATE_NAMES: readonly string[] = [
  'ca', 'admin', 'kube-controller-manager', 'kube-proxy', 'kube-scheduler', 'kubernetes', 'etcd', 'service-account',
];

/** Loopback address in the API server and etcd SANs (IPv4 only, as the tutorial; add ::1 as an extra SAN). */
export const LOCALHOST_IP = '127.0.0.1';

/** Why renewal keeps the service-account key unless asked (PlannedCertificate.keepsKey). */
export const SERVICE_ACCOUNT_KEY_REASON =
  'a new key invalidates every service-account token in the cluster (unless the API server is given both public keys for a while): renewal keeps this key unless asked for a new one';

/** Reason of every SAN that comes from `cluster.extraSans`. */
export const OPERATOR_SAN_REASON = 'added by the operator';

/** Nodes of one role, in topology order. */
export function nodesWithRole(cluster: ClusterInput, role: NodeRole): ClusterNode[] {
  return cluster.nodes.filter((node) => node.role === role);
}

/** Ordered SAN list that drops repeats (IPs compared in canonical form, names lowercase). */
class SanList {
  readonly entries: SanEntry[] = [];
  private readonly seen = new Set<string>();

  add(type: SanEntry['type'], value: string, reason: string): this {
    const canonical = type === 'ip' ? (normalizeIp(value) ?? value) : value.toLowerCase();
    const key = `${type}:${canonical}`;
    if (!this.seen.has(key)) {
      this.seen.add(key);
      this.entries.push({ type, value: canonical, reason });
    }
    return this;
  }

  /** Adds a text that may be an IP or a DNS name (extra SANs). */
  addDetected(value: string, reason: string): this {
    return this.add(isIp(value) ? 'ip' : 'dns', value, reason);
  }
}

interface LeafFields {
  name: string;
  kind: CertificateKind;
  cn: string;
  o: string;
  sans?: SanList;
  recipients: string[];
  usedBy: string;
  usedFor: string;
  identity?: string;
  keepsKey?: string;
}

function leaf(cluster: ClusterInput, fields: LeafFields): PlannedCertificate {
  const sans = fields.sans ?? new SanList();
  const extra = cluster.extraSans && Object.hasOwn(cluster.extraSans, fields.name) ? cluster.extraSans[fields.name] : [];
  for (const value of extra) sans.addDetected(value, OPERATOR_SAN_REASON);
  const certificate: PlannedCertificate = {
    name: fields.name,
    kind: fields.kind,
    cn: fields.cn,
    o: fields.o,
    ou: cluster.subject.OU,
    sans: sans.entries,
    usages: [...LEAF_USAGES],
    isCa: false,
    recipients: fields.recipients,
    usedBy: fields.usedBy,
    usedFor: fields.usedFor,
  };
  if (fields.identity !== undefined) certificate.identity = fields.identity;
  if (fields.keepsKey !== undefined) certificate.keepsKey = fields.keepsKey;
  return certificate;
}

function kubeletCertificate(cluster: ClusterInput, worker: ClusterNode): PlannedCertificate {
  const sans = new SanList().add('dns', worker.name, 'worker hostname: the API server calls the kubelet by this name');
  for (const address of worker.addresses) {
    sans.add('ip', address, 'worker address: the API server calls the kubelet here (logs, exec)');
  }
  return leaf(cluster, {
    name: worker.name,
    kind: 'kubelet',
    cn: `system:node:${worker.name}`,
    o: 'system:nodes',
    sans,
    recipients: [worker.name],
    usedBy: `kubelet on ${worker.name}`,
    usedFor: 'node identity (Node authorizer, NodeRestriction) and kubelet serving',
    identity: `node identity for RBAC / Node authorizer (user system:node:${worker.name}, group system:nodes)`,
  });
}

/**
 * SANs of the API server certificate, in the tutorial's order: first service IP, every load
 * balancer IP, every control-plane IP, 127.0.0.1, then the in-cluster names. The name
 * "kubernetes.default.svc.cluster" is kept literally whatever the cluster domain, as the
 * tutorial writes it; the last name is kubernetes.default.svc.<clusterDomain>.
 */
function apiServerSans(cluster: ClusterInput, loadBalancers: ClusterNode[], controlPlanes: ClusterNode[]): SanList {
  const sans = new SanList().add(
    'ip',
    firstUsableAddress(cluster.serviceCidr),
    `first address of the service CIDR ${cluster.serviceCidr}: the ClusterIP of the kubernetes service`,
  );
  for (const lb of loadBalancers) {
    for (const address of lb.addresses) sans.add('ip', address, `load balancer ${lb.name}: external clients connect here`);
  }
  for (const cp of controlPlanes) {
    for (const address of cp.addresses) sans.add('ip', address, `control-plane node ${cp.name}: an API server runs here`);
  }
  sans.add('ip', LOCALHOST_IP, 'localhost: components on the same node connect here');
  const names = [
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    'kubernetes.default.svc.cluster',
    `kubernetes.default.svc.${cluster.clusterDomain}`,
  ];
  for (const name of names) sans.add('dns', name, 'DNS name pods use inside the cluster');
  return sans;
}

function etcdSans(controlPlanes: ClusterNode[]): SanList {
  const sans = new SanList();
  for (const cp of controlPlanes) sans.add('dns', cp.name, `control-plane node ${cp.name}: etcd peers connect by hostname`);
  for (const cp of controlPlanes) {
    for (const address of cp.addresses) {
      sans.add('ip', address, `control-plane node ${cp.name}: the API server and etcd peers connect by IP`);
    }
  }
  return sans.add('ip', LOCALHOST_IP, 'localhost: the API server on the same node connects here');
}

/**
 * Every certificate of the cluster (docs/domain.md section 2), in this order: ca, admin, one per
 * worker (topology order), kube-controller-manager, kube-proxy, kube-scheduler, kubernetes,
 * etcd, service-account. Leaves carry OU = cluster.subject.OU and LEAF_USAGES; the CA carries
 * OU "CA" and CA_USAGES. Extra SANs (`cluster.extraSans[name]`) follow the derived ones, with
 * repeats removed; the CA never carries SANs. Pure, linear in the number of nodes.
 * Assumes a cluster that passed validateCluster.
 * @throws RangeError when the service CIDR has no usable address.
 */
export function buildCatalog(cluster: ClusterInput): PlannedCertificate[] {
  const controlPlanes = nodesWithRole(cluster, 'control-plane');
  const workers = nodesWithRole(cluster, 'worker');
  const loadBalancers = nodesWithRole(cluster, 'load-balancer');
  const cpNames = controlPlanes.map((n) => n.name);
  const workerNames = workers.map((n) => n.name);

  const ca: PlannedCertificate = {
    name: 'ca',
    kind: 'ca',
    cn: 'Kubernetes',
    o: 'Kubernetes',
    ou: 'CA',
    sans: [],
    usages: [...CA_USAGES],
    isCa: true,
    recipients: cluster.nodes.filter((n) => n.role !== 'load-balancer').map((n) => n.name),
    usedBy: 'every node',
    usedFor: 'root of trust; signs everything below',
  };

  return [
    ca,
    leaf(cluster, {
      name: 'admin', kind: 'admin', cn: 'admin', o: 'system:masters', recipients: [],
      usedBy: 'kubectl of the operator', usedFor: 'cluster-admin client',
      identity: 'cluster admin (system:masters): full access',
    }),
    ...workers.map((worker) => kubeletCertificate(cluster, worker)),
    leaf(cluster, {
      name: 'kube-controller-manager', kind: 'kube-controller-manager',
      cn: 'system:kube-controller-manager', o: 'system:kube-controller-manager', recipients: [...cpNames],
      usedBy: 'controller-manager', usedFor: 'client to API server',
      identity: 'controller-manager RBAC binding (user system:kube-controller-manager)',
    }),
    leaf(cluster, {
      name: 'kube-proxy', kind: 'kube-proxy', cn: 'system:kube-proxy', o: 'system:node-proxier',
      recipients: [...workerNames], usedBy: 'kube-proxy on every worker', usedFor: 'client to API server',
      identity: 'kube-proxy RBAC binding (user system:kube-proxy, group system:node-proxier)',
    }),
    leaf(cluster, {
      name: 'kube-scheduler', kind: 'kube-scheduler', cn: 'system:kube-scheduler', o: 'system:kube-scheduler',
      recipients: [...cpNames], usedBy: 'scheduler', usedFor: 'client to API server',
      identity: 'scheduler RBAC binding (user system:kube-scheduler)',
    }),
    leaf(cluster, {
      name: 'kubernetes', kind: 'kube-apiserver', cn: 'kubernetes', o: 'Kubernetes',
      sans: apiServerSans(cluster, loadBalancers, controlPlanes), recipients: [...cpNames],
      usedBy: 'kube-apiserver', usedFor: 'serving cert; client cert to kubelets and to etcd',
    }),
    leaf(cluster, {
      name: 'etcd', kind: 'etcd', cn: 'etcd', o: 'etcd', sans: etcdSans(controlPlanes), recipients: [...cpNames],
      usedBy: 'etcd on every control-plane node', usedFor: 'client and peer TLS',
    }),
    leaf(cluster, {
      name: 'service-account', kind: 'service-account', cn: 'service-accounts', o: 'Kubernetes',
      recipients: [...cpNames], usedBy: 'controller-manager (signs), API server (verifies)',
      usedFor: 'service-account token key pair, not TLS', keepsKey: SERVICE_ACCOUNT_KEY_REASON,
    }),
  ];
}
