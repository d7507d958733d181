/**
 * Lifecycle (issue 10): expiry, renewal and changes of the topology. Request schemas
 * (TypeBox, validated by the server and the web alike) and the shapes of the answers.
 */
import Type from 'typebox';
import { CertificateKind } from '../plan.ts';
import { ExpiryState, ExpiryThresholds } from '../expiry.ts';
import { RESOURCE_NAME_PATTERN, SoonestExpiry } from './cluster.ts';

const CertificateName = Type.String({ minLength: 1, maxLength: 63, pattern: RESOURCE_NAME_PATTERN });

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
export const LifecycleAnswer = Type.Object({
  /** the job that issues (and distributes), null when there was nothing to run */
  jobId: Type.Union([Type.String(), Type.Null()], { description: 'the job that issues (and distributes), null when there was nothing to run' }),
  /** what happens, or why nothing does */
  message: Type.String({ description: 'what happens, or why nothing does' }),
  /** certificates the job issues */
  certificates: Type.Array(Type.String(), { description: 'certificates the job issues' }),
  /** certificates marked retired (apply) */
  retired: Type.Array(Type.String(), { description: 'certificates marked retired (apply)' }),
  /** nodes the job writes to (distribute) */
  nodes: Type.Array(Type.String(), { description: 'nodes the job writes to (distribute)' }),
  /** set when the CA itself differs from the plan: what a CA rotation would have to do */
  caRotation: Type.Union([Type.String(), Type.Null()], { description: 'set when the CA itself differs from the plan: what a CA rotation would have to do' }),
});
export type LifecycleAnswer = Type.Static<typeof LifecycleAnswer>;

/** One issued certificate's expiry. */
export const CertificateExpiry = Type.Object({
  name: Type.String(),
  /** the kind in the current plan, null when the plan no longer has this certificate */
  kind: Type.Union([CertificateKind, Type.Null()]),
  serial: Type.String(),
  notAfter: Type.String(),
  residualSeconds: Type.Integer(),
  state: ExpiryState,
  /** notAfter was capped at the CA's notAfter (the validity asked for would have passed it) */
  notAfterCapped: Type.Boolean(),
});
export type CertificateExpiry = Type.Static<typeof CertificateExpiry>;

/** A certificate file as a node holds it, as of the node's last look. */
export const DeployedExpiry = Type.Object({
  node: Type.String(),
  file: Type.String(),
  /** certificate name */
  name: Type.String(),
  serial: Type.String(),
  notAfter: Type.String(),
  residualSeconds: Type.Integer(),
  state: ExpiryState,
  /** the node holds the current version */
  current: Type.Boolean(),
  /** when the node was last looked at (null: never; then this is what kpki wrote) */
  checkedAt: Type.Union([Type.String(), Type.Null()]),
  /** set when the node holds an older version that expires sooner than the current one */
  message: Type.Union([Type.String(), Type.Null()], { description: 'set when the node holds an older version that expires sooner than the current one' }),
});
export type DeployedExpiry = Type.Static<typeof DeployedExpiry>;

/** GET /clusters/{cluster}/expiry */
export const ExpiryReport = Type.Object({
  /** the moment the states are computed for */
  now: Type.String(),
  /** the cluster's thresholds, for leaves */
  thresholds: ExpiryThresholds,
  /** the CA's own thresholds (warning 180 days, critical 30: a new CA is a rotation, issue 13) */
  caThresholds: ExpiryThresholds,
  /** current leaves, soonest first */
  certificates: Type.Array(CertificateExpiry),
  /** the CA, judged by caThresholds */
  ca: Type.Union([CertificateExpiry, Type.Null()], { description: 'the CA, judged by caThresholds' }),
  /** certificate files on the nodes, soonest first */
  deployed: Type.Array(DeployedExpiry),
  soonest: Type.Union([SoonestExpiry, Type.Null()]),
});
export type ExpiryReport = Type.Static<typeof ExpiryReport>;

/** How many of a report's entries are in each state that needs attention. */
export const ExpiryAttention = Type.Object({
  warning: Type.Integer(),
  critical: Type.Integer(),
  expired: Type.Integer(),
});
export type ExpiryAttention = Type.Static<typeof ExpiryAttention>;

/**
 * GET /clusters/{cluster}/expiry?view=summary: what the banner above every page of a cluster
 * shows, the report's own meaning in counts (summariseExpiry): the current leaves, the CA and the
 * older versions nodes still hold (deployed, not current) in warning, critical or expired, and the
 * report's soonest.
 */
export const ExpirySummary = Type.Object({
  /** the moment the states are computed for */
  now: Type.String(),
  /** entries of the report in each state that needs attention (leaves, the CA, older versions nodes hold) */
  attention: ExpiryAttention,
  soonest: Type.Union([SoonestExpiry, Type.Null()]),
});
export type ExpirySummary = Type.Static<typeof ExpirySummary>;

/** The summary of a full report: the one definition of what the banner counts (the server computes the same without the report). */
export function summariseExpiry(report: ExpiryReport): ExpirySummary {
  const attention: ExpiryAttention = { warning: 0, critical: 0, expired: 0 };
  for (const c of [...report.certificates, ...(report.ca ? [report.ca] : []), ...report.deployed.filter((d) => !d.current)]) {
    if (c.state !== 'ok') attention[c.state]++;
  }
  return { now: report.now, attention, soonest: report.soonest };
}

export const CertificateChangeKind = Type.Union([Type.Literal('new'), Type.Literal('outdated'), Type.Literal('retired'), Type.Literal('unchanged')]);
export type CertificateChangeKind = Type.Static<typeof CertificateChangeKind>;

/** One field where an issued certificate differs from the plan. */
export const FieldDifference = Type.Object({
  /** "san", "subject.C" ... "subject.CN", "usages", "validity", "keyAlgorithm" */
  field: Type.String({ description: '"san", "subject.C" ... "subject.CN", "usages", "validity", "keyAlgorithm"' }),
  change: Type.Union([Type.Literal('added'), Type.Literal('removed'), Type.Literal('changed')]),
  /** value in the certificate (null for an added SAN) */
  from: Type.Union([Type.String(), Type.Null()]),
  /** value of the plan (null for a removed SAN) */
  to: Type.Union([Type.String(), Type.Null()]),
  /** e.g. "SAN 192.168.56.23 added: control-plane node cp3: an API server runs here" */
  reason: Type.String(),
});
export type FieldDifference = Type.Static<typeof FieldDifference>;

/** One certificate of GET .../changes. */
export const CertificateChange = Type.Object({
  name: Type.String(),
  /** kind in the plan; null for a retired certificate */
  kind: Type.Union([CertificateKind, Type.Null()]),
  change: CertificateChangeKind,
  /** serial of the current version, null for a new certificate */
  serial: Type.Union([Type.String(), Type.Null()]),
  differences: Type.Array(FieldDifference),
  /** one line: why it is new, outdated or retired ("" when unchanged) */
  reason: Type.String(),
  /** nodes that hold it in the plan */
  recipients: Type.Array(Type.String()),
  /** re-issuing it makes a new key (false: keeps its key, see PlannedCertificate.keepsKey) */
  newKey: Type.Boolean(),
});
export type CertificateChange = Type.Static<typeof CertificateChange>;

/** A file a distribution would write to a node. */
export const NodeFileWrite = Type.Object({
  file: Type.String(),
  /** the certificate of a cert or key file, the client certificate a kubeconfig embeds; null for the encryption config */
  certificate: Type.Union([Type.String(), Type.Null()]),
  reason: Type.String(),
});
export type NodeFileWrite = Type.Static<typeof NodeFileWrite>;

/** The files one node would receive. */
export const NodeChange = Type.Object({ node: Type.String(), files: Type.Array(NodeFileWrite) });
export type NodeChange = Type.Static<typeof NodeChange>;

/** The CA compared with the plan: apply never changes it. */
export const CaChange = Type.Object({
  change: Type.Union([Type.Literal('unchanged'), Type.Literal('rotation-required'), Type.Literal('missing')]),
  differences: Type.Array(FieldDifference),
  message: Type.String(),
});
export type CaChange = Type.Static<typeof CaChange>;

/** GET /clusters/{cluster}/changes: the plan of an apply, before anything happens. */
export const ChangeSet = Type.Object({
  ca: CaChange,
  /** catalog order, then the retired ones */
  certificates: Type.Array(CertificateChange),
  /** nodes with at least one file to write, topology order */
  nodes: Type.Array(NodeChange),
  counts: Type.Object({ new: Type.Integer(), outdated: Type.Integer(), retired: Type.Integer(), unchanged: Type.Integer() }),
  /** no certificate is new, outdated or retired */
  nothingToDo: Type.Boolean(),
  /** one line, e.g. "2 outdated, 1 new; 3 nodes receive 9 files" */
  summary: Type.String({ description: 'one line, e.g. "2 outdated, 1 new; 3 nodes receive 9 files"' }),
});
export type ChangeSet = Type.Static<typeof ChangeSet>;
