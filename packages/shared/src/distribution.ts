/**
 * Distribution, least privilege (docs/domain.md section 4): which files each node holds, derived
 * from the catalog's recipients. Pure.
 */
import type { ClusterInput } from './api/cluster.ts';
import type { CertificateKind, PlannedCertificate, PlannedEncryptionConfig, PlannedFile, PlannedKubeconfig } from './plan.ts';
import { buildEncryptionConfig, buildKubeconfigs } from './kubeconfigs.ts';

/** Mode of a private key (and of a kubeconfig or the encryption config) on a node and in an archive (CIS). */
export const KEY_MODE = '0600' as const;
/** Mode of a certificate on a node and in an archive (CIS). */
export const CERT_MODE = '0644' as const;

/**
 * Order of files on a node, by certificate kind. The control-plane table (ca, kubernetes,
 * etcd, service-account, kube-controller-manager, kube-scheduler) and the worker table (ca,
 * <w>, kube-proxy) of docs/domain.md are both subsequences of it.
 */
const NODE_FILE_ORDER: readonly CertificateKind[] = [
  'ca', 'kube-apiserver', 'etcd', 'service-account', 'kube-controller-manager', 'kube-scheduler',
  'kubelet', 'kube-proxy', 'admin',
];

/** "<name>.pem", mode 0644. */
export function certFile(name: string): PlannedFile {
  return { file: `${name}.pem`, mode: CERT_MODE, certificate: name, part: 'cert' };
}

/** "<name>-key.pem", mode 0600. */
export function keyFile(name: string): PlannedFile {
  return { file: `${name}-key.pem`, mode: KEY_MODE, certificate: name, part: 'key' };
}

/** A kubeconfig's file, mode 0600 (it embeds a private key). */
export function kubeconfigFile(kubeconfig: PlannedKubeconfig): PlannedFile {
  return { file: kubeconfig.file, mode: KEY_MODE, certificate: kubeconfig.certificate, part: 'kubeconfig', kubeconfig: kubeconfig.name };
}

/** The encryption config's file, mode 0600 (it holds the encryption key). */
export function encryptionConfigFile(config: PlannedEncryptionConfig): PlannedFile {
  return { file: config.file, mode: KEY_MODE, certificate: null, part: 'encryption-config' };
}

/**
 * Whether a file falls under the CA key's rule (admins only, password re-entered, never an API
 * token): ca-key.pem itself, and every kubeconfig with the admin credential (system:masters
 * can do anything the CA key can be used for in the cluster).
 */
export function underCaKeyRule(file: Pick<PlannedFile, 'certificate' | 'part'>): boolean {
  return (file.part === 'key' && file.certificate === 'ca') || (file.part === 'kubeconfig' && file.certificate === 'admin');
}

/** The generated configuration files of a plan: kubeconfigs and the encryption config. */
export interface ConfigFiles {
  kubeconfigs: readonly PlannedKubeconfig[];
  encryptionConfig: PlannedEncryptionConfig | null;
}

/**
 * Files per node: node name -> files, every node of the topology present (a load balancer
 * maps to []). A node receives `<name>.pem` and `<name>-key.pem` of every certificate listing
 * it as a recipient, except that the CA key (ca-key.pem) goes to control-plane nodes only
 * (the controller-manager signs with it); then the kubeconfigs listing it as a recipient, then
 * the encryption config on control-plane nodes. For the tutorial's roles: control-plane 12
 * .pem files + 3 kubeconfigs + encryption-config.yaml, worker 5 .pem files (ca.pem, <w>.pem,
 * <w>-key.pem, kube-proxy.pem, kube-proxy-key.pem) + <w>.kubeconfig + kube-proxy.kubeconfig,
 * load balancer 0. `configs` defaults to the cluster's (none when generateConfigFiles is false).
 * Linear in the total number of recipients.
 */
export function buildFiles(
  cluster: ClusterInput,
  catalog: readonly PlannedCertificate[],
  configs: ConfigFiles = { kubeconfigs: buildKubeconfigs(cluster, catalog), encryptionConfig: buildEncryptionConfig(cluster) },
): Record<string, PlannedFile[]> {
  const roleOf = new Map(cluster.nodes.map((node) => [node.name, node.role]));
  const received = new Map<string, PlannedCertificate[]>(cluster.nodes.map((node) => [node.name, []]));
  for (const certificate of catalog) {
    for (const recipient of certificate.recipients) received.get(recipient)?.push(certificate);
  }
  const rank = (c: PlannedCertificate) => NODE_FILE_ORDER.indexOf(c.kind);
  const files: Record<string, PlannedFile[]> = {};
  for (const node of cluster.nodes) {
    const certificates = [...(received.get(node.name) ?? [])].sort((a, b) => rank(a) - rank(b));
    files[node.name] = certificates.flatMap((certificate) => {
      const withKey = !certificate.isCa || roleOf.get(node.name) === 'control-plane';
      return withKey ? [certFile(certificate.name), keyFile(certificate.name)] : [certFile(certificate.name)];
    });
  }
  for (const kubeconfig of configs.kubeconfigs) {
    for (const recipient of kubeconfig.recipients) files[recipient]?.push(kubeconfigFile(kubeconfig));
  }
  if (configs.encryptionConfig) {
    for (const recipient of configs.encryptionConfig.recipients) files[recipient]?.push(encryptionConfigFile(configs.encryptionConfig));
  }
  return files;
}

/** Whether a planned file is the CA's private key (ca-key.pem): the one file kpki guards most. */
export function isCaKeyFile(file: Pick<PlannedFile, 'certificate' | 'part'>): boolean {
  return file.certificate === 'ca' && file.part === 'key';
}

/** True when these files hold the CA's private key (ca-key.pem): only control-plane nodes' do. */
export const holdsCaKey = (files: readonly PlannedFile[]): boolean => files.some(isCaKeyFile);

/** The nodes that receive at least one file, in topology order (not load balancers). */
export const receivingNodes = (files: Record<string, readonly PlannedFile[]>): string[] => Object.keys(files).filter((node) => files[node].length > 0);

/**
 * Every file of the tutorial's layout, for the bundle archive: `<name>.pem` then
 * `<name>-key.pem` of each certificate, in catalog order (the preset: 20 files), then each
 * kubeconfig that nodes receive and the encryption config (the preset: 6 + 1 more). The
 * workstation kubeconfig is downloaded on its own.
 */
export function bundleFiles(catalog: readonly PlannedCertificate[], configs: ConfigFiles = { kubeconfigs: [], encryptionConfig: null }): PlannedFile[] {
  return [
    ...catalog.flatMap((certificate) => [certFile(certificate.name), keyFile(certificate.name)]),
    ...configs.kubeconfigs.filter((k) => k.recipients.length > 0).map(kubeconfigFile),
    ...(configs.encryptionConfig ? [encryptionConfigFile(configs.encryptionConfig)] : []),
  ];
}
