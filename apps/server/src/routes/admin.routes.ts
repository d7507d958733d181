/** Admin: the audit log and its archives (retention, export), online backups. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { AuditFilterFields, type AuditFilter } from '@kpki/shared';
import { AppError } from '../lib/errors.ts';
import { createBackup } from '../services/backups.service.ts';
import { archiveAudit, auditArchiveFile, listAuditArchives } from '../services/audit-archive.service.ts';
import { exportAudit } from '../services/audit-export.service.ts';


/** An ISO time of a filter, normalised as the log stores times; a clear 400 otherwise. */
function isoTime(field: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const t = new Date(value);
  if (!/^\d{4}-\d\d-\d\d/.test(value) || Number.isNaN(t.getTime())) {
    throw new AppError('VALIDATION_FAILED', `${field} "${value}" is not a date or time: give an ISO 8601 date or time, e.g. 2030-01-01 or 2030-01-01T12:00:00Z`);
  }
  return t.toISOString();
}

const filterOf = (q: AuditFilter): AuditFilter => ({
  actor: q.actor, action: q.action, cluster: q.cluster, node: q.node, since: isoTime('since', q.since), until: isoTime('until', q.until),
  ...(q.q?.trim() ? { q: q.q.trim() } : {}), ...(q.result ? { result: q.result } : {}),
});

export const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  const tags = ['admin'];
  app.get('/audit', {
    schema: {
      tags,
      querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })), before: Type.Optional(Type.Integer({ minimum: 1 })), ...AuditFilterFields }),
    },
    config: { role: 'admin' },
  }, async (req) => ({ items: deps.audit.list(req.query.limit ?? 100, req.query.before ?? null, filterOf(req.query)) }));

  /** The lines the filters and the search keep, by outcome (the result filter left aside): the audit page's counts. */
  app.get('/audit/counts', {
    schema: { tags, querystring: Type.Object(AuditFilterFields) },
    config: { role: 'admin' },
  }, async (req) => deps.audit.counts(filterOf(req.query)));

  /** The actions and actors in the log, for the audit page's filters. */
  app.get('/audit/facets', { schema: { tags }, config: { role: 'admin' } }, async () => deps.audit.facets());

  /** Every line the filters keep, as a CSV or JSON file. */
  app.get('/audit/export', {
    schema: { tags, querystring: Type.Object({ format: Type.Union([Type.Literal('csv'), Type.Literal('json')]), ...AuditFilterFields }) },
    config: { role: 'admin', audit: 'export-audit' },
  }, async (req, reply) => {
    const { name, content, type } = exportAudit(deps, filterOf(req.query), req.query.format);
    reply.header('content-type', type);
    reply.header('content-disposition', `attachment; filename="${name}"`);
    reply.header('cache-control', 'no-store');
    return reply.send(content);
  });

  /** Moves the lines written before `before` (the newest line stays) to a file under <data>/audit-archives/, recorded in the chain. */
  app.post('/audit/archives', {
    schema: { tags, body: Type.Object({ before: Type.String({ minLength: 10, maxLength: 40 }) }, { additionalProperties: false }) },
    config: { role: 'admin', session: true, audit: 'archive-audit' },
  }, async (req, reply) => {
    const before = new Date(req.body.before);
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(req.body.before) || Number.isNaN(before.getTime())) throw new AppError('VALIDATION_FAILED', `"${req.body.before}" is not a date and time: give an ISO 8601 time, e.g. 2030-01-01T00:00:00Z`);
    return reply.status(201).send(archiveAudit(deps, before, req.user!.username));
  });
  app.get('/audit/archives', { schema: { tags }, config: { role: 'admin' } }, async () => ({ items: listAuditArchives(deps) }));
  app.get('/audit/archives/:id/file', {
    schema: { tags, params: Type.Object({ id: Type.Integer({ minimum: 1 }) }) },
    config: { role: 'admin', audit: 'download-audit-archive' },
  }, async (req, reply) => {
    const { name, content } = auditArchiveFile(deps, req.params.id);
    reply.header('content-type', 'application/x-ndjson');
    reply.header('content-disposition', `attachment; filename="${name}"`);
    reply.header('cache-control', 'no-store');
    return reply.send(content);
  });

  app.post('/backups', { schema: { tags }, config: { role: 'admin' } }, async (_req, reply) => reply.status(201).send(await createBackup(deps)));
};
