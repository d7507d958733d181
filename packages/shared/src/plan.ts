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
}

/** One edge of who-talks-to-whom, docs/domain.md section 3. */
export interface MatrixEdge {
  client: string;
  server: string;
  /** name of the certificate the client presents */
  certificate: string;
}

/** One file a node must hold, docs/domain.md section 4. */
export interface PlannedFile {
  /** "ca.pem", "ca-key.pem", "worker1.pem", ... */
  file: string;
  /** "0600" for keys, "0644" for certificates */
  mode: '0600' | '0644';
  /** catalog name it comes from */
  certificate: string;
  part: 'cert' | 'key';
}

export interface Plan {
  certificates: PlannedCertificate[];
  /** one edge per concrete client (one per kubelet) */
  matrix: MatrixEdge[];
  /** the rows of docs/domain.md section 3 (eight; the kubelet row lists every worker's certificate) */
  matrixRows: MatrixRow[];
  /** node name -> files it must hold (empty array for a load balancer) */
  files: Record<string, PlannedFile[]>;
}
