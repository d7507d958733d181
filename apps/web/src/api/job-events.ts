/**
 * GET /jobs/{id}/events (Server-Sent Events): follows one job live. The job is fetched
 * once (log so far), then `progress`, `log`, `status`, `node` and `end` events update it. When the
 * stream cannot be opened or drops, the hook polls GET /jobs/{id} until the job ends.
 * Once the job is over, every query of its cluster and the job lists are refreshed.
 */
import { useEffect, useReducer, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Job } from '@kpki/shared';
import { initialJobStream, isTerminal, jobStreamReducer, viewJob, type JobStreamEvent } from '../lib/job-stream.ts';
import { jobQueryOptions } from './get-job.ts';
import { queryKeys } from './query-keys.ts';
import { jobEventsUrl } from './urls.ts';

export interface JobStreamResult {
  job: Job | undefined;
  error: unknown;
  isLoading: boolean;
  /** true while events arrive over an open stream */
  live: boolean;
}

const EVENTS = ['progress', 'log', 'status', 'node', 'end'] as const;

export interface JobStreamOptions {
  /** called once when the job ends (succeeded, failed or interrupted) */
  onEnd?: (job: Job) => void;
  /** also call onEnd when the job was already over at the first look (the caller just started it) */
  startedHere?: boolean;
}

export function useJobStream(jobId: string | undefined, { onEnd, startedHere = false }: JobStreamOptions = {}): JobStreamResult {
  const qc = useQueryClient();
  const [state, dispatch] = useReducer(jobStreamReducer, initialJobStream);
  const [streamFailed, setStreamFailed] = useState(typeof EventSource === 'undefined');
  const [live, setLive] = useState(false);
  const onEndRef = useRef(onEnd);
  onEndRef.current = onEnd;
  const endedRef = useRef<string | null>(null);
  const seenRunningRef = useRef<string | null>(null);

  const query = useQuery({
    ...jobQueryOptions(jobId ?? ''),
    enabled: !!jobId,
    refetchInterval: (q) => (streamFailed && !isTerminal(q.state.data?.status) ? 2000 : false),
  });
  const fetchedStatus = query.data?.status;
  const fetchedTerminal = isTerminal(fetchedStatus);

  useEffect(() => {
    dispatch({ type: 'reset' });
    endedRef.current = null;
    seenRunningRef.current = null;
  }, [jobId]);

  useEffect(() => {
    if (!jobId || typeof EventSource === 'undefined' || fetchedTerminal) return;
    const source = new EventSource(jobEventsUrl(jobId), { withCredentials: true });
    const handlers = EVENTS.map((type) => {
      const handler = (e: Event) => {
        try {
          const data = JSON.parse((e as MessageEvent<string>).data);
          dispatch({ type, data } as JobStreamEvent);
          if (type === 'end') source.close();
        } catch {
          /* a malformed event is skipped */
        }
      };
      source.addEventListener(type, handler);
      return [type, handler] as const;
    });
    source.onopen = () => setLive(true);
    source.onerror = () => {
      setLive(false);
      source.close();
      setStreamFailed(true);
    };
    return () => {
      for (const [type, handler] of handlers) source.removeEventListener(type, handler);
      source.close();
      setLive(false);
    };
  }, [jobId, fetchedTerminal]);

  const job = viewJob(query.data, state);
  if (job && !isTerminal(job.status)) seenRunningRef.current = job.id;
  const ended = job && isTerminal(job.status) ? job : null;

  useEffect(() => {
    if (!ended || endedRef.current === ended.id) return;
    endedRef.current = ended.id;
    // Refresh what the job changed (cheap, and right even when the job ended before the first look).
    void qc.invalidateQueries({ queryKey: queryKeys.cluster(ended.cluster) });
    void qc.invalidateQueries({ queryKey: ['jobs'] });
    // Only a job seen running here, or just started by the caller, triggers the callback.
    if (seenRunningRef.current === ended.id || startedHere) onEndRef.current?.(ended);
  }, [ended, startedHere, qc]);

  return { job, error: query.error, isLoading: query.isLoading, live };
}
