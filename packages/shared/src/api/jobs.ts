/** Jobs: issuance, distribution and verification runs, persisted with progress and a log (TypeBox schemas and their types). */
import Type from 'typebox';
import { NodeState } from './nodes.ts';

export const JobStatus = Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed'), Type.Literal('interrupted')]);
export type JobStatus = Type.Static<typeof JobStatus>;

/** 202 answer of every request that starts a job (issuance, distribution). */
export const JobAccepted = Type.Object({ jobId: Type.String({ description: 'follow it with GET /jobs/{id} or its event stream' }) });
export type JobAccepted = Type.Static<typeof JobAccepted>;

/** Every status in order (JOB_STATUSES), the ones a job ends in (FINISHED_JOB_STATUSES), isJobFinished: in lists.ts, without TypeBox. */
export { FINISHED_JOB_STATUSES, isJobFinished, JOB_STATUSES } from '../lists.ts';
/**
 * issuance: every leaf; distribution: files to nodes; verification: a look at nodes; renewal: some leaves (issue 10); apply: the changes of
 * the topology; ca-rotation: one phase of a CA rotation (issue 13)
 */
export const JobType = Type.Union([
  Type.Literal('issuance'), Type.Literal('distribution'), Type.Literal('verification'), Type.Literal('renewal'), Type.Literal('apply'), Type.Literal('ca-rotation'),
]);
export type JobType = Type.Static<typeof JobType>;

export const JobLogLine = Type.Object({
  /** ISO 8601 UTC */
  at: Type.String(),
  level: Type.Union([Type.Literal('info'), Type.Literal('warn'), Type.Literal('error')]),
  message: Type.String(),
  /** node the line is about, for distribution jobs */
  node: Type.Optional(Type.String({ description: 'node the line is about, for distribution jobs' })),
});
export type JobLogLine = Type.Static<typeof JobLogLine>;

export const JobProgress = Type.Object({ done: Type.Integer(), total: Type.Integer() });

/**
 * One node's outcome in a job that works node by node (distribution, verification, a CA rotation's
 * phase, a renewal or apply that distributes): `result.nodes[node]`, filled as each node is
 * through while the job runs (event `node`), complete when it ends. A node with `error` failed.
 */
export const JobNodeOutcome = Type.Object({
  /** the node's state judged right after (nothing-to-hold, not-configured for a node not looked at) */
  state: NodeState,
  /** distribution: the files written (those already identical are not) */
  uploaded: Type.Optional(Type.Array(Type.String(), { description: 'distribution: the files written' })),
  error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
  /** why ca-key.pem (and admin.kubeconfig) were left out on this node */
  caKeyWithheld: Type.Optional(Type.String({ description: 'why ca-key.pem (and admin.kubeconfig) were left out on this node' })),
});
export type JobNodeOutcome = Type.Static<typeof JobNodeOutcome>;

/** Data of the event `node` of GET /jobs/{id}/events: one node is through. */
export const JobNodeEvent = Type.Object({ node: Type.String(), outcome: JobNodeOutcome });
export type JobNodeEvent = Type.Static<typeof JobNodeEvent>;

export const Job = Type.Object({
  id: Type.String(),
  type: JobType,
  cluster: Type.String(),
  status: JobStatus,
  progress: JobProgress,
  /** parameters, e.g. { nodes: ["cp1"] } for a distribution */
  params: Type.Record(Type.String(), Type.Unknown(), { description: 'parameters, e.g. { nodes: ["cp1"], caKey, caKeyReason } for a distribution' }),
  /**
   * outcome, e.g. { issuanceId }, { nodes: { cp1: { state, uploaded, error? } } } (distribution) or { nodes: { cp1: { state, error? } } }
   * (verification): `nodes` maps a node to a JobNodeOutcome; while a job that works node by node runs, { nodes } holds the nodes through so far
   */
  result: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], {
    description: 'outcome, e.g. { issuanceId }, { nodes: { cp1: { state, uploaded, error? } } } (distribution) or { nodes: { cp1: { state, error? } } } (verification): '
      + 'nodes maps a node to a JobNodeOutcome; while a job that works node by node runs, { nodes } holds the nodes through so far',
  }),
  error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
  /** who started it: a user name, "kpki" for a job kpki started itself, null when not recorded (older jobs) */
  startedBy: Type.Union([Type.String(), Type.Null()], { description: 'a user name, "kpki" for a job kpki started itself, null when not recorded' }),
  createdAt: Type.String(),
  startedAt: Type.Union([Type.String(), Type.Null()]),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  log: Type.Array(JobLogLine),
});
export type Job = Type.Static<typeof Job>;

/**
 * Server-Sent Events of GET /api/v1/jobs/{id}/events, each `data:` is JSON:
 * - event `progress`: { done, total }
 * - event `log`: JobLogLine
 * - event `status`: { status }
 * - event `node`: JobNodeEvent, a node is through (a client that connects late receives those so far first)
 * - event `end`: the final Job (then the stream closes)
 */
export type JobEventName = 'progress' | 'log' | 'status' | 'node' | 'end';
