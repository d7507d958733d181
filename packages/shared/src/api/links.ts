/** Shapes of GET /clusters/{cluster}/links: every who-talks-to-whom link and whether it works. */

/**
 * Which files the check uses:
 * - `issued`: the links of the topology in force (as of the last issuance) with the current
 *   certificate versions kpki holds;
 * - `deployed`: the same links with the files each node held at its last verify;
 * - `planned`: the links of the topology as saved now (changes not applied yet included) with
 *   the files the nodes hold: what breaks when the components follow the saved topology.
 */
export type LinkSource = 'issued' | 'deployed' | 'planned';
export const LINK_SOURCES: readonly LinkSource[] = ['issued', 'deployed', 'planned'];

export type LinkVerdict = 'ok' | 'fails';

/** Stable codes of the reasons a link fails. */
export type LinkReasonCode =
  | 'file-missing' | 'not-verified' | 'node-unreachable' | 'not-issued' | 'content-unknown'
  | 'bad-file' | 'key-mismatch'
  | 'expired' | 'hostname' | 'unknown-authority' | 'incompatible-usage' | 'not-authorized-to-sign' | 'too-many-intermediates'
  | 'identity';

/** One reason a link fails: Go's words where the component would log them, and whose file it is. */
export interface LinkReason {
  code: LinkReasonCode;
  /** e.g. "x509: certificate is valid for 10.32.0.1, 192.168.56.21, 127.0.0.1, not 192.168.56.20" */
  message: string;
  /** whose file: the client's or the server's */
  side: 'client' | 'server';
  /** node holding the file; null for the operator's copy (admin) */
  node: string | null;
  file: string | null;
  /** who logs it and how to read it, e.g. "kubelet on worker1 rejects the certificate kube-apiserver on cp1 serves" */
  detail: string;
}

/** One concrete link: a client on a node dialing a server at an address. */
export interface LinkEdge {
  /** stable id, e.g. "kubelet@worker1>kube-apiserver@cp1" */
  id: string;
  /** index of the row in Plan.matrixRows (the eight kinds of connection) */
  row: number;
  client: string;
  /** node the client runs on (null: the operator's workstation) */
  clientNode: string | null;
  server: string;
  /** node whose files serve the link */
  serverNode: string;
  /** what the client dials */
  address: string;
  port: number;
  /** certificate the client presents */
  certificate: string;
  verdict: LinkVerdict;
  /** empty when ok; the first is what the component logs first */
  reasons: LinkReason[];
  /** what the link also needs that kpki cannot see (RBAC inside the cluster) */
  needs: string[];
}

/** A check across nodes that is not one TLS link (the service-account key pair). */
export interface LinkConsistencyCheck {
  name: string;
  verdict: LinkVerdict;
  reasons: LinkReason[];
}

/** GET /clusters/{cluster}/links */
export interface LinksResponse {
  source: LinkSource;
  /** the time validity was checked for (ISO): now, `at`, or now + `inDays` */
  at: string;
  /** which topology the links come from: in force (last issuance) or as saved */
  topology: 'applied' | 'saved';
  /** the saved topology differs from the one in force: `planned` shows what that changes */
  pendingChange: boolean;
  summary: { total: number; ok: number; fails: number };
  /** deployed and planned: nodes that must hold files, how many have been verified, the oldest look */
  nodes: { withFiles: number; verified: number; oldestCheck: string | null } | null;
  edges: LinkEdge[];
  checks: LinkConsistencyCheck[];
}
