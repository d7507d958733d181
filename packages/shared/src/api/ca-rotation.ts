/**
 * CA rotation (issue 13): the request that starts a phase and the state GET .../ca-rotation
 * answers. The phases: prepare (trust both CAs, the old one still signs), switch (every leaf
 * re-issued by the new CA, which signs from then on, trust still both), finalize (trust the new CA
 * only; the old one is kept as retired); abort before finalize goes back one phase at a time to
 * the old CA alone.
 */
import Type from 'typebox';
import { NodeState } from './nodes.ts';

/** What a POST asks for. */
export const CaRotationAction = Type.Union([Type.Literal('prepare'), Type.Literal('switch'), Type.Literal('finalize'), Type.Literal('abort')]);
export type CaRotationAction = Type.Static<typeof CaRotationAction>;

/** Body of POST /clusters/{cluster}/ca-rotation. */
export const CaRotationRequest = Type.Object(
  {
    phase: CaRotationAction,
    /** then write the files the phase changed to every node (the normal distribution, only those files) */
    distribute: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CaRotationRequest = Type.Static<typeof CaRotationRequest>;

/** Where a rotation stands: none (no rotation running), prepared (trust both, old signs), switched (trust both, new signs). */
export const CaRotationPhase = Type.Union([Type.Literal('none'), Type.Literal('prepared'), Type.Literal('switched')]);
export type CaRotationPhase = Type.Static<typeof CaRotationPhase>;

/** One CA of a rotation. */
export const CaRotationCa = Type.Object({
  serial: Type.String(),
  /** SHA-256 fingerprint of the DER, upper-case hex with colons (as openssl prints it) */
  sha256: Type.String({ description: 'SHA-256 fingerprint of the DER, upper-case hex with colons (as openssl prints it)' }),
  subject: Type.String(),
  notBefore: Type.String(),
  notAfter: Type.String(),
  /** this CA signs now (its key is ca-key.pem) */
  signing: Type.Boolean({ description: 'this CA signs now (its key is ca-key.pem)' }),
});
export type CaRotationCa = Type.Static<typeof CaRotationCa>;

/** A node against what the phase says it must hold. */
export const CaRotationNode = Type.Object({
  node: Type.String(),
  /** every file of the phase (ca.pem and the kubeconfigs; after switch every certificate and key too) is in sync, as of the node's last look */
  inStep: Type.Boolean({ description: "every file of the phase is in sync, as of the node's last look" }),
  /** the node's state (node-status) */
  state: NodeState,
  /** the phase's files that are not in sync, with their state: "ca.pem stale" */
  notInStep: Type.Array(Type.String(), { description: 'the phase\'s files that are not in sync, with their state: "ca.pem stale"' }),
  /** when the node was last looked at, null when never */
  checkedAt: Type.Union([Type.String(), Type.Null()]),
});
export type CaRotationNode = Type.Static<typeof CaRotationNode>;

/** One step of the restart order: a component, on which nodes, the command and what to check afterwards. */
export const RestartStep = Type.Object({
  step: Type.Integer(),
  component: Type.String(),
  /** the nodes, one at a time when `oneAtATime` */
  nodes: Type.Array(Type.String()),
  oneAtATime: Type.Boolean(),
  /** on each node (the systemd units as Kubernetes the Hard Way names them) */
  command: Type.String(),
  /** what to check after each node before the next one */
  check: Type.String(),
});
export type RestartStep = Type.Static<typeof RestartStep>;

/** A rotation kept in history (finalized or aborted). */
export const CaRotationRecord = Type.Object({
  id: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('finalized'), Type.Literal('aborted')]),
  phase: Type.Union([Type.Literal('prepared'), Type.Literal('switched')]),
  oldCaSerial: Type.String(),
  newCaSerial: Type.String(),
  startedAt: Type.String(),
  updatedAt: Type.String(),
  endedAt: Type.Union([Type.String(), Type.Null()]),
});
export type CaRotationRecord = Type.Static<typeof CaRotationRecord>;

/** GET /clusters/{cluster}/ca-rotation. */
export const CaRotationStatus = Type.Object({
  phase: CaRotationPhase,
  /** the CA the rotation replaces; the current CA when no rotation runs; null without a CA */
  oldCa: Type.Union([CaRotationCa, Type.Null()], { description: 'the CA the rotation replaces; the current CA when no rotation runs; null without a CA' }),
  /** the CA that replaces it; null when no rotation runs */
  newCa: Type.Union([CaRotationCa, Type.Null()], { description: 'the CA that replaces it; null when no rotation runs' }),
  nodes: Type.Array(CaRotationNode),
  /** the POST phases possible now */
  next: Type.Array(CaRotationAction, { description: 'the POST phases possible now' }),
  /** why the next phase forward would be refused now (a node not in step), null when it would not */
  blocked: Type.Union([Type.String(), Type.Null()], { description: 'why the next phase forward would be refused now (a node not in step), null when it would not' }),
  /** the restart order after the phase's files are on the nodes (none: after the last phase) */
  restartOrder: Type.Array(RestartStep),
  /** a cross-signed copy of the new CA (signed by the old key) downloads from .../ca-rotation/cross-signed.pem */
  crossSigned: Type.Boolean({ description: 'a cross-signed copy of the new CA (signed by the old key) downloads from .../ca-rotation/cross-signed.pem' }),
  startedAt: Type.Union([Type.String(), Type.Null()]),
  history: Type.Array(CaRotationRecord),
});
export type CaRotationStatus = Type.Static<typeof CaRotationStatus>;

/**
 * GET /clusters/{cluster}/ca-rotation?view=summary: what the banner above every page of a cluster
 * shows. The nodes are judged (as in the full answer) only while a rotation is in progress.
 */
export const CaRotationSummary = Type.Object({
  phase: CaRotationPhase,
  startedAt: Type.Union([Type.String(), Type.Null()]),
  /** nodes of the cluster, null when no rotation is in progress */
  nodes: Type.Union([Type.Integer(), Type.Null()], { description: 'nodes of the cluster, null when no rotation is in progress' }),
  /** nodes in step with the phase (CaRotationNode.inStep), null when no rotation is in progress */
  nodesInStep: Type.Union([Type.Integer(), Type.Null()], { description: 'nodes in step with the phase (CaRotationNode.inStep), null when no rotation is in progress' }),
});
export type CaRotationSummary = Type.Static<typeof CaRotationSummary>;

/** The summary of a full answer: the one definition of what the banner shows (the server computes the same without the full answer). */
export function summariseRotation(status: CaRotationStatus): CaRotationSummary {
  if (status.phase === 'none') return { phase: 'none', startedAt: null, nodes: null, nodesInStep: null };
  return { phase: status.phase, startedAt: status.startedAt, nodes: status.nodes.length, nodesInStep: status.nodes.filter((n) => n.inStep).length };
}

/** 202 answer of POST .../ca-rotation. */
export const CaRotationAnswer = Type.Object({
  jobId: Type.String(),
  /** what the job does */
  message: Type.String({ description: 'what the job does' }),
});
export type CaRotationAnswer = Type.Static<typeof CaRotationAnswer>;
