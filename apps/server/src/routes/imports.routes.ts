/**
 * Imports of an existing PKI (issue 14): upload an archive or pull a node's folder, read the
 * report, adopt or discard it; a topology proposed from an archive (services/imports.service.ts).
 * An import holding a CA key follows the CA key rule, at upload and at adoption.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { ImportPullRequest } from '@kpki/shared';
import { schemaIssues } from '@kpki/shared/schema-issues';
import { AppError } from '../lib/errors.ts';
import { requireCaKeyAccess } from '../auth/ca-key-rule.ts';
import {
  ARCHIVE_MEDIA_TYPES, IMPORT_BODY_LIMIT, adoptImport, createImport, discardImport, getImport, importAuditFacts, proposeFromArchive, type ImportSource,
} from '../services/imports.service.ts';
import { ClusterParams } from './schemas.ts';

const ImportParams = Type.Object({
  cluster: ClusterParams.properties.cluster,
  id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' }),
});

/** The media type of the request, without parameters. */
const mediaTypeOf = (req: FastifyRequest) => String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();

/** The CA key rule as the import service asks it (only when the files hold a CA key): the audit line says the CA key was there. */
const guardOf = (req: FastifyRequest) => (action: string) => {
  req.auditFacts = { ...req.auditFacts, caKey: true };
  requireCaKeyAccess(req, action);
};

/** What an upload or a pull request asks for: the archive as the body, or JSON {node, path}. */
function sourceOf(req: FastifyRequest): ImportSource {
  const type = mediaTypeOf(req);
  if (Buffer.isBuffer(req.body)) return { kind: 'archive', mediaType: type, body: req.body };
  if (typeof req.body === 'string') throw new AppError('UNSUPPORTED_MEDIA_TYPE', `send an archive (application/gzip, application/zip) or JSON {node, path}, not ${type}`);
  const issues = schemaIssues(ImportPullRequest, req.body ?? null);
  if (issues.length) {
    throw new AppError('VALIDATION_FAILED', `the request body is not valid: ${issues.map((i) => i.message).join('; ')}; send an archive (application/gzip, application/zip) or JSON {node, path}`, issues);
  }
  const { node, path } = req.body as ImportPullRequest;
  return { kind: 'pull', node, path };
}

export const importsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  const tags = ['imports'];
  // archives arrive as raw bytes (this plugin's routes only), up to the archive reader's limit
  app.addContentTypeParser([...ARCHIVE_MEDIA_TYPES], { parseAs: 'buffer', bodyLimit: IMPORT_BODY_LIMIT }, (_req, body, done) => done(null, body));

  app.post('/clusters/:cluster/imports', {
    schema: { tags, params: ClusterParams }, bodyLimit: IMPORT_BODY_LIMIT, config: { audit: 'import-pki' },
  }, async (req, reply) => {
    const source = sourceOf(req);
    req.auditFacts = source.kind === 'pull' ? { node: source.node, path: source.path } : { bytes: source.body.length };
    const created = await createImport(deps, req.params.cluster, source, req.user!.username, guardOf(req));
    req.auditFacts = importAuditFacts(created);
    return reply.status(201).send({ ...created });
  });

  app.get('/clusters/:cluster/imports/:id', { schema: { tags, params: ImportParams } }, async (req) => getImport(deps, req.params.cluster, req.params.id));

  app.post('/clusters/:cluster/imports/:id/adopt', { schema: { tags, params: ImportParams }, config: { audit: 'adopt-import' } }, async (req) => {
    const adopted = await adoptImport(deps, req.params.cluster, req.params.id, req.user!.username, guardOf(req));
    req.auditFacts = { ...req.auditFacts, importId: adopted.id, issuanceId: adopted.issuanceId, certificates: adopted.adopted.map((a) => a.name), skipped: adopted.skipped.length };
    return adopted;
  });

  app.delete('/clusters/:cluster/imports/:id', { schema: { tags, params: ImportParams }, config: { audit: 'discard-import' } }, async (req) =>
    discardImport(deps, req.params.cluster, req.params.id, req.user!.username),
  );

  app.post('/imports/proposal', { schema: { tags }, bodyLimit: IMPORT_BODY_LIMIT, config: { audit: 'propose-topology' } }, async (req) => {
    if (!Buffer.isBuffer(req.body)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the archive as the body: application/gzip (a .tar.gz) or application/zip');
    const { proposal, caKey, files } = await proposeFromArchive(deps, mediaTypeOf(req), req.body, guardOf(req));
    req.auditFacts = { caKey, files };
    return proposal;
  });
};
