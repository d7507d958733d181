/**
 * Request and response schemas for clusters (TypeBox). The same schemas validate on the
 * server (Fastify) and in the web forms (Value.Check / Value.Errors).
 */
import Type from 'typebox';

/** What a name in a URL or a request may look like (clusters, nodes, certificates): no slash, no leading dot. */
export const RESOURCE_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]*$';

export const NodeRole = Type.Union([
  Type.Literal('control-plane'),
  Type.Literal('worker'),
  Type.Literal('load-balancer'),
]);
export type NodeRole = Type.Static<typeof NodeRole>;

export const KeyAlgorithm = Type.Union([
  Type.Literal('rsa-2048'),
  Type.Literal('rsa-3072'),
  Type.Literal('rsa-4096'),
  Type.Literal('ecdsa-p256'),
  Type.Literal('ecdsa-p384'),
]);
export type KeyAlgorithm = Type.Static<typeof KeyAlgorithm>;

/** SSH settings of a node. `host` has no default: a node without it is "not-configured". */
export const SshSettings = Type.Object(
  {
    host: Type.Optional(Type.String({ minLength: 1, maxLength: 253 })),
    /** default 22 */
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
    /** default "root" */
    user: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    /** absolute path or "~/..."; default: the SSH user's home */
    remoteDir: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
    /** pinned OpenSSH fingerprint, "SHA256:<base64 without padding>" */
    hostKey: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    /** the remote folder may be, or lie under, a symbolic link (default false: kpki refuses it) */
    followLinks: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type SshSettings = Type.Static<typeof SshSettings>;

/**
 * SSH settings every node of the cluster inherits unless it sets its own (issue 16): the login
 * user, the port and the remote folder. The settings in force for a node are computed when they
 * are read (effectiveSsh in ssh-defaults.ts), so a changed default reaches every node that inherits it.
 */
export const SshDefaults = Type.Object(
  {
    /** default "root" */
    user: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    /** default 22 */
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
    /** absolute path or "~/..."; default: the SSH user's home */
    remoteDir: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
  },
  { additionalProperties: false },
);
export type SshDefaults = Type.Static<typeof SshDefaults>;

export const ClusterNode = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 63 }),
    role: NodeRole,
    addresses: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 16 }),
    ssh: Type.Optional(SshSettings),
  },
  { additionalProperties: false },
);
export type ClusterNode = Type.Static<typeof ClusterNode>;

export const Subject = Type.Object(
  {
    C: Type.String({ maxLength: 2 }),
    ST: Type.String({ maxLength: 128 }),
    L: Type.String({ maxLength: 128 }),
    OU: Type.String({ maxLength: 64 }),
  },
  { additionalProperties: false },
);
export type Subject = Type.Static<typeof Subject>;

/** Body of POST /clusters and PUT /clusters/{cluster}. */
export const ClusterInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 63 }),
    serviceCidr: Type.String({ minLength: 1, maxLength: 64 }),
    clusterDomain: Type.String({ minLength: 1, maxLength: 253 }),
    keyAlgorithm: KeyAlgorithm,
    caValidityHours: Type.Integer({ minimum: 1, maximum: 876000 }),
    certValidityHours: Type.Integer({ minimum: 1, maximum: 876000 }),
    subject: Subject,
    nodes: Type.Array(ClusterNode, { minItems: 1, maxItems: 5000 }),
    /** certificate name -> extra SANs (DNS names or IP addresses) the operator adds on purpose */
    extraSans: Type.Optional(
      Type.Record(Type.String(), Type.Array(Type.String({ minLength: 1, maxLength: 253 }), { maxItems: 100 })),
    ),
    /** port of the API servers (and of the load balancer in front of them) in the kubeconfigs; default 6443 */
    apiServerPort: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
    /** name of the cluster entry inside the kubeconfigs; default the cluster's name */
    kubeconfigClusterName: Type.Optional(Type.String({ minLength: 1, maxLength: 253 })),
    /** generate the kubeconfigs and the encryption config and distribute them with the certificates; default true */
    generateConfigFiles: Type.Optional(Type.Boolean()),
    /** a certificate with fewer days left is "warning" (default 30, see expiryThresholds) */
    expiryWarningDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
    /** a certificate with fewer days left is "critical" (default 7; below expiryWarningDays) */
    expiryCriticalDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
    /** SSH user, port and remote folder the nodes inherit unless they set their own (issue 16) */
    sshDefaults: Type.Optional(SshDefaults),
  },
  { additionalProperties: false },
);
export type ClusterInput = Type.Static<typeof ClusterInput>;

/** The soonest expiry of a cluster (issued certificates, the CA and what the nodes hold). */
export const SoonestExpiry = Type.Object({
  /** certificate name */
  name: Type.String(),
  serial: Type.String(),
  notAfter: Type.String(),
  residualSeconds: Type.Integer(),
  state: Type.Union([Type.Literal('ok'), Type.Literal('warning'), Type.Literal('critical'), Type.Literal('expired')]),
  /** the node holding this version, when it is a deployed older version */
  node: Type.Optional(Type.String()),
});
export type SoonestExpiry = Type.Static<typeof SoonestExpiry>;

/** GET /clusters/{cluster}: the input with the fields only kpki writes. */
export const Cluster = Type.Object({
  ...ClusterInput.properties,
  createdAt: Type.String(),
  updatedAt: Type.String(),
  hasCa: Type.Boolean(),
  /** when the CA expires (ISO 8601), null without a CA */
  caNotAfter: Type.Union([Type.String(), Type.Null()], { description: 'when the CA expires (ISO 8601), null without a CA' }),
});
export type Cluster = Type.Static<typeof Cluster>;

/** The fields of `Cluster` that kpki sets: a PUT may send them back unchanged (they are ignored), never changed. */
export const CLUSTER_READ_ONLY_FIELDS = ['createdAt', 'updatedAt', 'hasCa', 'caNotAfter'] as const;
export type ClusterReadOnlyField = (typeof CLUSTER_READ_ONLY_FIELDS)[number];

/**
 * Body of PUT /clusters/{cluster}: a `ClusterInput`, or the `Cluster` a GET returned (its
 * read-only fields are ignored when unchanged and refused, naming the field, when changed).
 * Send the GET's `ETag` as `If-Match` to be told (412) when someone else changed the cluster since.
 */
export const ClusterUpdate = Type.Object(
  {
    ...ClusterInput.properties,
    createdAt: Type.Optional(Type.String()),
    updatedAt: Type.Optional(Type.String()),
    hasCa: Type.Optional(Type.Boolean()),
    caNotAfter: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  },
  { additionalProperties: false },
);
export type ClusterUpdate = Type.Static<typeof ClusterUpdate>;

/** `error.details` of a 412 PRECONDITION_FAILED on a cluster write: the current version and the cluster as it is now. */
export const ClusterConflict = Type.Object({
  /** the current version (ETag) */
  etag: Type.String({ description: 'the current version: send it as If-Match after reapplying the change' }),
  current: Cluster,
});
export type ClusterConflict = Type.Static<typeof ClusterConflict>;

/** A deleted cluster (GET /deleted-clusters): restorable, CA and keys intact, until `purgeAfter`. */
export const DeletedCluster = Type.Object({
  name: Type.String(),
  deletedAt: Type.String(),
  deletedBy: Type.String(),
  /** kpki purges it then (KPKI_DELETED_CLUSTER_RETENTION_DAYS after deletedAt) */
  purgeAfter: Type.String({ description: 'kpki purges it then (KPKI_DELETED_CLUSTER_RETENTION_DAYS after deletedAt)' }),
  hasCa: Type.Boolean(),
  /** current certificates kept */
  certificates: Type.Integer({ description: 'current certificates kept' }),
  nodes: Type.Integer(),
});
export type DeletedCluster = Type.Static<typeof DeletedCluster>;

/** An item of GET /clusters: the cluster and its soonest expiry (null before anything is issued). */
export const ClusterListItem = Type.Object({
  ...Cluster.properties,
  soonestExpiry: Type.Union([SoonestExpiry, Type.Null()]),
});
export type ClusterListItem = Type.Static<typeof ClusterListItem>;
