/** Node SSH and distribution state, docs/domain.md section 4. */
import type { ClusterNode } from './cluster.ts';

/**
 * A file's state, judged now from the node's last look against what the node must hold now
 * (so a re-issue turns files stale at once, without contacting the node):
 * - `in-sync`: the expected content with the expected mode;
 * - `missing`: not on the node;
 * - `stale`: an earlier kpki version of this same file;
 * - `foreign`: another kpki file (named in the reason), or content kpki never issued;
 * - `mode`: the expected content with a wrong mode (a security problem for keys);
 * - `unknown`: never looked at (the node was not checked since it had to hold this file).
 */
export type FileState = 'in-sync' | 'missing' | 'stale' | 'foreign' | 'mode' | 'unknown';

/**
 * A node's state: the worst of its files' states (foreign, mode, stale, missing), or why its
 * files cannot be judged: `unreachable` (the last look failed), `not-configured` (no SSH host
 * or no pinned host key), `not-checked` (never looked at with its current SSH target), and
 * `nothing-to-hold` for a node that must hold no file (a load balancer).
 */
export type NodeState =
  | 'in-sync' | 'missing' | 'stale' | 'foreign' | 'mode'
  | 'unreachable' | 'not-configured' | 'not-checked' | 'nothing-to-hold';

/** Why a file is not in sync, in words and in fields. */
export interface DriftReason {
  /** one sentence, e.g. "worker1-key.pem is 0644: readable by every user on the node; expected 0600" */
  message: string;
  /** stale: the serial of the earlier version the node holds */
  serial?: string;
  /** stale: when that version was superseded by a newer one (ISO 8601) */
  supersededAt?: string;
  /** foreign: the kpki file this content is, e.g. "kube-proxy.pem" (absent: content kpki never issued) */
  is?: string;
  /** mode: true when the mode exposes a secret (a key readable or writable by others) */
  security?: boolean;
}

export interface NodeFileStatus {
  file: string;
  /** expected mode, "0600" or "0644" */
  mode: string;
  /** mode found on the node at the last look, null when missing or never looked at */
  remoteMode: string | null;
  /** SHA-256 of what the node must hold now ('' when not issued yet) */
  expectedSha256: string;
  /** SHA-256 found on the node at the last look, null when missing or never looked at */
  remoteSha256: string | null;
  state: FileState;
  /** null when in sync */
  reason: DriftReason | null;
}

/** GET /clusters/{cluster}/nodes/{node}/status, POST .../verify */
export interface NodeStatus {
  node: string;
  state: NodeState;
  /** ISO time of the last attempt to look at the node (the age of `state`), null if never */
  checkedAt: string | null;
  /** ISO time the files were last read (the age of the files' states), null if never */
  filesCheckedAt: string | null;
  /** true when the node holds files and was not looked at within KPKI_VERIFY_AFTER_MINUTES */
  checkDue: boolean;
  /** resolved remote folder of the last look */
  remoteDir: string | null;
  files: NodeFileStatus[];
  /** files named like kpki's (*.pem, *.kubeconfig, encryption-config.yaml) on the node that it must not hold (listed, never deleted) */
  otherFiles: string[];
  /** why the last look failed (state unreachable or not-configured) */
  error: { code: string; message: string; /** the exact cause (refused, closed, silent port): admins only */ detail?: string } | null;
  /**
   * Set while a file under the CA key rule (ca-key.pem, admin.kubeconfig) is not in sync on the
   * node because the distribution that would have written it was not started by an admin who
   * re-entered the password: why, when, and which of those files the node lacks (`files`). A
   * distribution by such an admin delivers them.
   */
  caKeyWithheld?: { reason: string; at: string; files?: string[] } | null;
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
