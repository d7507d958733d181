import Type from 'typebox';

/**
 * Types of the certificate plan: what the catalog (catalog.ts), the distribution rules
 * (distribution.ts) and the matrix (matrix.ts) derive from a topology. Pure data. Each is a
 * TypeBox schema (the answer of GET /clusters/{cluster}/plan as the server serializes and the
 * OpenAPI description states it) and the type of the same name.
 */

/** One Subject Alternative Name and why it is there. */
export const SanEntry = Type.Object({
  type: Type.Union([Type.Literal('dns'), Type.Literal('ip')]),
  value: Type.String(),
  reason: Type.String(),
});
export type SanEntry = Type.Static<typeof SanEntry>;

export const CertificateKind = Type.Union([
  Type.Literal('ca'),
  Type.Literal('admin'),
  Type.Literal('kubelet'),
  Type.Literal('kube-controller-manager'),
  Type.Literal('kube-proxy'),
  Type.Literal('kube-scheduler'),
  Type.Literal('kube-apiserver'),
  Type.Literal('etcd'),
  Type.Literal('service-account'),
]);
export type CertificateKind = Type.Static<typeof CertificateKind>;

/** One certificate (and its key) of the catalog, docs/domain.md section 2. */
export const PlannedCertificate = Type.Object({
  /** file base and id: "ca", "admin", "worker1", "kubernetes", ... */
  name: Type.String({ description: 'file base and id: "ca", "admin", "worker1", "kubernetes", ...' }),
  kind: CertificateKind,
  cn: Type.String(),
  o: Type.String(),
  ou: Type.String(),
  sans: Type.Array(SanEntry),
  /** e.g. ["digital signature", "key encipherment", "server auth", "client auth"]; CA: ["certificate sign", "crl sign"] */
  usages: Type.Array(Type.String()),
  isCa: Type.Boolean(),
  /** nodes that receive <name>.pem (node names, in topology order) */
  recipients: Type.Array(Type.String(), { description: 'nodes that receive <name>.pem, in topology order' }),
  /** who uses it, e.g. "kubelet on worker1" */
  usedBy: Type.String(),
  /** what it is for */
  usedFor: Type.String(),
  /** the Kubernetes identity the CN/O yield, when it is a client identity */
  identity: Type.Optional(Type.String({ description: 'the Kubernetes identity the CN/O yield, when it is a client identity' })),
  /** set when renewal keeps this certificate's key unless asked otherwise: the reason */
  keepsKey: Type.Optional(Type.String({ description: "set when renewal keeps this certificate's key unless asked otherwise: the reason" })),
});
export type PlannedCertificate = Type.Static<typeof PlannedCertificate>;

/** One edge of who-talks-to-whom, docs/domain.md section 3. */
export const MatrixEdge = Type.Object({
  client: Type.String(),
  server: Type.String(),
  /** name of the certificate the client presents */
  certificate: Type.String({ description: 'name of the certificate the client presents' }),
});
export type MatrixEdge = Type.Static<typeof MatrixEdge>;

/** One row of the tutorial's who-talks-to-whom table (matrix.ts). */
export const MatrixRow = Type.Object({
  client: Type.String(),
  server: Type.String(),
  /** names of the certificates the client presents (one per worker for the kubelet row) */
  certificates: Type.Array(Type.String(), { description: 'names of the certificates the client presents (one per worker for the kubelet row)' }),
  /** what is presented, in the tutorial's words, e.g. "Kubelet client cert (per node)" */
  description: Type.String(),
  /** true for the kubelet row: one certificate per worker */
  perWorker: Type.Boolean(),
});
export type MatrixRow = Type.Static<typeof MatrixRow>;

/** What a planned file holds: a certificate, its key, a kubeconfig, the encryption config. */
export const FilePart = Type.Union([Type.Literal('cert'), Type.Literal('key'), Type.Literal('kubeconfig'), Type.Literal('encryption-config')]);
export type FilePart = Type.Static<typeof FilePart>;

/** One file a node must hold, docs/domain.md section 4. */
export const PlannedFile = Type.Object({
  /** "ca.pem", "ca-key.pem", "worker1.pem", "worker1.kubeconfig", "encryption-config.yaml", ... */
  file: Type.String(),
  /** "0600" for keys, kubeconfigs and the encryption config, "0644" for certificates */
  mode: Type.Union([Type.Literal('0600'), Type.Literal('0644')]),
  /**
   * catalog name it comes from: the certificate of a cert or key file, the client certificate a
   * kubeconfig embeds (with the CA); null for the encryption config
   */
  certificate: Type.Union([Type.String(), Type.Null()]),
  part: FilePart,
  /** part "kubeconfig": its name in Plan.kubeconfigs */
  kubeconfig: Type.Optional(Type.String()),
});
export type PlannedFile = Type.Static<typeof PlannedFile>;

/** The fields of a planned kubeconfig (KubeconfigSummary replaces `embeds`). */
export const PlannedKubeconfigFields = {
  /** API name: a worker's name, "kube-proxy", "kube-controller-manager", "kube-scheduler", "admin", "admin-workstation" */
  name: Type.String(),
  /** file name on a node or in a download, e.g. "worker1.kubeconfig", "admin.kubeconfig" */
  file: Type.String(),
  /** the client certificate embedded (the CA is embedded too) */
  certificate: Type.String(),
  /** kubeconfig user: the certificate's CN, which the API server takes as the user name */
  user: Type.String(),
  /** groups the API server reads from the certificate's O */
  groups: Type.Array(Type.String()),
  /** name of the cluster entry */
  cluster: Type.String(),
  /** name of the context: "default" on nodes, the cluster entry's name on the workstation */
  context: Type.String(),
  /** https://<address>:<port> */
  server: Type.String(),
  /** the address in `server`: the API server certificate must be valid for it */
  serverAddress: Type.String(),
  /** why this server */
  serverReason: Type.String(),
  /** nodes that receive the file (none for the workstation kubeconfig: download only) */
  recipients: Type.Array(Type.String()),
  /** who uses it */
  usedBy: Type.String(),
  /** why the file exists */
  reason: Type.String(),
};

/**
 * One kubeconfig (the tutorial's next module): the CA, a client certificate and its key
 * embedded, the server a component reaches, in the structure `kubectl config` writes.
 */
export const PlannedKubeconfig = Type.Object({
  ...PlannedKubeconfigFields,
  /** certificates whose content the file embeds: ["ca", certificate] */
  embeds: Type.Array(Type.String()),
});
export type PlannedKubeconfig = Type.Static<typeof PlannedKubeconfig>;

/** The API server's encryption config: one aescbc key, the same file on every control-plane node. */
export const PlannedEncryptionConfig = Type.Object({
  file: Type.String(),
  recipients: Type.Array(Type.String()),
  reason: Type.String(),
});
export type PlannedEncryptionConfig = Type.Static<typeof PlannedEncryptionConfig>;

/** GET /clusters/{cluster}/plan */
export const Plan = Type.Object({
  certificates: Type.Array(PlannedCertificate),
  /** one edge per concrete client (one per kubelet) */
  matrix: Type.Array(MatrixEdge),
  /** the rows of docs/domain.md section 3 (eight; the kubelet row lists every worker's certificate) */
  matrixRows: Type.Array(MatrixRow),
  /** node name -> files it must hold (empty array for a load balancer) */
  files: Type.Record(Type.String(), Type.Array(PlannedFile)),
  /** every kubeconfig, with its reasons ([] when the cluster's generateConfigFiles is false) */
  kubeconfigs: Type.Array(PlannedKubeconfig),
  /** the encryption config (null when the cluster's generateConfigFiles is false) */
  encryptionConfig: Type.Union([PlannedEncryptionConfig, Type.Null()]),
});
export type Plan = Type.Static<typeof Plan>;
