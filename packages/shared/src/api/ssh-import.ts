/**
 * SSH set-up for fleets (issue 16): an import of the operator's own ssh_config and known_hosts,
 * the bulk host-key scan and pin, the cluster's SSH defaults and the bulk "first address as SSH
 * host". Request and answer schemas (TypeBox).
 */
import Type from 'typebox';
import { SshSettings } from './cluster.ts';

/** Largest ssh_config or known_hosts text an import takes (characters). */
export const SSH_IMPORT_MAX_CHARS = 1_048_576;

/** POST /clusters/{cluster}/ssh-import */
export const SshImportRequest = Type.Object(
  {
    /** an ssh_config text (as in ~/.ssh/config) */
    sshConfig: Type.Optional(Type.String({ description: 'an ssh_config text (as in ~/.ssh/config); at most 1 MiB' })),
    /** a known_hosts text (as in ~/.ssh/known_hosts, or ssh-keyscan output) */
    knownHosts: Type.Optional(Type.String({ description: 'a known_hosts text (~/.ssh/known_hosts or ssh-keyscan output); at most 1 MiB' })),
    /** store what the preview shows (default false: nothing is stored) */
    apply: Type.Optional(Type.Boolean({ description: 'store the settings the preview shows (default false: nothing is stored)' })),
  },
  { additionalProperties: false },
);
export type SshImportRequest = Type.Static<typeof SshImportRequest>;

export const SshImportProblemCode = Type.Union([
  /** ssh_config has no Host entry for the node (a catch-all alone gives no host) */
  Type.Literal('no-entry'),
  /** the node is reached through ProxyJump / ProxyCommand: kpki connects directly */
  Type.Literal('proxy-jump'),
  /** the settings would not be valid (user name, host) */
  Type.Literal('invalid'),
  /** KPKI_SSH_ALLOWED_NETWORKS / PORTS do not allow the target */
  Type.Literal('not-allowed'),
  /** known_hosts has no key for the node's host and port */
  Type.Literal('known-hosts-no-entry'),
  /** known_hosts has keys of the type the node presents, none of them the node's */
  Type.Literal('known-hosts-wrong-key'),
  /** known_hosts has keys for the node, none of the type the node presents to kpki */
  Type.Literal('known-hosts-key-type'),
  /** the key the node presents is marked @revoked */
  Type.Literal('known-hosts-revoked'),
  /** known_hosts holds several different keys of one type for the node, none of them the one it presents */
  Type.Literal('known-hosts-several-keys'),
  /** the node could not be reached to compare its key with known_hosts */
  Type.Literal('unreachable'),
]);
export type SshImportProblemCode = Type.Static<typeof SshImportProblemCode>;

export const SshImportProblem = Type.Object({ code: SshImportProblemCode, message: Type.String() });
export type SshImportProblem = Type.Static<typeof SshImportProblem>;

/** A key seen: in known_hosts (with its line) or presented by the node. */
export const SeenHostKey = Type.Object({
  /** "SHA256:..." as ssh-keygen -lf prints it */
  fingerprint: Type.String({ description: '"SHA256:..." as ssh-keygen -lf prints it' }),
  keyType: Type.String(),
  /** the known_hosts line */
  line: Type.Optional(Type.Integer()),
});
export type SeenHostKey = Type.Static<typeof SeenHostKey>;

/** One node of the topology in an import. */
export const SshImportRow = Type.Object({
  node: Type.String(),
  role: Type.String(),
  /** the first lines of the Host blocks that gave settings to the node */
  hostLines: Type.Array(Type.Integer(), { description: 'the first lines of the Host blocks that gave settings to the node' }),
  /** the node's own SSH settings now */
  current: Type.Union([SshSettings, Type.Null()]),
  /** the node's own SSH settings after the import */
  proposed: Type.Union([SshSettings, Type.Null()]),
  /** the fields that change (host, port, user, hostKey) */
  changes: Type.Array(Type.String(), { description: 'the fields that change (host, port, user, hostKey)' }),
  /** the known_hosts key that is pinned: the one the node presents */
  pinned: Type.Union([SeenHostKey, Type.Null()], { description: 'the known_hosts key that is pinned: the one the node presents; null when none is' }),
  /** what the node presented when kpki looked (only with known_hosts), null when not looked at or unreachable */
  presented: Type.Union([SeenHostKey, Type.Null()]),
  /** the known_hosts keys for the node's host and port */
  knownHostsKeys: Type.Array(SeenHostKey),
  problems: Type.Array(SshImportProblem),
  notes: Type.Array(Type.String()),
  /** true when the row's settings were stored (apply) */
  applied: Type.Boolean(),
});
export type SshImportRow = Type.Static<typeof SshImportRow>;

export const SshImportNote = Type.Object({
  source: Type.Union([Type.Literal('sshConfig'), Type.Literal('knownHosts')]),
  line: Type.Integer(),
  message: Type.String(),
});
export type SshImportNote = Type.Static<typeof SshImportNote>;

/** Answer of POST /clusters/{cluster}/ssh-import */
export const SshImportAnswer = Type.Object({
  /** true when the settings were stored */
  applied: Type.Boolean(),
  nodes: Type.Array(SshImportRow),
  /** Host entries that name no node of the topology (not errors) */
  unusedHosts: Type.Array(Type.Object({ line: Type.Integer(), patterns: Type.Array(Type.String()) }), { description: 'Host entries that name no node of the topology (not errors)' }),
  notes: Type.Array(SshImportNote),
  /** what applying changes on the way of the CA key (needs an admin with the password re-entered); [] when nothing */
  caKeyChanges: Type.Array(Type.String(), { description: 'what applying changes on the way of the CA key (the CA key rule applies); [] when nothing' }),
  counts: Type.Object({ nodes: Type.Integer(), changed: Type.Integer(), pinned: Type.Integer(), problems: Type.Integer() }),
});
export type SshImportAnswer = Type.Static<typeof SshImportAnswer>;

/** POST /clusters/{cluster}/host-key-scan */
export const HostKeyScanRequest = Type.Object(
  {
    /** the nodes to scan (default: every node with an SSH host) */
    nodes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 63 }), { minItems: 1, maxItems: 5000 })),
    /** a known_hosts text to compare with (optional) */
    knownHosts: Type.Optional(Type.String({ description: 'a known_hosts text to compare the keys with (optional); at most 1 MiB' })),
  },
  { additionalProperties: false },
);
export type HostKeyScanRequest = Type.Static<typeof HostKeyScanRequest>;

export const HostKeyReviewRow = Type.Object({
  node: Type.String(),
  /** the effective SSH host and port scanned (null: the node has no SSH host) */
  host: Type.Union([Type.String(), Type.Null()]),
  port: Type.Integer(),
  keyType: Type.Union([Type.String(), Type.Null()]),
  fingerprint: Type.Union([Type.String(), Type.Null()]),
  /** the pinned fingerprint now */
  pinned: Type.Union([Type.String(), Type.Null()]),
  /** 'same': the presented key is the pinned one; 'different'; 'none': nothing pinned */
  pinnedMatch: Type.Union([Type.Literal('same'), Type.Literal('different'), Type.Literal('none')]),
  /** with known_hosts: whether it holds the presented key ('match'), other keys ('no-match') or none for the host ('no-entry'); null without known_hosts */
  knownHosts: Type.Union([Type.Literal('match'), Type.Literal('no-match'), Type.Literal('no-entry'), Type.Null()]),
  /** why the scan failed */
  error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
});
export type HostKeyReviewRow = Type.Static<typeof HostKeyReviewRow>;

/** Answer of POST /clusters/{cluster}/host-key-scan (pins nothing) */
export const HostKeyReview = Type.Object({ items: Type.Array(HostKeyReviewRow) });
export type HostKeyReview = Type.Static<typeof HostKeyReview>;

/** POST /clusters/{cluster}/host-keys: pin the fingerprints the operator reviewed */
export const HostKeyPins = Type.Object(
  {
    pins: Type.Array(
      Type.Object({
        node: Type.String({ minLength: 1, maxLength: 63 }),
        fingerprint: Type.String({ minLength: 1, maxLength: 128 }),
      }, { additionalProperties: false }),
      { minItems: 1, maxItems: 5000 },
    ),
  },
  { additionalProperties: false },
);
export type HostKeyPins = Type.Static<typeof HostKeyPins>;

/** Answer of POST /clusters/{cluster}/host-keys and POST .../ssh-hosts/first-address: the nodes changed. */
export const BulkSshAnswer = Type.Object({
  /** the nodes whose settings changed */
  changed: Type.Array(Type.String()),
  /** the nodes whose settings were already so */
  unchanged: Type.Array(Type.String()),
});
export type BulkSshAnswer = Type.Static<typeof BulkSshAnswer>;

/** POST /clusters/{cluster}/ssh-hosts/first-address */
export const NodesSelection = Type.Object(
  { nodes: Type.Array(Type.String({ minLength: 1, maxLength: 63 }), { minItems: 1, maxItems: 5000 }) },
  { additionalProperties: false },
);
export type NodesSelection = Type.Static<typeof NodesSelection>;
