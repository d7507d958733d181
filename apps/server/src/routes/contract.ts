/**
 * The API contract as the OpenAPI description states it (GET /api/docs/json): per operation a
 * summary, the success answers (the TypeBox schemas of @kpki/shared, which Fastify also
 * serializes with, so nothing undeclared leaves the server), the error answers with their codes,
 * the security that applies and the role needed. `applyContract` adds it to each route when it is
 * registered (app.ts, onRoute): a route's own `schema.response` entries win, so a route file may
 * state an answer itself. test/openapi.test.ts checks that every route has its entry.
 */
import type { RouteOptions } from 'fastify';
import type { TSchema } from 'typebox';
import Type from 'typebox';
import {
  AddressCheck, ApiToken, AuditExport, CaRotationAnswer, CaRotationStatus, CaRotationSummary, ClusterConflict, AuditArchive, AuditArchiveRecord, AuditCounts, AuditEntry, AuditFacets, BackupCreated, CertificateDetail, CertificateRow, CertificateSummary, ChangeSet, Cluster,
  ClusterInput, ClusterListItem, CreatedToken, DeletedCluster, DeployKey, Elevation, ErrorBodyOf, ErrorCodes, ExpiryReport, ExpirySummary, HostKeyScan,
  ImportAdopted, ImportView, IssuanceRecord, SshImportAnswer, HostKeyReview, BulkSshAnswer, Job, JobAccepted, KubeconfigSummary, LifecycleAnswer, LinksResponse, NodeRow, NodeStatus, NodeSummary, Plan, PlanCaKeyFilesView, PlanTalksView, SessionInfo, SignedIn,
  User, type ErrorCode,
} from '@kpki/shared';

/** A list answer `{items: [...]}`. */
const Items = (item: TSchema) => Type.Object({ items: Type.Array(item) });

/** A non-JSON answer: its media type and what it is. */
interface Media { media: string[]; description: string; json?: TSchema }
/** A file answer of these media types (none: no content); `json`: the schema of its application/json form. */
const media = (types: string | string[], description: string, json?: TSchema): Media => ({ media: [types].flat().filter(Boolean), description, json });
const isMedia = (x: unknown): x is Media => typeof x === 'object' && x !== null && 'media' in x;

export interface Operation {
  summary: string;
  /** said after the role line of the description */
  description?: string;
  /** success answers by status: a schema (JSON) or a media type */
  ok: Record<number, TSchema | Media>;
  /** error codes the operation may answer beyond the ones every route of its kind has */
  errors?: ErrorCode[];
  /** the success answer carries the cluster's version as ETag, and the request may send If-Match */
  version?: 'etag' | 'if-match' | 'both';
}

const API = '/api/v1';
const CA_KEY_RULE = 'The CA key rule: only an admin browser session that re-entered the password in the last 5 minutes (POST /session/reauth); ' +
  'other roles get 403 FORBIDDEN, an admin without re-entry and every API token 403 REAUTH_REQUIRED, and nothing changes.';
const JOB = 'Follow the job with GET /jobs/{id} or its event stream GET /jobs/{id}/events.';

/** Every operation of the server, keyed "METHOD path" as Fastify registers it. */
export const OPERATIONS: Record<string, Operation> = {
  // system
  'GET /api/v1/health': { summary: 'Whether kpki answers', ok: { 200: Type.Object({ status: Type.Literal('ok') }) } },
  'GET /api/v1/presets/hard-way': { summary: "The tutorial's topology (Kubernetes the hard way) as a cluster to create", ok: { 200: ClusterInput } },
  // session
  'GET /api/v1/session': { summary: 'Who is asking: the user, the CSRF token of a browser session, and until when it may move the CA key', ok: { 200: SessionInfo }, errors: ['UNAUTHENTICATED'] },
  'POST /api/v1/session': {
    summary: 'Sign in: sets the session cookie (and the known-device cookie)',
    description: 'Rate limited: 10 a minute per address; per user name from the 5th failure a wait of 1 s doubling to 5 min (429 RATE_LIMITED with Retry-After ' +
      'and details.retryAfterSeconds), not applied to a browser holding the user\'s kpki_device cookie.',
    ok: { 200: SignedIn },
    errors: ['INVALID_CREDENTIALS'],
  },
  'DELETE /api/v1/session': { summary: 'Sign out: the session is revoked', ok: { 204: media('', 'signed out') } },
  'POST /api/v1/session/reauth': {
    summary: 'Re-enter the password: for 5 minutes this browser session may move the CA key',
    ok: { 200: Elevation },
    errors: ['INVALID_CREDENTIALS', 'REAUTH_REQUIRED'],
  },
  // users and tokens
  'GET /api/v1/users': { summary: 'Every user', ok: { 200: Items(User) } },
  'POST /api/v1/users': {
    summary: 'Create a user', description: `Making an admin: ${CA_KEY_RULE}`, ok: { 201: User }, errors: ['USER_EXISTS', 'REAUTH_REQUIRED'],
  },
  'PATCH /api/v1/users/{id}': {
    summary: "Change a user's role or disable the user",
    description: `Disabling ends the user's sessions and revokes every token of the user for good. Making an admin: ${CA_KEY_RULE}`,
    ok: { 200: User }, errors: ['USER_NOT_FOUND', 'REAUTH_REQUIRED'],
  },
  'PUT /api/v1/users/me/password': {
    summary: 'Change your own password', description: 'Ends your other sessions and revokes every token of yours.',
    ok: { 204: media('', 'changed') }, errors: ['INVALID_CREDENTIALS'],
  },
  'GET /api/v1/tokens': { summary: "API tokens: an admin's list holds every token, anyone else's their own", ok: { 200: Items(ApiToken) } },
  'POST /api/v1/tokens': { summary: 'Create an API token of your own (its secret is shown once)', ok: { 201: CreatedToken } },
  'DELETE /api/v1/tokens/{id}': { summary: "Revoke an API token (another user's: admins only)", ok: { 204: media('', 'revoked') }, errors: ['NOT_FOUND'] },
  // audit, backups
  'GET /api/v1/audit': { summary: 'Audit log lines, newest first, with filters', ok: { 200: Items(AuditEntry) } },
  'GET /api/v1/audit/counts': {
    summary: 'How many audit lines the filters and the search keep, by result (ok, denied, failed)',
    description: 'Counted by the server over the whole log, not a page; the result filter is left aside so that each count stays one to choose.',
    ok: { 200: AuditCounts },
  },
  'GET /api/v1/audit/facets': { summary: 'The actions and actors in the audit log (for filters)', ok: { 200: AuditFacets } },
  'GET /api/v1/audit/export': {
    summary: 'The audit lines the filters keep, as a CSV or JSON file',
    ok: { 200: media(['text/csv', 'application/json'], 'kpki-audit-<time>.csv (RFC 4180), or with format=json kpki-audit-<time>.json: {filter, items}', AuditExport) },
  },
  'POST /api/v1/audit/archives': {
    summary: 'Move the audit lines written before a time to an archive file', ok: { 201: AuditArchiveRecord }, errors: ['NOTHING_TO_ARCHIVE'],
  },
  'GET /api/v1/audit/archives': { summary: 'Audit archives, oldest first, with whether each is intact', ok: { 200: Items(AuditArchive) } },
  'GET /api/v1/audit/archives/{id}/file': {
    summary: 'An audit archive file (JSON lines)', ok: { 200: media('application/x-ndjson', 'a header line, then one AuditEntry a line') }, errors: ['NOT_FOUND'],
  },
  'POST /api/v1/backups': { summary: 'Make an online backup of the database', ok: { 201: BackupCreated } },
  // clusters
  'POST /api/v1/clusters': {
    summary: 'Create a cluster', description: `A control-plane node with an SSH host: ${CA_KEY_RULE}`,
    ok: { 201: Cluster }, errors: ['INVALID_TOPOLOGY', 'CLUSTER_EXISTS', 'SSH_TARGET_NOT_ALLOWED', 'REAUTH_REQUIRED'], version: 'etag',
  },
  'GET /api/v1/clusters': { summary: 'Every cluster with its soonest expiry', ok: { 200: Items(ClusterListItem) } },
  'GET /api/v1/clusters/{cluster}': { summary: 'A cluster, with its version as ETag', ok: { 200: Cluster }, version: 'etag' },
  'PUT /api/v1/clusters/{cluster}': {
    summary: "Replace a cluster's topology and settings (the name stays)",
    description: 'Takes a ClusterInput or the Cluster a GET returned (read-only fields unchanged are ignored, changed ones refused: READ_ONLY_FIELD). ' +
      `Adding a control-plane node, turning a node into one, or changing one's SSH target: ${CA_KEY_RULE}`,
    ok: { 200: Cluster }, errors: ['INVALID_TOPOLOGY', 'READ_ONLY_FIELD', 'SSH_TARGET_NOT_ALLOWED', 'PRECONDITION_FAILED', 'REAUTH_REQUIRED'], version: 'both',
  },
  'DELETE /api/v1/clusters/{cluster}': {
    summary: 'Delete a cluster: kept restorable, CA and keys intact, until purgeAfter', description: CA_KEY_RULE,
    ok: { 200: DeletedCluster }, errors: ['PRECONDITION_FAILED', 'REAUTH_REQUIRED'], version: 'if-match',
  },
  'GET /api/v1/clusters/{cluster}/plan': {
    summary: 'The certificate plan: certificates with SANs and reasons, who talks to whom, the files of each node',
    description: 'view=talks: what the who-talks-to-whom page reads (PlanTalksView: the matrix rows, the certificates but the kubelets past the first 10, every kubelet named and its SANs counted by reason); ' +
      'view=ca-key-files: the files under the CA key rule per node (PlanCaKeyFilesView). Each is the full plan trimmed.',
    ok: { 200: Type.Union([PlanTalksView, PlanCaKeyFilesView, Plan]) },
  },
  'POST /api/v1/clusters/{cluster}/ca': { summary: "Create the cluster's CA", ok: { 201: CertificateSummary }, errors: ['CA_EXISTS'] },
  'POST /api/v1/clusters/{cluster}/issuances': {
    summary: 'Issue every certificate of the plan (a job)', description: JOB, ok: { 202: JobAccepted }, errors: ['CA_NOT_FOUND', 'ISSUANCE_TOO_LARGE'],
  },
  'GET /api/v1/clusters/{cluster}/issuances': { summary: 'Issuances of the cluster, newest first', ok: { 200: Items(IssuanceRecord) } },
  'GET /api/v1/deleted-clusters': { summary: 'Deleted clusters and when each is purged', ok: { 200: Items(DeletedCluster) } },
  'POST /api/v1/deleted-clusters/{cluster}/restore': { summary: 'Restore a deleted cluster as it was', ok: { 200: Cluster }, errors: ['CLUSTER_EXISTS'] },
  'DELETE /api/v1/deleted-clusters/{cluster}': {
    summary: 'Purge a deleted cluster now, for good', description: CA_KEY_RULE, ok: { 204: media('', 'purged') }, errors: ['REAUTH_REQUIRED'],
  },
  // CA rotation (issue 13)
  'GET /api/v1/clusters/{cluster}/ca-rotation': {
    summary: 'Where a CA rotation stands: the phase, both CAs, each node in step or not, the next phases, the restart order, history',
    description: 'view=summary: the phase, when it started and how many nodes are in step with it (CaRotationSummary, the banner above every page of a cluster); ' +
      'the nodes are judged only while a rotation is in progress.',
    ok: { 200: Type.Union([CaRotationSummary, CaRotationStatus]) },
  },
  'POST /api/v1/clusters/{cluster}/ca-rotation': {
    summary: 'Start one phase of a CA rotation (prepare, switch, finalize, abort) in a job, optionally distributing',
    description: `With distribute, ca-key.pem and admin.kubeconfig are written only when an admin browser session that re-entered the password starts it. ${JOB}`,
    ok: { 202: CaRotationAnswer },
    errors: ['CA_NOT_FOUND', 'CA_ROTATION_NOT_STARTED', 'CA_ROTATION_IN_PROGRESS', 'CA_ROTATION_PHASE', 'CA_ROTATION_RUNNING', 'NODES_NOT_IN_STEP'],
  },
  'GET /api/v1/clusters/{cluster}/ca-rotation/cross-signed.pem': {
    summary: "The new CA signed by the old CA's key, during a rotation", ok: { 200: media('application/x-pem-file', '<cluster>-ca-cross-signed.pem') }, errors: ['NOT_FOUND'],
  },
  // certificates
  'GET /api/v1/clusters/{cluster}/certificates': {
    summary: 'Certificates of the cluster (current, or every version)',
    description: 'view=brief: what the certificates table shows and searches (CertificateRow: every recipient, notAfterCapped only when true), ' +
      'without sha256, notBefore, issuanceId, source and residualSeconds (GET .../certificates/{name} has them).',
    ok: { 200: Type.Union([Items(CertificateRow), Items(CertificateSummary)]) },
  },
  'GET /api/v1/clusters/{cluster}/certificates/{name}': { summary: 'A certificate parsed, with its SANs and reasons, chain check and text', ok: { 200: CertificateDetail } },
  'GET /api/v1/clusters/{cluster}/certificates/{name}/check': {
    summary: 'Whether the certificate is valid for an address (Go\'s rules)', ok: { 200: AddressCheck }, errors: ['INVALID_ADDRESS'],
  },
  'GET /api/v1/clusters/{cluster}/certificates/{name}/cert.pem': { summary: 'The certificate as a PEM file', ok: { 200: media('application/x-pem-file', '<name>.pem') } },
  'GET /api/v1/clusters/{cluster}/certificates/{name}/key.pem': {
    summary: "The certificate's private key as a PEM file", description: `The CA's key (name ca): ${CA_KEY_RULE}`,
    ok: { 200: media('application/x-pem-file', '<name>-key.pem') }, errors: ['REAUTH_REQUIRED'],
  },
  'GET /api/v1/clusters/{cluster}/bundle.tar.gz': {
    summary: "Every file of the cluster (or of one node) as a tar.gz",
    description: `A bundle holding ca-key.pem or admin.kubeconfig: ${CA_KEY_RULE} One holding encryption-config.yaml: admins.`,
    ok: { 200: media('application/gzip', '<cluster>-certs.tar.gz or <cluster>-<node>-certs.tar.gz') }, errors: ['NODE_NOT_FOUND', 'REAUTH_REQUIRED', 'NOT_ISSUED'],
  },
  // nodes
  'GET /api/v1/clusters/{cluster}/nodes': {
    summary: 'Nodes with their expected files and state',
    description: 'view=brief: each status counts the files in sync and never looked at and lists only the others with their reason (NodeRow, the node list of a large cluster); ' +
      'the files with their hashes are on GET .../nodes/{node}/status.',
    ok: { 200: Type.Union([Items(NodeRow), Items(NodeSummary)]) },
  },
  'PUT /api/v1/clusters/{cluster}/nodes/{node}/ssh': {
    summary: "Set a node's SSH settings", description: `A change of target of a node that receives ca-key.pem: ${CA_KEY_RULE}`,
    ok: { 200: NodeSummary }, errors: ['SSH_TARGET_NOT_ALLOWED', 'PRECONDITION_FAILED', 'REAUTH_REQUIRED'], version: 'both',
  },
  'POST /api/v1/clusters/{cluster}/nodes/{node}/host-key-scan': {
    summary: "Read the node's SSH host key fingerprint (pins nothing)", ok: { 200: HostKeyScan },
    errors: ['SSH_NOT_CONFIGURED', 'SSH_TARGET_NOT_ALLOWED', 'SSH_UNREACHABLE'],
  },
  'POST /api/v1/clusters/{cluster}/ssh-import': {
    summary: 'SSH settings and host keys from an ssh_config and a known_hosts text: a preview per node, stored with apply',
    description: 'Each node is looked up in the ssh_config by its name (then its addresses) as `ssh <name>` would; with known_hosts, kpki looks at the key each node ' +
      'presents (pins nothing by itself) and pins it only when known_hosts holds that key for the host and port. A line that cannot be read: 400 VALIDATION_FAILED ' +
      `with its line number; a text over 1 MiB: 413. Applying a change of target of a node that receives ca-key.pem: ${CA_KEY_RULE}`,
    ok: { 200: SshImportAnswer }, errors: ['SSH_TARGET_NOT_ALLOWED', 'PRECONDITION_FAILED', 'REAUTH_REQUIRED', 'PAYLOAD_TOO_LARGE'], version: 'both',
  },
  'POST /api/v1/clusters/{cluster}/host-key-scan': {
    summary: 'Scan the host keys of the nodes named (default: every node with an SSH host): a review table; pins nothing',
    description: 'Each row: the key the node presents, whether it is the pinned one and, with a known_hosts text, whether known_hosts holds it.',
    ok: { 200: HostKeyReview }, errors: ['NODE_NOT_FOUND', 'PAYLOAD_TOO_LARGE'],
  },
  'POST /api/v1/clusters/{cluster}/host-keys': {
    summary: 'Pin the host keys the operator reviewed, all or none',
    description: 'Each node is scanned again: one that now presents another key refuses the request (409 HOST_KEY_CHANGED, details.nodes), one that cannot be ' +
      `reached 502 SSH_UNREACHABLE; nothing is pinned then. Pinning on a node that receives ca-key.pem: ${CA_KEY_RULE}`,
    ok: { 200: BulkSshAnswer }, errors: ['NODE_NOT_FOUND', 'SSH_NOT_CONFIGURED', 'HOST_KEY_CHANGED', 'SSH_UNREACHABLE', 'SSH_TARGET_NOT_ALLOWED', 'PRECONDITION_FAILED', 'REAUTH_REQUIRED'], version: 'both',
  },
  'POST /api/v1/clusters/{cluster}/ssh-hosts/first-address': {
    summary: "Use each named node's first address as its SSH host (a key pinned for another host is dropped)",
    description: `A control-plane node among them: ${CA_KEY_RULE}`,
    ok: { 200: BulkSshAnswer }, errors: ['NODE_NOT_FOUND', 'SSH_TARGET_NOT_ALLOWED', 'PRECONDITION_FAILED', 'REAUTH_REQUIRED'], version: 'both',
  },
  'PUT /api/v1/clusters/{cluster}/ssh-defaults': {
    summary: "The cluster's SSH defaults (user, port, remote folder) that nodes inherit unless they set their own",
    description: `A default that changes the target of a node that receives ca-key.pem (it inherits it): ${CA_KEY_RULE}`,
    ok: { 200: Cluster }, errors: ['SSH_TARGET_NOT_ALLOWED', 'PRECONDITION_FAILED', 'REAUTH_REQUIRED'], version: 'both',
  },
  'GET /api/v1/clusters/{cluster}/ssh-key': { summary: "The cluster's SSH deploy key (public half)", ok: { 200: DeployKey }, errors: ['NOT_FOUND'] },
  'PUT /api/v1/clusters/{cluster}/ssh-key': {
    summary: 'Upload the SSH deploy key (OpenSSH or PEM private key)', description: CA_KEY_RULE,
    ok: { 200: DeployKey }, errors: ['INVALID_PEM', 'UNSUPPORTED_KEY', 'REAUTH_REQUIRED'],
  },
  'GET /api/v1/clusters/{cluster}/nodes/{node}/status': { summary: "A node's state, judged now from its last look", ok: { 200: NodeStatus } },
  'POST /api/v1/clusters/{cluster}/nodes/{node}/verify': { summary: 'Look at the node now (writes nothing)', ok: { 200: NodeStatus } },
  'POST /api/v1/clusters/{cluster}/verifications': {
    summary: 'Look at every node (or those named) in a job; writes nothing', description: JOB, ok: { 202: JobAccepted }, errors: ['NODE_NOT_FOUND'],
  },
  'POST /api/v1/clusters/{cluster}/distributions': {
    summary: 'Write the files to every node (or those named) in a job',
    description: `ca-key.pem and admin.kubeconfig are written only when an admin browser session that re-entered the password starts it. ${JOB}`,
    ok: { 202: JobAccepted }, errors: ['NODE_NOT_FOUND', 'NOT_ISSUED'],
  },
  'POST /api/v1/clusters/{cluster}/nodes/{node}/distribute': {
    summary: 'Write the files to one node in a job',
    description: `ca-key.pem and admin.kubeconfig are written only when an admin browser session that re-entered the password starts it. ${JOB}`,
    ok: { 202: JobAccepted }, errors: ['NOT_ISSUED'],
  },
  // links, kubeconfigs
  'GET /api/v1/clusters/{cluster}/links': { summary: 'Will it work: every who-talks-to-whom link checked as Go\'s TLS would', ok: { 200: LinksResponse } },
  'GET /api/v1/clusters/{cluster}/kubeconfigs': {
    summary: 'The kubeconfigs: user, groups, server and why, what each embeds',
    description: 'name=<kubeconfig>: that one only (an empty list when the cluster has none of that name), chosen before anything is read, so one kubeconfig of a large cluster costs one.',
    ok: { 200: Items(KubeconfigSummary) },
  },
  'GET /api/v1/clusters/{cluster}/kubeconfigs/{name}': {
    summary: 'A kubeconfig file (YAML)', description: `admin and admin-workstation (cluster-admin credentials): ${CA_KEY_RULE}`,
    ok: { 200: media('application/yaml', 'the kubeconfig as kubectl config writes it') }, errors: ['KUBECONFIG_NOT_FOUND', 'NOT_ISSUED', 'REAUTH_REQUIRED'],
  },
  'GET /api/v1/clusters/{cluster}/encryption-config': {
    summary: "The API server's encryption config (YAML)", ok: { 200: media('application/yaml', 'encryption-config.yaml') }, errors: ['NOT_FOUND'],
  },
  // jobs
  'GET /api/v1/jobs': { summary: 'Jobs, newest first (log omitted)', ok: { 200: Items(Job) } },
  'GET /api/v1/jobs/{id}': { summary: 'A job with its progress, result and log', ok: { 200: Job } },
  'GET /api/v1/jobs/{id}/events': {
    summary: "A job's live progress as Server-Sent Events",
    description: 'Events `progress` ({done, total}), `log` (a JobLogLine), `status` ({status}), `node` (a JobNodeEvent: {node, outcome}, a node is through; '
      + 'a late client first gets those so far) and `end` (the final Job; then the stream closes). ' +
      'At most 10 open streams per user (429 RATE_LIMITED beyond).',
    ok: { 200: media('text/event-stream', 'events progress, log, status, node, end; each data: is JSON') },
  },
  // lifecycle
  'GET /api/v1/clusters/{cluster}/expiry': {
    summary: 'When each certificate expires, issued and as the nodes hold them',
    description: 'view=summary: how many of the report\'s entries (current leaves, the CA, older versions the nodes hold) are in warning, critical and expired, and the soonest ' +
      '(ExpirySummary, the banner above every page of a cluster), read from the certificates and the nodes\' last looks without judging every node\'s state.',
    ok: { 200: Type.Union([ExpirySummary, ExpiryReport]) },
  },
  'POST /api/v1/clusters/{cluster}/renewals': {
    summary: 'Renew certificates (those due, or those named), optionally distributing them',
    description: `202 with the job; 200 with jobId null when nothing is due. ${JOB}`,
    ok: { 202: LifecycleAnswer, 200: LifecycleAnswer },
    errors: ['CERTIFICATE_NOT_FOUND', 'CA_ROTATION_REQUIRED', 'CA_NOT_FOUND', 'NOT_ISSUED', 'ISSUANCE_TOO_LARGE'],
  },
  'GET /api/v1/clusters/{cluster}/changes': { summary: 'What the saved topology requires: new, outdated and retired certificates, files per node', ok: { 200: ChangeSet } },
  'POST /api/v1/clusters/{cluster}/changes/apply': {
    summary: 'Issue the new and outdated certificates, retire the others, optionally distribute',
    description: `202 with the job; 200 when there is nothing to issue (jobId null). ${JOB}`,
    ok: { 202: LifecycleAnswer, 200: LifecycleAnswer },
    errors: ['CA_ROTATION_REQUIRED', 'CA_NOT_FOUND', 'ISSUANCE_TOO_LARGE'],
  },
  // imports of an existing PKI (issue 14)
  'POST /api/v1/clusters/{cluster}/imports': {
    summary: 'Import an existing PKI for review: an archive as the body (application/gzip or application/zip), or JSON {node, path} to pull a folder from a node over SFTP',
    description: 'Answers the report (each file classified against the plan, its problems; never key material) and stores a pending import, files sealed, ' +
      `for 24 hours; nothing else changes until it is adopted. A pull uses the node's SSH settings and pinned host key and writes nothing. Files holding a CA key: ${CA_KEY_RULE}`,
    ok: { 201: ImportView },
    errors: ['ARCHIVE_REFUSED', 'NODE_NOT_FOUND', 'SSH_NOT_CONFIGURED', 'SSH_HOST_KEY_NOT_PINNED', 'SSH_TARGET_NOT_ALLOWED', 'SSH_HOST_KEY_MISMATCH', 'SSH_UNREACHABLE', 'SSH_AUTH_FAILED',
      'REAUTH_REQUIRED', 'VALIDATION_FAILED', 'INVALID_JSON', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'],
  },
  'GET /api/v1/clusters/{cluster}/imports/{id}': { summary: 'An import and its report', ok: { 200: ImportView }, errors: ['IMPORT_NOT_FOUND'] },
  'POST /api/v1/clusters/{cluster}/imports/{id}/adopt': {
    summary: "Adopt an import: its certificates and keys become the cluster's current versions, byte for byte (issuance kind import)",
    description: 'Certificates that differ from the plan are adopted and show as outdated in the change review; those without their key, with another key or ' +
      `from another CA are left out (skipped). Refused, storing nothing, when the CA key does not match the CA, the layout is read-only, or the cluster has another CA. Files holding a CA key: ${CA_KEY_RULE}`,
    ok: { 200: ImportAdopted }, errors: ['IMPORT_NOT_FOUND', 'IMPORT_NOT_ADOPTABLE', 'IMPORT_ENDED', 'REAUTH_REQUIRED'],
  },
  'DELETE /api/v1/clusters/{cluster}/imports/{id}': {
    summary: 'Discard a pending import (its sealed files are deleted)', ok: { 200: ImportView }, errors: ['IMPORT_NOT_FOUND', 'IMPORT_ENDED'],
  },
  'POST /api/v1/imports/proposal': {
    summary: 'A topology proposed from the certificates of an archive (node names from kubelet CNs, addresses from SANs); stores nothing',
    description: `The archive as the body (application/gzip or application/zip). An archive holding a CA key: ${CA_KEY_RULE}`,
    ok: { 200: ClusterInput }, errors: ['ARCHIVE_REFUSED', 'REAUTH_REQUIRED', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'],
  },
  // outside /api/v1
  'GET /metrics': {
    summary: 'Prometheus metrics: certificate expiry (x509 exporter names), node file states, jobs',
    description: 'Needs an API token of any role (Authorization: Bearer); KPKI_METRICS_PUBLIC=1 opens it.',
    ok: { 200: media('text/plain', 'the Prometheus text format (version 0.0.4)') },
  },
};

/** The ETag of a cluster's answers (its version). */
const ETagHeader = Type.String({ description: "the cluster's version: send it back as If-Match on a write to be refused (412) when someone changed the cluster since" });
/** If-Match on a cluster write. */
const IfMatchHeader = Type.Object({
  'if-match': Type.Optional(Type.String({ description: "the ETag of the cluster as read: 412 PRECONDITION_FAILED (details: the current version and cluster) when it changed since; without it the write goes ahead" })),
});

/** The security schemes of the description (components.securitySchemes). */
export const SECURITY_SCHEMES = {
  session: {
    type: 'apiKey', in: 'cookie', name: 'kpki_session',
    description: 'The session cookie POST /session sets (HttpOnly, SameSite=Strict; over https named __Host-kpki_session, Secure).',
  },
  csrf: {
    type: 'apiKey', in: 'header', name: 'x-csrf-token',
    description: 'The csrfToken of GET /session, sent by a cookie session on every POST, PUT, PATCH and DELETE.',
  },
  bearer: {
    type: 'http', scheme: 'bearer',
    description: 'An API token (POST /tokens): acts with its user\'s role; never manages users, tokens or passwords, never moves the CA key.',
  },
} as const;

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** "/api/v1/clusters/:cluster" -> "/api/v1/clusters/{cluster}" (the key of OPERATIONS and of the description's paths). */
export const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/** The codes a path parameter can answer when its object does not exist. */
function notFoundCodes(url: string): ErrorCode[] {
  const codes: ErrorCode[] = [];
  if (url.includes(':cluster')) codes.push('CLUSTER_NOT_FOUND');
  if (url.includes(':node')) codes.push('NODE_NOT_FOUND');
  if (url.includes('/certificates/:name')) codes.push('CERTIFICATE_NOT_FOUND');
  if (url.includes('/kubeconfigs/:name')) codes.push('KUBECONFIG_NOT_FOUND');
  if (url.startsWith(`${API}/jobs/:id`)) codes.push('JOB_NOT_FOUND');
  return codes;
}

interface RouteConfig { role?: string; session?: boolean }

/** The role line of an operation's description, from the route's config (the auth hook's rule). */
function roleLine(method: string, config: RouteConfig, url: string): string {
  if (url === '/metrics') return 'Role: any (an API token).';
  if (config.role === 'public') return 'Public: no sign-in needed.';
  const role = config.role ?? (SAFE.has(method) ? 'viewer' : 'operator');
  const least = role === 'admin' ? 'admin' : `${role} or more`;
  return `Role: ${least}.${config.session ? ' A browser session only: API tokens get 403 FORBIDDEN.' : ''}`;
}

function securityOf(method: string, config: RouteConfig, url: string): Array<Record<string, string[]>> {
  if (url === '/metrics') return [{ bearer: [] }];
  if (config.role === 'public') return url === `${API}/session` && method === 'GET' ? [{ session: [] }, { bearer: [] }, {}] : [];
  const cookie: Record<string, string[]> = SAFE.has(method) ? { session: [] } : { session: [], csrf: [] };
  return config.session ? [cookie] : [cookie, { bearer: [] }];
}

/** The error codes an operation may answer, by HTTP status. */
function errorCodes(method: string, route: RouteOptions, op: Operation): Map<number, ErrorCode[]> {
  const config = (route.config ?? {}) as RouteConfig;
  const schema = (route.schema ?? {}) as Record<string, unknown>;
  const codes = new Set<ErrorCode>(['RATE_LIMITED', 'INTERNAL', ...notFoundCodes(route.url ?? ''), ...(op.errors ?? [])]);
  if (config.role !== 'public' || route.url === '/metrics') codes.add('UNAUTHENTICATED').add('FORBIDDEN');
  if (config.role !== 'public' && !SAFE.has(method)) codes.add('CSRF_INVALID');
  if (schema.params || schema.querystring || schema.body) codes.add('VALIDATION_FAILED');
  if (schema.body) codes.add('INVALID_JSON').add('PAYLOAD_TOO_LARGE').add('UNSUPPORTED_MEDIA_TYPE');
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = ErrorCodes[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return byStatus;
}

/** The response entry of a success answer. */
function okEntry(answer: TSchema | Media, etag: boolean): unknown {
  if (!isMedia(answer)) return etag ? { ...answer, headers: { etag: ETagHeader } } : answer;
  if (!answer.media.length) return { description: answer.description, type: 'null' };
  return {
    description: answer.description,
    content: Object.fromEntries(answer.media.map((m) => [m, { schema: m === 'application/json' && answer.json ? answer.json : { type: 'string' } }])),
  };
}

/**
 * Adds the contract of its operation to a route being registered: summary, description with the
 * role, security, success and error answers. Routes of the docs UI are left alone; a route without
 * an entry gets none (the OpenAPI test fails on it).
 */
export function applyContract(route: RouteOptions): void {
  const url = route.url ?? '';
  if (url.startsWith('/api/docs')) return;
  const methods = [route.method].flat();
  const method = methods.includes('HEAD') && methods.length === 1 ? 'GET' : String(methods[0]);
  const op = OPERATIONS[`${method} ${openApiPath(url)}`];
  if (!op) return;
  const config = (route.config ?? {}) as RouteConfig;
  const schema = (route.schema ?? {}) as Record<string, unknown>;
  const response: Record<string, unknown> = {};
  const etag = op.version === 'etag' || op.version === 'both';
  for (const [status, answer] of Object.entries(op.ok)) response[status] = okEntry(answer, etag);
  for (const [status, codes] of errorCodes(method, route, op)) {
    const details = status === 412 ? ClusterConflict : undefined;
    response[status] = { ...ErrorBodyOf(codes, details), description: codes.join(', ') };
  }
  const ifMatch = op.version === 'if-match' || op.version === 'both';
  route.schema = {
    ...schema,
    ...(ifMatch && !schema.headers ? { headers: IfMatchHeader } : {}),
    summary: op.summary,
    description: [roleLine(method, config, url), op.description].filter(Boolean).join(' '),
    security: securityOf(method, config, url),
    response: { ...response, ...(schema.response as object | undefined) },
  };
}
