import { describe, expect, it } from 'vitest';
import { initialJobStream, jobStreamReducer, viewJob } from './job-stream.ts';
import { jobNodeRows } from './job-nodes.ts';
import type { Job } from '@kpki/shared';

const NODES = Array.from({ length: 1000 }, (_, i) => `worker-${i}`);
const running: Job = {
  id: 'j', type: 'distribution', cluster: 'big', status: 'running', progress: { done: 0, total: 7000 }, params: { nodes: NODES },
  result: { nodes: { 'worker-5': { state: 'in-sync', uploaded: ['ca.pem'] } } }, error: null, startedBy: 'admin', createdAt: '', startedAt: '', finishedAt: null, log: [],
};

describe('a job by node', () => {
  it('nodes through so far come from the fetch and the stream; failures first, then waiting, then done', () => {
    let s = jobStreamReducer(initialJobStream, { type: 'node', data: { node: 'worker-900', outcome: { state: 'unreachable', uploaded: [], error: { code: 'SSH_UNREACHABLE', message: 'refused' } } } });
    s = jobStreamReducer(s, { type: 'node', data: { node: 'worker-1', outcome: { state: 'in-sync', uploaded: [] } } });
    const view = viewJob(running, s)!;
    const rows = jobNodeRows(view)!;
    expect(rows).toHaveLength(1000);
    expect(rows[0]).toMatchObject({ node: 'worker-900', progress: 'failed' });
    expect(rows.slice(1, 998).every((r) => r.progress === 'waiting')).toBe(true);
    expect(rows[1].node).toBe('worker-0');
    expect(rows.slice(998).map((r) => [r.node, r.progress])).toEqual([['worker-1', 'done'], ['worker-5', 'done']]);
  });

  it('a job that ended says "not reached" for a node it never got to, never "waiting"', () => {
    const rows = jobNodeRows({ ...running, status: 'interrupted' })!;
    expect(new Set(rows.map((r) => r.progress))).toEqual(new Set(['not-reached', 'done']));
    expect(rows.at(-1)!.node).toBe('worker-5');
  });

  it('a job that is not node by node has no rows', () => {
    expect(jobNodeRows({ params: {}, result: { issuanceId: 'x', certificates: 3 }, status: 'succeeded' })).toBeNull();
    // renewal then distribution: the nodes are known from the result only
    expect(jobNodeRows({ params: { certificates: ['a'] }, result: { nodes: { cp1: { state: 'in-sync', uploaded: [] } } }, status: 'succeeded' })!.map((r) => r.node)).toEqual(['cp1']);
  });
});
