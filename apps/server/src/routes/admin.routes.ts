/** Admin: the audit log, online backups, master key rotation. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { createBackup } from '../services/backups.service.ts';

export const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  const tags = ['admin'];
  app.get('/audit', {
    schema: { tags, querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })), before: Type.Optional(Type.Integer({ minimum: 1 })) }) },
    config: { role: 'admin' },
  }, async (req) => ({ items: deps.audit.list(req.query.limit ?? 100, req.query.before ?? null) }));

  app.post('/backups', { schema: { tags }, config: { role: 'admin' } }, async (_req, reply) => reply.status(201).send(await createBackup(deps)));
};
