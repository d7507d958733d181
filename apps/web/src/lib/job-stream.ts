/**
 * What the live view of a job knows: the job as fetched, overlaid with the
 * Server-Sent Events received since (progress, log, status, end). Pure reducer.
 */
import type { Job, JobLogLine, JobNodeEvent, JobNodeOutcome, JobStatus } from '@kpki/shared';
import { isJobFinished } from '@kpki/shared/lists';

/** True once the job has ended (the shared FINISHED_JOB_STATUSES). */
export const isTerminal = (status: JobStatus | undefined | null) => !!status && isJobFinished(status);

export interface JobStreamState {
  progress: { done: number; total: number } | null;
  status: JobStatus | null;
  log: JobLogLine[];
  /** the nodes through so far (event `node`) */
  nodes: Record<string, JobNodeOutcome>;
  final: Job | null;
}

export type JobStreamEvent =
  | { type: 'progress'; data: { done: number; total: number } }
  | { type: 'log'; data: JobLogLine }
  | { type: 'status'; data: { status: JobStatus } }
  | { type: 'node'; data: JobNodeEvent }
  | { type: 'end'; data: Job }
  | { type: 'reset' };

export const initialJobStream: JobStreamState = { progress: null, status: null, log: [], nodes: {}, final: null };

export function jobStreamReducer(state: JobStreamState, event: JobStreamEvent): JobStreamState {
  switch (event.type) {
    case 'progress':
      return { ...state, progress: event.data };
    case 'log':
      return { ...state, log: [...state.log, event.data] };
    case 'status':
      return { ...state, status: event.data.status };
    case 'node':
      return { ...state, nodes: { ...state.nodes, [event.data.node]: event.data.outcome } };
    case 'end':
      return { ...state, final: event.data, status: event.data.status, progress: event.data.progress };
    case 'reset':
      return initialJobStream;
  }
}

const lineKey = (l: JobLogLine) => `${l.at}|${l.level}|${l.node ?? ''}|${l.message}`;

/** Lines of `base` followed by streamed lines not already in it (a server may replay). */
export function mergeLog(base: JobLogLine[], streamed: JobLogLine[]): JobLogLine[] {
  const seen = new Set(base.map(lineKey));
  const out = [...base];
  for (const line of streamed) {
    const key = lineKey(line);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(line);
    }
  }
  return out;
}

/** The job as the page should show it, or undefined while nothing is known. */
export function viewJob(fetched: Job | undefined, state: JobStreamState): Job | undefined {
  if (state.final) return { ...state.final, log: mergeLog(state.final.log ?? [], state.log) };
  if (!fetched) return undefined;
  const streamed = Object.keys(state.nodes).length > 0;
  return {
    ...fetched,
    status: state.status ?? fetched.status,
    progress: state.progress ?? fetched.progress,
    // the nodes through so far: those of the fetch and those streamed since
    result: streamed ? { ...fetched.result, nodes: { ...((fetched.result?.nodes ?? {}) as Record<string, JobNodeOutcome>), ...state.nodes } } : fetched.result,
    log: mergeLog(fetched.log ?? [], state.log),
  };
}

const TITLES: Record<Job['type'], string> = { issuance: 'Issuance', distribution: 'Distribution', verification: 'Verification', renewal: 'Renewal', apply: 'Apply changes', 'ca-rotation': 'CA rotation' };

/** The job's name as a title: "Distribution". */
export const jobTitle = (type: Job['type']) => TITLES[type] ?? type;

type NodeOutcomes = Record<string, { state?: string; error?: { message: string }; caKeyWithheld?: string }>;

/**
 * What a finished job says in one sentence, for the status region that announces it; '' while it
 * runs. "Distribution finished: 4 nodes written and verified." / "Distribution failed on worker2: ..."
 */
export function jobAnnouncement(job: Pick<Job, 'type' | 'status' | 'result' | 'error'>): string {
  if (!isTerminal(job.status)) return '';
  const title = jobTitle(job.type);
  const nodes = (job.result?.nodes ?? {}) as NodeOutcomes;
  const failed = Object.entries(nodes).filter(([, o]) => o.error);
  if (job.status !== 'succeeded') {
    if (failed.length) return `${title} failed on ${failed.map(([n]) => n).join(', ')}: ${failed[0][1].error!.message}`;
    return `${title} ${job.status}: ${job.error?.message ?? 'no reason given'}`;
  }
  if (job.type === 'issuance') return `${title} finished: ${Number(job.result?.certificates ?? 0)} certificates issued.`;
  const entries = Object.entries(nodes);
  const holding = entries.filter(([, o]) => o.state !== 'nothing-to-hold');
  if (job.type === 'verification') {
    const byState = new Map<string, number>();
    for (const [, o] of holding) byState.set(o.state ?? 'unknown', (byState.get(o.state ?? 'unknown') ?? 0) + 1);
    return `${title} finished: ${[...byState].map(([s, n]) => `${n} ${s}`).join(', ') || 'no node to look at'}.`;
  }
  const withheld = entries.filter(([, o]) => o.caKeyWithheld).map(([n]) => n);
  return `${title} finished: ${holding.length} node${holding.length === 1 ? '' : 's'} written and verified${withheld.length ? `; ca-key.pem left out on ${withheld.join(', ')}` : ''}.`;
}
