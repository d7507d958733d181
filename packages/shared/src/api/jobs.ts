/** Jobs: issuance, distribution and verification runs, persisted with progress and a log. */
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'interrupted';

/** 202 answer of every request that starts a job (issuance, distribution). */
export interface JobAccepted {
  jobId: string;
}

/** Every status, in the order a job goes through them. */
export const JOB_STATUSES: readonly JobStatus[] = ['queued', 'running', 'succeeded', 'failed', 'interrupted'];

/** The statuses a job ends in: nothing changes it afterwards. */
export const FINISHED_JOB_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'interrupted'];

/** True when a job with this status has ended. */
export const isJobFinished = (status: string): boolean => (FINISHED_JOB_STATUSES as readonly string[]).includes(status);
/**
 * issuance: every leaf; distribution: files to nodes; verification: a look at nodes; renewal: some leaves (issue 10); apply: the changes of
 * the topology; ca-rotation: one phase of a CA rotation (issue 13)
 */
export type JobType = 'issuance' | 'distribution' | 'verification' | 'renewal' | 'apply' | 'ca-rotation';

export interface JobLogLine {
  /** ISO 8601 UTC */
  at: string;
  level: 'info' | 'warn' | 'error';
  message: string;
  /** node the line is about, for distribution jobs */
  node?: string;
}

export interface Job {
  id: string;
  type: JobType;
  cluster: string;
  status: JobStatus;
  progress: { done: number; total: number };
  /** parameters, e.g. { nodes: ["cp1"] } for a distribution */
  params: Record<string, unknown>;
  /** outcome, e.g. { issuanceId }, { nodes: { cp1: { state, uploaded, error? } } } (distribution) or { nodes: { cp1: { state, error? } } } (verification) */
  result: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
  /** who started it: a user name, "kpki" for a job kpki started itself, null when not recorded (older jobs) */
  startedBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  log: JobLogLine[];
}

/**
 * Server-Sent Events of GET /api/v1/jobs/{id}/events, each `data:` is JSON:
 * - event `progress`: { done, total }
 * - event `log`: JobLogLine
 * - event `status`: { status }
 * - event `end`: the final Job (then the stream closes)
 */
export type JobEventName = 'progress' | 'log' | 'status' | 'end';
