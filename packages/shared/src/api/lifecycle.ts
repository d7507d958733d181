/**
 * Lifecycle (issue 10): expiry, renewal and changes of the topology. Request schemas
 * (TypeBox, validated by the server and the web alike) and the shapes of the answers.
 */
import Type from 'typebox';
import type { CertificateKind } from '../plan.ts';
import type { ExpiryState, ExpiryThresholds } from '../expiry.ts';
import type { SoonestExpiry } from './cluster.ts';

const CertificateName = Type.String({ minLength: 1, maxLength: 63, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' });

/** Body of POST /clusters/{cluster}/renewals. */
export const RenewalRequest = Type.Object(
  {
    /** names to renew; without it, every leaf in warning, critical or expired */
    certificates: Type.Optional(Type.Array(CertificateName, { minItems: 1, maxItems: 5000 })),
    /**
     * true: every renewed certificate keeps its key; false: every one gets a new key (the
     * service-account pair included); absent: new keys, except where the catalog says keepsKey
     */
    keepKeys: Type.Optional(Type.Boolean()),
    /** then write to the nodes that hold renewed files (only those) */
    distribute: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type RenewalRequest = Type.Static<typeof RenewalRequest>;

/** Body of POST /clusters/{cluster}/changes/apply. */
export const ApplyChangesRequest = Type.Object(
  {
    /** then write to the nodes whose files changed (only those) */
    distribute: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ApplyChangesRequest = Type.Static<typeof ApplyChangesRequest>;

/** Answer of POST .../renewals and POST .../changes/apply: 202 with a job, or 200 when nothing runs. */
export interface LifecycleAnswer {
  /** the job that issues (and distributes), null when there was nothing to run */
  jobId: string | null;
  /** what happens, or why nothing does */
  message: string;
  /** certificates the job issues */
  certificates: string[];
  /** certificates marked retired (apply) */
  retired: string[];
  /** nodes the job writes to (distribute) */
  nodes: string[];
  /** set when the CA itself differs from the plan: what a CA rotation would have to do */
  caRotation: string | null;
}

/** One issued certificate's expiry. */
export interface CertificateExpiry {
  name: string;
  /** the kind in the current plan, null when the plan no longer has this certificate */
  kind: CertificateKind | null;
  serial: string;
  notAfter: string;
  residualSeconds: number;
  state: ExpiryState;
  /** notAfter was capped at the CA's notAfter (the validity asked for would have passed it) */
  notAfterCapped: boolean;
}

/** A certificate file as a node holds it, as of the node's last look. */
export interface DeployedExpiry {
  node: string;
  file: string;
  /** certificate name */
  name: string;
  serial: string;
  notAfter: string;
  residualSeconds: number;
  state: ExpiryState;
  /** the node holds the current version */
  current: boolean;
  /** when the node was last looked at (null: never; then this is what kpki wrote) */
  checkedAt: string | null;
  /** set when the node holds an older version that expires sooner than the current one */
  message: string | null;
}

/** GET /clusters/{cluster}/expiry */
export interface ExpiryReport {
  /** the moment the states are computed for */
  now: string;
  /** the cluster's thresholds, for leaves */
  thresholds: ExpiryThresholds;
  /** the CA's own thresholds (warning 180 days, critical 30: a new CA is a rotation, issue 13) */
  caThresholds: ExpiryThresholds;
  /** current leaves, soonest first */
  certificates: CertificateExpiry[];
  /** the CA, judged by caThresholds */
  ca: CertificateExpiry | null;
  /** certificate files on the nodes, soonest first */
  deployed: DeployedExpiry[];
  soonest: SoonestExpiry | null;
}

export type CertificateChangeKind = 'new' | 'outdated' | 'retired' | 'unchanged';

/** One field where an issued certificate differs from the plan. */
export interface FieldDifference {
  /** "san", "subject.C" ... "subject.CN", "usages", "validity", "keyAlgorithm" */
  field: string;
  change: 'added' | 'removed' | 'changed';
  /** value in the certificate (null for an added SAN) */
  from: string | null;
  /** value of the plan (null for a removed SAN) */
  to: string | null;
  /** e.g. "SAN 192.168.56.23 added: control-plane node cp3: an API server runs here" */
  reason: string;
}

/** One certificate of GET .../changes. */
export interface CertificateChange {
  name: string;
  /** kind in the plan; null for a retired certificate */
  kind: CertificateKind | null;
  change: CertificateChangeKind;
  /** serial of the current version, null for a new certificate */
  serial: string | null;
  differences: FieldDifference[];
  /** one line: why it is new, outdated or retired ("" when unchanged) */
  reason: string;
  /** nodes that hold it in the plan */
  recipients: string[];
  /** re-issuing it makes a new key (false: keeps its key, see PlannedCertificate.keepsKey) */
  newKey: boolean;
}

/** A file a distribution would write to a node. */
export interface NodeFileWrite {
  file: string;
  /** the certificate of a cert or key file, the client certificate a kubeconfig embeds; null for the encryption config */
  certificate: string | null;
  reason: string;
}

/** The files one node would receive. */
export interface NodeChange {
  node: string;
  files: NodeFileWrite[];
}

/** The CA compared with the plan: apply never changes it. */
export interface CaChange {
  change: 'unchanged' | 'rotation-required' | 'missing';
  differences: FieldDifference[];
  message: string;
}

/** GET /clusters/{cluster}/changes: the plan of an apply, before anything happens. */
export interface ChangeSet {
  ca: CaChange;
  /** catalog order, then the retired ones */
  certificates: CertificateChange[];
  /** nodes with at least one file to write, topology order */
  nodes: NodeChange[];
  counts: Record<CertificateChangeKind, number>;
  /** no certificate is new, outdated or retired */
  nothingToDo: boolean;
  /** one line, e.g. "2 outdated, 1 new; 3 nodes receive 9 files" */
  summary: string;
}
