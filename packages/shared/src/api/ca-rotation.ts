/**
 * CA rotation (issue 13): the request that starts a phase and the state GET .../ca-rotation
 * answers. The phases: prepare (trust both CAs, the old one still signs), switch (every leaf
 * re-issued by the new CA, which signs from then on, trust still both), finalize (trust the new CA
 * only; the old one is kept as retired); abort before finalize goes back one phase at a time to
 * the old CA alone.
 */
import Type from 'typebox';
import type { NodeState } from './nodes.ts';

/** What a POST asks for. */
export type CaRotationAction = 'prepare' | 'switch' | 'finalize' | 'abort';

/** Body of POST /clusters/{cluster}/ca-rotation. */
export const CaRotationRequest = Type.Object(
  {
    phase: Type.Union([Type.Literal('prepare'), Type.Literal('switch'), Type.Literal('finalize'), Type.Literal('abort')]),
    /** then write the files the phase changed to every node (the normal distribution, only those files) */
    distribute: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CaRotationRequest = Type.Static<typeof CaRotationRequest>;

/** Where a rotation stands: none (no rotation running), prepared (trust both, old signs), switched (trust both, new signs). */
export type CaRotationPhase = 'none' | 'prepared' | 'switched';

/** One CA of a rotation. */
export interface CaRotationCa {
  serial: string;
  /** SHA-256 fingerprint of the DER, upper-case hex with colons (as openssl prints it) */
  sha256: string;
  subject: string;
  notBefore: string;
  notAfter: string;
  /** this CA signs now (its key is ca-key.pem) */
  signing: boolean;
}

/** A node against what the phase says it must hold. */
export interface CaRotationNode {
  node: string;
  /** every file of the phase (ca.pem and the kubeconfigs; after switch every certificate and key too) is in sync, as of the node's last look */
  inStep: boolean;
  /** the node's state (node-status) */
  state: NodeState;
  /** the phase's files that are not in sync, with their state: "ca.pem stale" */
  notInStep: string[];
  /** when the node was last looked at, null when never */
  checkedAt: string | null;
}

/** One step of the restart order: a component, on which nodes, the command and what to check afterwards. */
export interface RestartStep {
  step: number;
  component: string;
  /** the nodes, one at a time when `oneAtATime` */
  nodes: string[];
  oneAtATime: boolean;
  /** on each node (the systemd units as Kubernetes the Hard Way names them) */
  command: string;
  /** what to check after each node before the next one */
  check: string;
}

/** A rotation kept in history (finalized or aborted). */
export interface CaRotationRecord {
  id: string;
  status: 'active' | 'finalized' | 'aborted';
  phase: 'prepared' | 'switched';
  oldCaSerial: string;
  newCaSerial: string;
  startedAt: string;
  updatedAt: string;
  endedAt: string | null;
}

/** GET /clusters/{cluster}/ca-rotation. */
export interface CaRotationStatus {
  phase: CaRotationPhase;
  /** the CA the rotation replaces; the current CA when no rotation runs; null without a CA */
  oldCa: CaRotationCa | null;
  /** the CA that replaces it; null when no rotation runs */
  newCa: CaRotationCa | null;
  nodes: CaRotationNode[];
  /** the POST phases possible now */
  next: CaRotationAction[];
  /** why the next phase forward would be refused now (a node not in step), null when it would not */
  blocked: string | null;
  /** the restart order after the phase's files are on the nodes (none: after the last phase) */
  restartOrder: RestartStep[];
  /** a cross-signed copy of the new CA (signed by the old key) downloads from .../ca-rotation/cross-signed.pem */
  crossSigned: boolean;
  startedAt: string | null;
  history: CaRotationRecord[];
}

/** 202 answer of POST .../ca-rotation. */
export interface CaRotationAnswer {
  jobId: string;
  /** what the job does */
  message: string;
}
