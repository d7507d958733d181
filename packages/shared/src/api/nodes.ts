/** Node SSH and distribution state, docs/domain.md section 4. */
import type { ClusterNode } from './cluster.ts';

export type FileState = 'in-sync' | 'missing' | 'stale' | 'modified';
export type NodeState = 'in-sync' | 'missing' | 'stale' | 'modified' | 'unreachable' | 'not-configured';

export interface NodeFileStatus {
  file: string;
  /** expected mode, "0600" or "0644" */
  mode: string;
  /** mode found on the node, null when missing or not checked */
  remoteMode: string | null;
  expectedSha256: string;
  remoteSha256: string | null;
  state: FileState;
}

/** GET /clusters/{cluster}/nodes/{node}/status, POST .../verify */
export interface NodeStatus {
  node: string;
  state: NodeState;
  /** ISO time of the last look at the node, null if never */
  checkedAt: string | null;
  /** resolved remote folder */
  remoteDir: string | null;
  files: NodeFileStatus[];
  /** *.pem files on the node that kpki did not put there (listed, never deleted) */
  otherFiles: string[];
  error: { code: string; message: string } | null;
  /**
   * Set while ca-key.pem is not in sync on the node because the distribution that would have
   * written it was not started by an admin who re-entered the password (the CA key rule): why,
   * and when. A distribution by such an admin delivers it.
   */
  caKeyWithheld?: { reason: string; at: string } | null;
}

/** Row of GET /clusters/{cluster}/nodes */
export interface NodeSummary extends ClusterNode {
  expectedFiles: number;
  status: NodeStatus;
}

/** GET /clusters/{cluster}/ssh-key */
export interface DeployKey {
  /** OpenSSH public line, e.g. "ssh-ed25519 AAAA... kpki-<cluster>" */
  publicKey: string;
  /** "SHA256:..." */
  fingerprint: string;
  source: 'generated' | 'uploaded';
}

/** POST /clusters/{cluster}/nodes/{node}/host-key-scan (pins nothing) */
export interface HostKeyScan {
  host: string;
  port: number;
  /** "SHA256:..." as ssh-keygen -lf prints it */
  fingerprint: string;
  /** e.g. "ssh-ed25519" */
  keyType: string;
}
