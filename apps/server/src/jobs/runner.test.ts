/** The runner's view of a job that works node by node: the nodes through so far while it runs, the `node` events, the result at the end. */
import { describe, expect, it } from 'vitest';
import type { Job, JobNodeOutcome } from '@kpki/shared';
import type { JobsRepository } from '../store/jobs.repository.ts';
import { JobRunner, type JobEvent } from './runner.ts';

/** The part of the jobs repository the runner uses, in memory (the SQLite one is tested with the routes). */
function memoryRepo() {
  const rows = new Map<string, Job>();
  const repo = {
    create: (id: string, _c: number, cluster: string, type: Job['type'], params: Record<string, unknown>, now: string) => {
      rows.set(id, { id, type, cluster, status: 'queued', progress: { done: 0, total: 0 }, params, result: null, error: null, startedBy: null, createdAt: now, startedAt: null, finishedAt: null, log: [] });
    },
    get: (id: string) => (rows.has(id) ? structuredClone(rows.get(id)!) : null),
    start: (id: string, now: string) => Object.assign(rows.get(id)!, { status: 'running', startedAt: now }),
    log: (id: string, line: Job['log'][number]) => rows.get(id)!.log.push(line),
    progress: (id: string, done: number, total: number) => Object.assign(rows.get(id)!, { progress: { done, total } }),
    finish: (id: string, status: Job['status'], result: Record<string, unknown> | null, error: Job['error'], now: string) =>
      Object.assign(rows.get(id)!, { status, result, error, finishedAt: now }),
  };
  return repo as unknown as JobsRepository;
}

describe('job runner: nodes through so far', () => {
  it('shows each node as it is through, sends it as an event, and ends with the handler result', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const outcomes: Record<string, JobNodeOutcome> = {
      a: { state: 'in-sync', uploaded: ['ca.pem'] },
      b: { state: 'unreachable', uploaded: [], error: { code: 'SSH_UNREACHABLE', message: 'b: connection refused' } },
    };
    const runner = new JobRunner(memoryRepo(), {
      distribution: async (ctx) => {
        ctx.node('a', outcomes.a);
        await gate;
        ctx.node('b', outcomes.b);
        return { nodes: outcomes };
      },
    });
    const events: JobEvent[] = [];
    const id = runner.enqueue('distribution', { id: 1, name: 'lab' }, { nodes: ['a', 'b', 'c'] });
    runner.on(`job:${id}`, (e: JobEvent) => events.push(e));
    await new Promise((r) => setTimeout(r, 20));
    const running = runner.get(id)!;
    expect(running.status).toBe('running');
    expect(running.result).toEqual({ nodes: { a: outcomes.a } });
    release();
    await runner.idle();
    expect(events.filter((e) => e.event === 'node').map((e) => e.data)).toEqual([{ node: 'a', outcome: outcomes.a }, { node: 'b', outcome: outcomes.b }]);
    const done = runner.get(id)!;
    expect(done.status).toBe('succeeded');
    expect(done.result).toEqual({ nodes: outcomes });
  });

  it('a failed job keeps the result its error carries, not the nodes so far', async () => {
    const runner = new JobRunner(memoryRepo(), {
      verification: async (ctx) => {
        ctx.node('a', { state: 'in-sync' });
        throw Object.assign(new Error('broken'), { code: 'X' });
      },
    });
    const id = runner.enqueue('verification', { id: 1, name: 'lab' }, { nodes: ['a'] });
    await runner.idle();
    expect(runner.get(id)).toMatchObject({ status: 'failed', result: null, error: { code: 'X', message: 'broken' } });
  });
});
