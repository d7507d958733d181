/**
 * The topology editor's form values, and their conversion to and from the API's
 * ClusterInput. Lists typed as text (addresses, extra SANs) are comma/space separated.
 */
import { DEFAULT_EXPIRY_CRITICAL_DAYS, DEFAULT_EXPIRY_WARNING_DAYS, expiryThresholds, type ClusterInput, type ClusterNode, type KeyAlgorithm, type NodeRole, type SshDefaults, type SshSettings } from '@kpki/shared';

export type ValidityUnit = 'hours' | 'days';

export interface NodeFormValues {
  name: string;
  role: NodeRole;
  /** comma or space separated IP addresses */
  addresses: string;
  sshHost: string;
  sshPort: number | string;
  sshUser: string;
  sshRemoteDir: string;
  /** kept as is: pinned through the node page's host-key scan, not typed here */
  sshHostKey: string;
  /** kept as is: set on the node page (a CA-key-rule change on control-plane nodes), not here */
  sshFollowLinks: boolean;
}

export interface ExtraSanFormValues {
  certificate: string;
  /** comma or space separated DNS names / IPs */
  values: string;
}

export interface TopologyFormValues {
  name: string;
  serviceCidr: string;
  clusterDomain: string;
  keyAlgorithm: KeyAlgorithm;
  caValidity: number | string;
  caValidityUnit: ValidityUnit;
  certValidity: number | string;
  certValidityUnit: ValidityUnit;
  subject: { C: string; ST: string; L: string; OU: string };
  nodes: NodeFormValues[];
  extraSans: ExtraSanFormValues[];
  /** empty: the default (6443) */
  apiServerPort: number | string;
  /** empty: the default (the cluster's name) */
  kubeconfigClusterName: string;
  /** generate and distribute the kubeconfigs and the encryption config */
  generateConfigFiles: boolean;
  /** days left under which a certificate is a warning / critical (cluster settings) */
  expiryWarningDays: number | string;
  expiryCriticalDays: number | string;
  /** the cluster's SSH defaults (set on the nodes page, issue 16): kept as they are by the topology editor */
  sshDefaults?: SshDefaults;
}

export const KEY_ALGORITHMS: Array<{ value: KeyAlgorithm; label: string }> = [
  { value: 'rsa-2048', label: 'RSA 2048' },
  { value: 'rsa-3072', label: 'RSA 3072' },
  { value: 'rsa-4096', label: 'RSA 4096' },
  { value: 'ecdsa-p256', label: 'ECDSA P-256' },
  { value: 'ecdsa-p384', label: 'ECDSA P-384' },
];

export const NODE_ROLES: Array<{ value: NodeRole; label: string }> = [
  { value: 'control-plane', label: 'control-plane' },
  { value: 'worker', label: 'worker' },
  { value: 'load-balancer', label: 'load-balancer' },
];

export const emptyNode = (role: NodeRole = 'control-plane'): NodeFormValues => ({
  name: '',
  role,
  addresses: '',
  sshHost: '',
  sshPort: '',
  sshUser: '',
  sshRemoteDir: '',
  sshHostKey: '',
  sshFollowLinks: false,
});

/** A blank topology: one node to fill in, the usual Kubernetes defaults elsewhere. */
export const blankTopology = (): TopologyFormValues => ({
  name: '',
  serviceCidr: '',
  clusterDomain: 'cluster.local',
  keyAlgorithm: 'rsa-2048',
  caValidity: 43800,
  caValidityUnit: 'hours',
  certValidity: 8760,
  certValidityUnit: 'hours',
  subject: { C: '', ST: '', L: '', OU: '' },
  nodes: [emptyNode()],
  extraSans: [],
  apiServerPort: '',
  kubeconfigClusterName: '',
  generateConfigFiles: true,
  expiryWarningDays: DEFAULT_EXPIRY_WARNING_DAYS,
  expiryCriticalDays: DEFAULT_EXPIRY_CRITICAL_DAYS,
});

/** "a, b  c" -> ["a", "b", "c"] */
export const splitList = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean);

function toNumber(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

const toHours = (value: number | string, unit: ValidityUnit) => {
  const n = toNumber(value);
  return n === undefined ? undefined : unit === 'days' ? n * 24 : n;
};

function toSsh(node: NodeFormValues): SshSettings | undefined {
  const ssh: SshSettings = {};
  if (node.sshHost.trim()) ssh.host = node.sshHost.trim();
  const port = toNumber(node.sshPort);
  if (port !== undefined) ssh.port = port;
  if (node.sshUser.trim()) ssh.user = node.sshUser.trim();
  if (node.sshRemoteDir.trim()) ssh.remoteDir = node.sshRemoteDir.trim();
  if (node.sshHostKey.trim()) ssh.hostKey = node.sshHostKey.trim();
  if (node.sshFollowLinks) ssh.followLinks = true;
  return Object.keys(ssh).length > 0 ? ssh : undefined;
}

/**
 * Form values -> request body. Missing numbers stay undefined so the schema names them; an empty
 * API server port or kubeconfig cluster name is left out (the server's default applies).
 */
export function toClusterInput(values: TopologyFormValues): ClusterInput {
  const nodes: ClusterNode[] = values.nodes.map((n) => {
    const ssh = toSsh(n);
    return { name: n.name.trim(), role: n.role, addresses: splitList(n.addresses), ...(ssh ? { ssh } : {}) };
  });
  const extraSans: Record<string, string[]> = {};
  for (const row of values.extraSans) {
    const name = row.certificate.trim();
    if (!name) continue;
    extraSans[name] = [...(extraSans[name] ?? []), ...splitList(row.values)];
  }
  return {
    name: values.name.trim(),
    serviceCidr: values.serviceCidr.trim(),
    clusterDomain: values.clusterDomain.trim(),
    keyAlgorithm: values.keyAlgorithm,
    caValidityHours: toHours(values.caValidity, values.caValidityUnit) as number,
    certValidityHours: toHours(values.certValidity, values.certValidityUnit) as number,
    subject: { ...values.subject },
    nodes,
    ...(Object.keys(extraSans).length > 0 ? { extraSans } : {}),
    ...(String(values.apiServerPort).trim() !== '' ? { apiServerPort: toNumber(values.apiServerPort) as number } : {}),
    ...(values.kubeconfigClusterName.trim() ? { kubeconfigClusterName: values.kubeconfigClusterName.trim() } : {}),
    generateConfigFiles: values.generateConfigFiles,
    expiryWarningDays: toNumber(values.expiryWarningDays) as number,
    expiryCriticalDays: toNumber(values.expiryCriticalDays) as number,
    ...(values.sshDefaults ? { sshDefaults: values.sshDefaults } : {}),
  };
}

/** Request body (or a Cluster) -> form values, validity shown in days when it is whole days. */
export function fromClusterInput(input: ClusterInput): TopologyFormValues {
  const validity = (hours: number): [number, ValidityUnit] => (hours % 24 === 0 ? [hours / 24, 'days'] : [hours, 'hours']);
  const [caValidity, caValidityUnit] = validity(input.caValidityHours);
  const [certValidity, certValidityUnit] = validity(input.certValidityHours);
  return {
    name: input.name,
    serviceCidr: input.serviceCidr,
    clusterDomain: input.clusterDomain,
    keyAlgorithm: input.keyAlgorithm,
    caValidity,
    caValidityUnit,
    certValidity,
    certValidityUnit,
    subject: { C: input.subject.C, ST: input.subject.ST, L: input.subject.L, OU: input.subject.OU },
    nodes: input.nodes.map((n) => ({
      name: n.name,
      role: n.role,
      addresses: n.addresses.join(', '),
      sshHost: n.ssh?.host ?? '',
      sshPort: n.ssh?.port ?? '',
      sshUser: n.ssh?.user ?? '',
      sshRemoteDir: n.ssh?.remoteDir ?? '',
      sshHostKey: n.ssh?.hostKey ?? '',
      sshFollowLinks: n.ssh?.followLinks ?? false,
    })),
    extraSans: Object.entries(input.extraSans ?? {}).map(([certificate, values]) => ({ certificate, values: values.join(', ') })),
    apiServerPort: input.apiServerPort ?? '',
    kubeconfigClusterName: input.kubeconfigClusterName ?? '',
    generateConfigFiles: input.generateConfigFiles ?? true,
    expiryWarningDays: expiryThresholds(input).warningDays,
    expiryCriticalDays: expiryThresholds(input).criticalDays,
    ...(input.sshDefaults ? { sshDefaults: input.sshDefaults } : {}),
  };
}
