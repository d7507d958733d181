/** Jobs: list, detail, and live progress as Server-Sent Events. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { isJobFinished, JOB_STATUSES } from '@kpki/shared';
import { AppError } from '../lib/errors.ts';
import type { JobEvent } from '../jobs/runner.ts';
import { JobParams } from './schemas.ts';

/** Event streams one user may hold open at once (each holds a connection and a subscription). */
export const MAX_STREAMS_PER_USER = 10;

export const jobsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  const tags = ['jobs'];
  /** open event streams per user id */
  const streams = new Map<number, number>();
  const find = (id: string) => {
    const job = deps.jobs.get(id);
    if (!job) throw new AppError('JOB_NOT_FOUND', `job ${id} does not exist`);
    return job;
  };

  app.get('/jobs', {
    schema: {
      tags,
      querystring: Type.Object({
        cluster: Type.Optional(Type.String({ maxLength: 63 })),
        type: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: 'the kind: issuance, distribution, verification, ...' })),
        status: Type.Optional(Type.Union(JOB_STATUSES.map((s) => Type.Literal(s)))),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
      }),
    },
  }, async (req) => ({
    items: deps.jobsRepo.list(req.query.cluster ?? null, req.query.limit ?? 50, { type: req.query.type, status: req.query.status }),
  }));
  app.get('/jobs/:id', { schema: { tags, params: JobParams } }, async (req) => find(req.params.id));

  /**
   * Streams `progress`, `log`, `status`, `node` events as they happen and `end` with the final job.
   * A client that connects late first receives the log so far, the nodes through so far and the current progress.
   * At most MAX_STREAMS_PER_USER streams per user are open at once (429 beyond).
   */
  app.get('/jobs/:id/events', { schema: { tags, params: JobParams } }, async (req, reply) => {
    const job = find(req.params.id);
    const userId = req.user!.id;
    const open = streams.get(userId) ?? 0;
    if (open >= MAX_STREAMS_PER_USER) {
      throw new AppError('RATE_LIMITED', `${open} event streams of user "${req.user!.username}" are open already (at most ${MAX_STREAMS_PER_USER}): ` +
        'close other kpki pages, or follow the job with GET /api/v1/jobs/{id}');
    }
    streams.set(userId, open + 1);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    const send = (e: JobEvent) => res.write(`event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`);
    const channel = `job:${job.id}`;
    const onEvent = (e: JobEvent) => {
      send(e);
      if (e.event === 'end') close();
    };
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      const left = (streams.get(userId) ?? 1) - 1;
      if (left > 0) streams.set(userId, left);
      else streams.delete(userId);
      deps.jobs.off(channel, onEvent);
      clearInterval(ping);
      res.end();
    };
    req.raw.on('close', close);
    // The snapshot and the subscription happen in the same tick (the store is synchronous),
    // so no event falls between them: nothing is lost and nothing is sent twice.
    const snapshot = find(job.id);
    for (const line of snapshot.log) send({ event: 'log', data: line });
    const soFar = (snapshot.result?.nodes ?? {}) as Record<string, unknown>;
    for (const [node, outcome] of Object.entries(soFar)) send({ event: 'node', data: { node, outcome } });
    send({ event: 'progress', data: snapshot.progress });
    send({ event: 'status', data: { status: snapshot.status } });
    if (isJobFinished(snapshot.status)) {
      send({ event: 'end', data: snapshot });
      return close();
    }
    deps.jobs.on(channel, onEvent);
  });
};
