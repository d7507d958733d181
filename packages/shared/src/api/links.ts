/** Shapes of GET /clusters/{cluster}/links: every who-talks-to-whom link and whether it works (TypeBox schemas and their types). */
import Type from 'typebox';

/**
 * Which files the check uses:
 * - `issued`: the links of the topology in force (as of the last issuance) with the current
 *   certificate versions kpki holds;
 * - `deployed`: the same links with the files each node held at its last verify;
 * - `planned`: the links of the topology as saved now (changes not applied yet included) with
 *   the files the nodes hold: what breaks when the components follow the saved topology.
 */
export const LinkSource = Type.Union([Type.Literal('issued'), Type.Literal('deployed'), Type.Literal('planned')]);
export type LinkSource = Type.Static<typeof LinkSource>;
export const LINK_SOURCES: readonly LinkSource[] = ['issued', 'deployed', 'planned'];

export const LinkVerdict = Type.Union([Type.Literal('ok'), Type.Literal('fails')]);
export type LinkVerdict = Type.Static<typeof LinkVerdict>;

/** Stable codes of the reasons a link fails. */
export const LinkReasonCode = Type.Union([
  Type.Literal('file-missing'), Type.Literal('not-verified'), Type.Literal('node-unreachable'), Type.Literal('not-issued'), Type.Literal('content-unknown'),
  Type.Literal('bad-file'), Type.Literal('key-mismatch'),
  Type.Literal('expired'), Type.Literal('hostname'), Type.Literal('unknown-authority'), Type.Literal('incompatible-usage'),
  Type.Literal('not-authorized-to-sign'), Type.Literal('too-many-intermediates'),
  Type.Literal('identity'),
]);
export type LinkReasonCode = Type.Static<typeof LinkReasonCode>;

/** One reason a link fails: Go's words where the component would log them, and whose file it is. */
export const LinkReason = Type.Object({
  code: LinkReasonCode,
  /** e.g. "x509: certificate is valid for 10.32.0.1, 192.168.56.21, 127.0.0.1, not 192.168.56.20" */
  message: Type.String({ description: 'what the component logs, e.g. "x509: certificate signed by unknown authority"' }),
  /** whose file: the client's or the server's */
  side: Type.Union([Type.Literal('client'), Type.Literal('server')]),
  /** node holding the file; null for the operator's copy (admin) */
  node: Type.Union([Type.String(), Type.Null()]),
  file: Type.Union([Type.String(), Type.Null()]),
  /** who logs it and how to read it, e.g. "kubelet on worker1 rejects the certificate kube-apiserver on cp1 serves" */
  detail: Type.String(),
});
export type LinkReason = Type.Static<typeof LinkReason>;

/** One concrete link: a client on a node dialing a server at an address. */
export const LinkEdge = Type.Object({
  /** stable id, e.g. "kubelet@worker1>kube-apiserver@cp1" */
  id: Type.String({ description: 'stable id, e.g. "kubelet@worker1>kube-apiserver@cp1"' }),
  /** index of the row in Plan.matrixRows (the eight kinds of connection) */
  row: Type.Integer({ description: 'index of the row in Plan.matrixRows' }),
  client: Type.String(),
  /** node the client runs on (null: the operator's workstation) */
  clientNode: Type.Union([Type.String(), Type.Null()]),
  server: Type.String(),
  /** node whose files serve the link */
  serverNode: Type.String(),
  /** what the client dials */
  address: Type.String(),
  port: Type.Integer(),
  /** certificate the client presents */
  certificate: Type.String(),
  verdict: LinkVerdict,
  /** empty when ok; the first is what the component logs first */
  reasons: Type.Array(LinkReason),
  /** what the link also needs that kpki cannot see (RBAC inside the cluster) */
  needs: Type.Array(Type.String()),
});
export type LinkEdge = Type.Static<typeof LinkEdge>;

/** A check across nodes that is not one TLS link (the service-account key pair). */
export const LinkConsistencyCheck = Type.Object({ name: Type.String(), verdict: LinkVerdict, reasons: Type.Array(LinkReason) });
export type LinkConsistencyCheck = Type.Static<typeof LinkConsistencyCheck>;

/** Per kind of connection (Plan.matrixRows, by index): how many of its links work and fail. */
export const LinkRowCount = Type.Object({ ok: Type.Integer(), fails: Type.Integer() });
export type LinkRowCount = Type.Static<typeof LinkRowCount>;

/**
 * The part of the links a query asked for (`failing`, `q`, `node`, `offset`, `limit`): how many
 * links match (and how many of those fail); `edges` then holds the matches from `offset`, at most
 * `limit` (all when not given), failing ones first.
 */
export const LinksPage = Type.Object({
  offset: Type.Integer(),
  limit: Type.Union([Type.Integer(), Type.Null()]),
  matched: Type.Integer(),
  matchedFails: Type.Integer(),
});
export type LinksPage = Type.Static<typeof LinksPage>;

/** GET /clusters/{cluster}/links */
export const LinksResponse = Type.Object({
  source: LinkSource,
  /** the time validity was checked for (ISO): now, `at`, or now + `inDays` */
  at: Type.String({ description: 'the time validity was checked for: now, `at`, or now + `inDays`' }),
  /** which topology the links come from: in force (last issuance) or as saved */
  topology: Type.Union([Type.Literal('applied'), Type.Literal('saved')]),
  /** the saved topology differs from the one in force: `planned` shows what that changes */
  pendingChange: Type.Boolean(),
  summary: Type.Object({ total: Type.Integer(), ok: Type.Integer(), fails: Type.Integer() }),
  /** deployed and planned: nodes that must hold files, how many have been verified, the oldest look */
  nodes: Type.Union([Type.Object({ withFiles: Type.Integer(), verified: Type.Integer(), oldestCheck: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
  /** per kind of connection (index of Plan.matrixRows): links that work and fail, of every link */
  rows: Type.Array(LinkRowCount, { description: 'per row of Plan.matrixRows (by index): links that work and fail' }),
  /** every link in the API's order; with a query (`page` present) the matching ones asked for, failing first */
  edges: Type.Array(LinkEdge),
  /** present when the query asked for part of the links (failing, q, node, offset, limit) */
  page: Type.Optional(LinksPage),
  checks: Type.Array(LinkConsistencyCheck),
});
export type LinksResponse = Type.Static<typeof LinksResponse>;
