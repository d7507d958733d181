/**
 * The job runner: a job is a row (queued -> running -> succeeded | failed), its progress and
 * log lines are persisted as they happen and also emitted as events for Server-Sent Events.
 * Handlers run in this process; a crash leaves the row running, and the next start marks it
 * interrupted (JobsRepository.markInterrupted).
 */
import { EventEmitter } from 'node:events';
import crypto from 'node:crypto';
import type { Job, JobLogLine, JobNodeOutcome, JobType } from '@kpki/shared';
import type { JobsRepository } from '../store/jobs.repository.ts';
import { AppError } from '../lib/errors.ts';

export interface JobContext {
  id: string;
  params: Record<string, unknown>;
  clusterId: number;
  log(level: JobLogLine['level'], message: string, node?: string): void;
  progress(done: number, total: number): void;
  /** a node is through (its outcome): seen in the job's result.nodes while it runs and sent as the event `node` */
  node(name: string, outcome: JobNodeOutcome): void;
}

export type JobHandler = (ctx: JobContext) => Promise<Record<string, unknown>>;

/** Event on `job:<id>`: { event: 'progress'|'log'|'status'|'node'|'end', data } */
export interface JobEvent {
  event: 'progress' | 'log' | 'status' | 'node' | 'end';
  data: unknown;
}

export class JobRunner extends EventEmitter {
  private running = new Set<Promise<void>>();
  /** the nodes through so far of each running job (its result once it ends) */
  private nodesSoFar = new Map<string, Record<string, JobNodeOutcome>>();

  constructor(
    private readonly repo: JobsRepository,
    private readonly handlers: Partial<Record<JobType, JobHandler>>,
    private readonly now: () => Date = () => new Date(),
  ) {
    super();
    this.setMaxListeners(0);
  }

  /** Creates the job row and starts it at once; returns its id. */
  enqueue(type: JobType, cluster: { id: number; name: string }, params: Record<string, unknown>): string {
    const handler = this.handlers[type];
    if (!handler) throw new Error(`no handler for job type ${type}`);
    const id = crypto.randomUUID();
    this.repo.create(id, cluster.id, cluster.name, type, params, this.iso());
    const p = this.run(id, cluster.id, params, handler).finally(() => this.running.delete(p));
    this.running.add(p);
    return id;
  }

  /** The job; while it runs, its result holds the nodes through so far ({ nodes }). */
  get(id: string): Job | null {
    const job = this.repo.get(id);
    const soFar = this.nodesSoFar.get(id);
    if (job && soFar && job.result === null) return { ...job, result: { nodes: { ...soFar } } };
    return job;
  }

  /** Resolves when no job is running (used by graceful close and tests). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  private iso() {
    return this.now().toISOString();
  }

  private emitJob(id: string, e: JobEvent) {
    this.emit(`job:${id}`, e);
  }

  private async run(id: string, clusterId: number, params: Record<string, unknown>, handler: JobHandler) {
    await Promise.resolve(); // let the caller answer 202 before any work
    this.repo.start(id, this.iso());
    this.emitJob(id, { event: 'status', data: { status: 'running' } });
    const ctx: JobContext = {
      id, params, clusterId,
      log: (level, message, node) => {
        const line: JobLogLine = { at: this.iso(), level, message, ...(node ? { node } : {}) };
        this.repo.log(id, line);
        this.emitJob(id, { event: 'log', data: line });
      },
      progress: (done, total) => {
        this.repo.progress(id, done, total);
        this.emitJob(id, { event: 'progress', data: { done, total } });
      },
      node: (name, outcome) => {
        const soFar = this.nodesSoFar.get(id) ?? {};
        soFar[name] = outcome;
        this.nodesSoFar.set(id, soFar);
        this.emitJob(id, { event: 'node', data: { node: name, outcome } });
      },
    };
    try {
      const result = await handler(ctx);
      this.repo.finish(id, 'succeeded', result, null, this.iso());
    } catch (err) {
      const code = err instanceof AppError ? err.code : ((err as { code?: string }).code ?? 'INTERNAL');
      const message = err instanceof Error ? err.message : String(err);
      const result = (err as { result?: Record<string, unknown> }).result ?? null;
      ctx.log('error', message);
      this.repo.finish(id, 'failed', result, { code: String(code), message }, this.iso());
    }
    this.nodesSoFar.delete(id);
    const job = this.repo.get(id)!;
    this.emitJob(id, { event: 'status', data: { status: job.status } });
    this.emitJob(id, { event: 'end', data: job });
  }
}
