/** Admin: the audit log, online backups, master key rotation. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { backupDatabase } from '../store/backup.ts';

export const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  const tags = ['admin'];
  app.get('/audit', {
    schema: { tags, querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })), before: Type.Optional(Type.Integer({ minimum: 1 })) }) },
    config: { role: 'admin' },
  }, async (req) => ({ items: deps.audit.list(req.query.limit ?? 100, req.query.before ?? null) }));

  app.post('/backups', { schema: { tags }, config: { role: 'admin' } }, async (req, reply) => {
    const file = await backupDatabase(deps.db, deps.config.dataDir, deps.now());
    return reply.status(201).send({ file, note: 'keep the master key with this backup: without it no private key can be read' });
  });
};
