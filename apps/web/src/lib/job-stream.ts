/**
 * What the live view of a job knows: the job as fetched, overlaid with the
 * Server-Sent Events received since (progress, log, status, end). Pure reducer.
 */
import { isJobFinished, type Job, type JobLogLine, type JobStatus } from '@kpki/shared';

/** True once the job has ended (the shared FINISHED_JOB_STATUSES). */
export const isTerminal = (status: JobStatus | undefined | null) => !!status && isJobFinished(status);

export interface JobStreamState {
  progress: { done: number; total: number } | null;
  status: JobStatus | null;
  log: JobLogLine[];
  final: Job | null;
}

export type JobStreamEvent =
  | { type: 'progress'; data: { done: number; total: number } }
  | { type: 'log'; data: JobLogLine }
  | { type: 'status'; data: { status: JobStatus } }
  | { type: 'end'; data: Job }
  | { type: 'reset' };

export const initialJobStream: JobStreamState = { progress: null, status: null, log: [], final: null };

export function jobStreamReducer(state: JobStreamState, event: JobStreamEvent): JobStreamState {
  switch (event.type) {
    case 'progress':
      return { ...state, progress: event.data };
    case 'log':
      return { ...state, log: [...state.log, event.data] };
    case 'status':
      return { ...state, status: event.data.status };
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
  return {
    ...fetched,
    status: state.status ?? fetched.status,
    progress: state.progress ?? fetched.progress,
    log: mergeLog(fetched.log ?? [], state.log),
  };
}
