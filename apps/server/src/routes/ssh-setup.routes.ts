/**
 * SSH set-up for fleets (issue 16): the import of an ssh_config and a known_hosts
 * (services/ssh-import.service.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SshImportRequest } from '@kpki/shared';
import { sshImport } from '../services/ssh-import.service.ts';
import { ClusterParams } from './schemas.ts';
import { caKeyGuard } from './ca-key-guard.ts';

/** Two texts of at most 1 MiB each, and JSON's escapes. */
const IMPORT_BODY_LIMIT = 5 * 1024 * 1024;

export const sshSetupRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  const tags = ['nodes'];

  /** Preview (nothing stored) or, with apply, store; If-Match honoured when applying; the answer carries the cluster's version then. */
  app.post('/clusters/:cluster/ssh-import', { bodyLimit: IMPORT_BODY_LIMIT, schema: { tags, params: ClusterParams, body: SshImportRequest } }, async (req, reply) => {
    const { answer, etag } = await sshImport(deps, req.params.cluster, req.body, caKeyGuard(req), req.headers['if-match']);
    if (etag) reply.header('etag', etag);
    req.auditFacts = { apply: !!req.body.apply, nodes: answer.nodes.filter((n) => n.applied).map((n) => n.node) };
    return answer;
  });
};
