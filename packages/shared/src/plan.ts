import type { MatrixRow } from './matrix.ts';

/**
 * Types of the certificate plan: what the catalog (catalog.ts), the distribution rules
 * (distribution.ts) and the matrix (matrix.ts) derive from a topology. Pure data.
 */

/** One Subject Alternative Name and why it is there. */
export interface SanEntry {
  type: 'dns' | 'ip';
  value: string;
  reason: string;
}

export type CertificateKind =
  | 'ca'
  | 'admin'
  | 'kubelet'
  | 'kube-controller-manager'
  | 'kube-proxy'
  | 'kube-scheduler'
  | 'kube-apiserver'
  | 'etcd'
  | 'service-account';

/** One certificate (and its key) of the catalog, docs/domain.md section 2. */
export interface PlannedCertificate {
  /** file base and id: "ca", "admin", "worker1", "kubernetes", ... */
  name: string;
  kind: CertificateKind;
  cn: string;
  o: string;
  ou: string;
  sans: SanEntry[];
  /** e.g. ["digital signature", "key encipherment", "server auth", "client auth"]; CA: ["certificate sign", "crl sign"] */
  usages: string[];
  isCa: boolean;
  /** nodes that receive <name>.pem (node names, in topology order) */
  recipients: string[];
  /** who uses it, e.g. "kubelet on worker1" */
  usedBy: string;
  /** what it is for */
  usedFor: string;
  /** the Kubernetes identity the CN/O yield, when it is a client identity */
  identity?: string;
  /** set when renewal keeps this certificate's key unless asked otherwise: the reason */
  keepsKey?: string;
}

/** One edge of who-talks-to-whom, docs/domain.md section 3. */
export interface MatrixEdge {
  client: string;
  server: string;
  /** name of the certificate the client presents */
  certificate: string;
}

/** What a planned file holds: a certificate, its key, a kubeconfig, the encryption config. */
export type FilePart = 'cert' | 'key' | 'kubeconfig' | 'encryption-config';

/** One file a node must hold, docs/domain.md section 4. */
export interface PlannedFile {
  /** "ca.pem", "ca-key.pem", "worker1.pem", "worker1.kubeconfig", "encryption-config.yaml", ... */
  file: string;
  /** "0600" for keys, kubeconfigs and the encryption config, "0644" for certificates */
  mode: '0600' | '0644';
  /**
   * catalog name it comes from: the certificate of a cert or key file, the client certificate a
   * kubeconfig embeds (with the CA); null for the encryption config
   */
  certificate: string | null;
  part: FilePart;
  /** part "kubeconfig": its name in Plan.kubeconfigs */
  kubeconfig?: string;
}

/**
 * One kubeconfig (the tutorial's next module): the CA, a client certificate and its key
 * embedded, the server a component reaches, in the structure `kubectl config` writes.
 */
export interface PlannedKubeconfig {
  /** API name: a worker's name, "kube-proxy", "kube-controller-manager", "kube-scheduler", "admin", "admin-workstation" */
  name: string;
  /** file name on a node or in a download, e.g. "worker1.kubeconfig", "admin.kubeconfig" */
  file: string;
  /** the client certificate embedded (the CA is embedded too) */
  certificate: string;
  /** certificates whose content the file embeds: ["ca", certificate] */
  embeds: string[];
  /** kubeconfig user: the certificate's CN, which the API server takes as the user name */
  user: string;
  /** groups the API server reads from the certificate's O */
  groups: string[];
  /** name of the cluster entry */
  cluster: string;
  /** name of the context: "default" on nodes, the cluster entry's name on the workstation */
  context: string;
  /** https://<address>:<port> */
  server: string;
  /** the address in `server`: the API server certificate must be valid for it */
  serverAddress: string;
  /** why this server */
  serverReason: string;
  /** nodes that receive the file (none for the workstation kubeconfig: download only) */
  recipients: string[];
  /** who uses it */
  usedBy: string;
  /** why the file exists */
  reason: string;
}

/** The API server's encryption config: one aescbc key, the same file on every control-plane node. */
export interface PlannedEncryptionConfig {
  file: string;
  recipients: string[];
  reason: string;
}

export interface Plan {
  certificates: PlannedCertificate[];
  /** one edge per concrete client (one per kubelet) */
  matrix: MatrixEdge[];
  /** the rows of docs/domain.md section 3 (eight; the kubelet row lists every worker's certificate) */
  matrixRows: MatrixRow[];
  /** node name -> files it must hold (empty array for a load balancer) */
  files: Record<string, PlannedFile[]>;
  /** every kubeconfig, with its reasons ([] when the cluster's generateConfigFiles is false) */
  kubeconfigs: PlannedKubeconfig[];
  /** the encryption config (null when the cluster's generateConfigFiles is false) */
  encryptionConfig: PlannedEncryptionConfig | null;
}
