import { describe, expect, it } from 'vitest';
import type { Job, JobLogLine } from '@kpki/shared';
import { initialJobStream, jobStreamReducer, mergeLog, viewJob } from './job-stream.ts';

const line = (message: string, node?: string): JobLogLine => ({ at: '2025-06-01T12:00:00.000Z', level: 'info', message, node });
const job: Job = {
  id: 'j1',
  type: 'distribution',
  cluster: 'c',
  status: 'running',
  progress: { done: 1, total: 4 },
  params: {},
  startedBy: 'admin',
  result: null,
  error: null,
  createdAt: '2025-06-01T12:00:00Z',
  startedAt: '2025-06-01T12:00:00Z',
  finishedAt: null,
  log: [line('start')],
};

describe('job stream', () => {
  it('overlays progress, status and new log lines on the fetched job', () => {
    let s = jobStreamReducer(initialJobStream, { type: 'progress', data: { done: 3, total: 4 } });
    s = jobStreamReducer(s, { type: 'log', data: line('start') }); // replayed by the server
    s = jobStreamReducer(s, { type: 'log', data: line('wrote ca.pem', 'cp1') });
    s = jobStreamReducer(s, { type: 'status', data: { status: 'running' } });
    const view = viewJob(job, s)!;
    expect(view.progress).toEqual({ done: 3, total: 4 });
    expect(view.log.map((l) => l.message)).toEqual(['start', 'wrote ca.pem']);
  });

  it('takes the final job from the end event', () => {
    const final: Job = { ...job, status: 'succeeded', progress: { done: 4, total: 4 }, log: [line('start'), line('done')] };
    const s = jobStreamReducer(initialJobStream, { type: 'end', data: final });
    expect(viewJob(job, s)?.status).toBe('succeeded');
    expect(viewJob(undefined, s)?.log).toHaveLength(2);
  });

  it('knows nothing before the fetch or any event', () => {
    expect(viewJob(undefined, initialJobStream)).toBeUndefined();
  });

  it('keeps a line once even if both sources have it', () => {
    expect(mergeLog([line('a'), line('b')], [line('b'), line('c')]).map((l) => l.message)).toEqual(['a', 'b', 'c']);
  });
});
