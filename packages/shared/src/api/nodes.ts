/** Node SSH and distribution state, docs/domain.md section 4. */
import Type from 'typebox';
import { ClusterNode, SshSettings } from './cluster.ts';

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
export const FileState = Type.Union([
  Type.Literal('in-sync'), Type.Literal('missing'), Type.Literal('stale'), Type.Literal('foreign'), Type.Literal('mode'), Type.Literal('unknown'),
]);
export type FileState = Type.Static<typeof FileState>;

/**
 * A node's state: the worst of its files' states (foreign, mode, stale, missing), or why its
 * files cannot be judged: `unreachable` (the last look failed), `not-configured` (no SSH host
 * or no pinned host key), `not-checked` (never looked at with its current SSH target), and
 * `nothing-to-hold` for a node that must hold no file (a load balancer).
 */
export const NodeState = Type.Union([
  Type.Literal('in-sync'), Type.Literal('missing'), Type.Literal('stale'), Type.Literal('foreign'), Type.Literal('mode'),
  Type.Literal('unreachable'), Type.Literal('not-configured'), Type.Literal('not-checked'), Type.Literal('nothing-to-hold'),
]);
export type NodeState = Type.Static<typeof NodeState>;

/** Why a file is not in sync, in words and in fields. */
export const DriftReason = Type.Object({
  /** one sentence, e.g. "worker1-key.pem is 0644: readable by every user on the node; expected 0600" */
  message: Type.String(),
  /** stale: the serial of the earlier version the node holds */
  serial: Type.Optional(Type.String({ description: 'stale: the serial of the earlier version the node holds' })),
  /** stale: when that version was superseded by a newer one (ISO 8601) */
  supersededAt: Type.Optional(Type.String({ description: 'stale: when that version was superseded by a newer one' })),
  /** foreign: the kpki file this content is, e.g. "kube-proxy.pem" (absent: content kpki never issued) */
  is: Type.Optional(Type.String({ description: 'foreign: the kpki file this content is (absent: content kpki never issued)' })),
  /** mode: true when the mode exposes a secret (a key readable or writable by others) */
  security: Type.Optional(Type.Boolean({ description: 'mode: true when the mode exposes a secret' })),
});
export type DriftReason = Type.Static<typeof DriftReason>;

export const NodeFileStatus = Type.Object({
  file: Type.String(),
  /** expected mode, "0600" or "0644" */
  mode: Type.String({ description: 'expected mode, "0600" or "0644"' }),
  /** mode found on the node at the last look, null when missing or never looked at */
  remoteMode: Type.Union([Type.String(), Type.Null()]),
  /** SHA-256 of what the node must hold now ('' when not issued yet) */
  expectedSha256: Type.String(),
  /** SHA-256 found on the node at the last look, null when missing or never looked at */
  remoteSha256: Type.Union([Type.String(), Type.Null()]),
  state: FileState,
  /** null when in sync */
  reason: Type.Union([DriftReason, Type.Null()]),
});
export type NodeFileStatus = Type.Static<typeof NodeFileStatus>;

/** GET /clusters/{cluster}/nodes/{node}/status, POST .../verify */
export const NodeStatus = Type.Object({
  node: Type.String(),
  state: NodeState,
  /** ISO time of the last attempt to look at the node (the age of `state`), null if never */
  checkedAt: Type.Union([Type.String(), Type.Null()], { description: 'the last attempt to look at the node (the age of state), null if never' }),
  /** ISO time the files were last read (the age of the files' states), null if never */
  filesCheckedAt: Type.Union([Type.String(), Type.Null()], { description: "when the files were last read (the age of the files' states), null if never" }),
  /** true when the node holds files and was not looked at within KPKI_VERIFY_AFTER_MINUTES */
  checkDue: Type.Boolean(),
  /** resolved remote folder of the last look */
  remoteDir: Type.Union([Type.String(), Type.Null()]),
  files: Type.Array(NodeFileStatus),
  /** files named like kpki's (*.pem, *.kubeconfig, encryption-config.yaml) on the node that it must not hold (listed, never deleted) */
  otherFiles: Type.Array(Type.String()),
  /** why the last look failed (state unreachable or not-configured) */
  error: Type.Union([
    Type.Object({
      code: Type.String(),
      message: Type.String(),
      /** the exact cause (refused, closed, silent port): admins only */
      detail: Type.Optional(Type.String({ description: 'the exact cause (refused, closed, silent port): admins only' })),
    }),
    Type.Null(),
  ]),
  /**
   * Set while a file under the CA key rule (ca-key.pem, admin.kubeconfig) is not in sync on the
   * node because the distribution that would have written it was not started by an admin who
   * re-entered the password: why, when, and which of those files the node lacks (`files`). A
   * distribution by such an admin delivers them.
   */
  caKeyWithheld: Type.Optional(Type.Union([
    Type.Object({ reason: Type.String(), at: Type.String(), files: Type.Optional(Type.Array(Type.String())) }),
    Type.Null(),
  ])),
});
export type NodeStatus = Type.Static<typeof NodeStatus>;

/** Row of GET /clusters/{cluster}/nodes */
export const NodeSummary = Type.Object({
  ...ClusterNode.properties,
  /** read-only, derived: the SSH settings in force (its own, and the cluster's sshDefaults for the user, port and folder it does not set) */
  effectiveSsh: Type.Optional(Type.Union([SshSettings, Type.Null()], { description: "read-only, derived when read: the node's own SSH settings with the cluster's sshDefaults for the user, port and remote folder it does not set; null when neither sets anything" })),
  expectedFiles: Type.Integer(),
  status: NodeStatus,
});
export type NodeSummary = Type.Static<typeof NodeSummary>;

/** A file of a node whose state needs a word: neither in sync nor unknown (never looked at). */
export const NodeFileDrift = Type.Object({
  file: Type.String(),
  state: Type.Union([Type.Literal('missing'), Type.Literal('stale'), Type.Literal('foreign'), Type.Literal('mode')]),
  reason: Type.Union([DriftReason, Type.Null()]),
});
export type NodeFileDrift = Type.Static<typeof NodeFileDrift>;

/**
 * A node's state as the node list shows it (GET /clusters/{cluster}/nodes?view=brief): the same
 * judgement as NodeStatus, made at the same read, with the files counted instead of listed: how
 * many are in sync and how many were never looked at, and each other file with its state and
 * reason. The expected and remote hashes, the remote folder and the other files are on
 * GET .../nodes/{node}/status.
 */
export const NodeStatusBrief = Type.Object({
  node: Type.String(),
  state: NodeState,
  checkedAt: NodeStatus.properties.checkedAt,
  filesCheckedAt: NodeStatus.properties.filesCheckedAt,
  checkDue: Type.Boolean(),
  error: NodeStatus.properties.error,
  caKeyWithheld: NodeStatus.properties.caKeyWithheld,
  /** expected files found with the expected content and mode */
  filesInSync: Type.Integer({ description: 'expected files found with the expected content and mode' }),
  /** expected files never looked at (state unknown) */
  filesUnknown: Type.Integer({ description: 'expected files never looked at (state unknown)' }),
  /** every other expected file: missing, stale, foreign or mode, with its reason */
  drift: Type.Array(NodeFileDrift, { description: 'every other expected file (missing, stale, foreign, mode) with its reason' }),
});
export type NodeStatusBrief = Type.Static<typeof NodeStatusBrief>;

/** Row of GET /clusters/{cluster}/nodes?view=brief: a NodeSummary with the brief status. */
export const NodeRow = Type.Object({
  ...ClusterNode.properties,
  effectiveSsh: NodeSummary.properties.effectiveSsh,
  expectedFiles: Type.Integer(),
  status: NodeStatusBrief,
});
export type NodeRow = Type.Static<typeof NodeRow>;

/** The brief form of a node state (the one place that says what the node list keeps of it). */
export function briefStatus(s: NodeStatus): NodeStatusBrief {
  const drift: NodeFileDrift[] = [];
  let filesInSync = 0;
  let filesUnknown = 0;
  for (const f of s.files) {
    if (f.state === 'in-sync') filesInSync++;
    else if (f.state === 'unknown') filesUnknown++;
    else drift.push({ file: f.file, state: f.state, reason: f.reason });
  }
  return {
    node: s.node, state: s.state, checkedAt: s.checkedAt, filesCheckedAt: s.filesCheckedAt, checkDue: s.checkDue, error: s.error,
    ...(s.caKeyWithheld !== undefined ? { caKeyWithheld: s.caKeyWithheld } : {}),
    filesInSync, filesUnknown, drift,
  };
}

/** A node list row from a full summary (what PUT .../nodes/{node}/ssh answers). */
export const nodeRowOf = ({ status, ...node }: NodeSummary): NodeRow => ({ ...node, status: briefStatus(status) });

/** GET /clusters/{cluster}/ssh-key */
export const DeployKey = Type.Object({
  /** OpenSSH public line, e.g. "ssh-ed25519 AAAA... kpki-<cluster>" */
  publicKey: Type.String({ description: 'OpenSSH public line, e.g. "ssh-ed25519 AAAA... kpki-<cluster>"' }),
  /** "SHA256:..." */
  fingerprint: Type.String(),
  source: Type.Union([Type.Literal('generated'), Type.Literal('uploaded')]),
});
export type DeployKey = Type.Static<typeof DeployKey>;

/** POST /clusters/{cluster}/nodes/{node}/host-key-scan (pins nothing) */
export const HostKeyScan = Type.Object({
  host: Type.String(),
  port: Type.Integer(),
  /** "SHA256:..." as ssh-keygen -lf prints it */
  fingerprint: Type.String({ description: '"SHA256:..." as ssh-keygen -lf prints it' }),
  /** e.g. "ssh-ed25519" */
  keyType: Type.String(),
});
export type HostKeyScan = Type.Static<typeof HostKeyScan>;
