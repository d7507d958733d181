/** Certificates: list, detail, address check, downloads, bundles. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { getCluster } from '../services/clusters.service.ts';
import { certificateDetail, checkCertificateAddress, findCertificate, listCertificates } from '../services/certificates.service.ts';
import { bundlePlan, resolveFiles, tarGz } from '../services/bundle.ts';
import { CertParams, ClusterParams } from './schemas.ts';
import { requireCaKeyAccess } from '../auth/ca-key-rule.ts';
import { requireAdmin } from '../auth/auth.hooks.ts';
import { isCaKeyFile, underCaKeyRule } from '@kpki/shared/distribution';
import { bundleFileName } from '@kpki/shared/download-names';
import { certificateRowOf } from '@kpki/shared';

export const certificatesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  const tags = ['certificates'];
  const pem = (reply: { header: (k: string, v: string) => unknown }, file: string) => {
    reply.header('content-type', 'application/x-pem-file');
    reply.header('content-disposition', `attachment; filename="${file}"`);
    reply.header('cache-control', 'no-store');
  };

  // view=brief: what the certificates table shows and searches (CertificateRow), the list of a large cluster
  app.get('/clusters/:cluster/certificates', {
    schema: {
      tags, params: ClusterParams,
      querystring: Type.Object({
        status: Type.Optional(Type.Union([Type.Literal('current'), Type.Literal('all')])),
        view: Type.Optional(Type.Union([Type.Literal('full'), Type.Literal('brief')])),
      }),
    },
  }, async (req) => {
    const items = listCertificates(deps, getCluster(deps, req.params.cluster), req.query.status ?? 'current');
    return { items: req.query.view === 'brief' ? items.map(certificateRowOf) : items };
  });

  app.get('/clusters/:cluster/certificates/:name', {
    schema: { tags, params: CertParams, querystring: Type.Object({ serial: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{1,64}$' })) }) },
  }, async (req) => certificateDetail(deps, getCluster(deps, req.params.cluster), req.params.name, req.query.serial));

  app.get('/clusters/:cluster/certificates/:name/check', {
    schema: { tags, params: CertParams, querystring: Type.Object({ address: Type.String({ minLength: 1, maxLength: 253 }) }) },
  }, async (req) => checkCertificateAddress(deps, getCluster(deps, req.params.cluster), req.params.name, req.query.address));

  app.get('/clusters/:cluster/certificates/:name/cert.pem', {
    schema: { tags, params: CertParams, querystring: Type.Object({ serial: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{1,64}$' })) }) },
  }, async (req, reply) => {
    // ?serial= downloads an earlier (superseded or retired) version
    const c = findCertificate(deps, getCluster(deps, req.params.cluster), req.params.name, req.query.serial);
    pem(reply, `${c.name}.pem`);
    return c.pem;
  });

  app.get('/clusters/:cluster/certificates/:name/key.pem', {
    schema: { tags, params: CertParams }, config: { role: 'operator', audit: 'download-key' },
  }, async (req, reply) => {
    const c = findCertificate(deps, getCluster(deps, req.params.cluster), req.params.name);
    req.auditFacts = { caKey: c.name === 'ca' };
    if (c.name === 'ca') requireCaKeyAccess(req);
    pem(reply, `${c.name}-key.pem`);
    return deps.certificates.keyPem(c);
  });

  app.get('/clusters/:cluster/bundle.tar.gz', {
    schema: { tags, params: ClusterParams, querystring: Type.Object({ node: Type.Optional(Type.String({ minLength: 1, maxLength: 63 })) }) },
    config: { role: 'operator', audit: 'download-bundle' },
  }, async (req, reply) => {
    const row = getCluster(deps, req.params.cluster);
    const planned = bundlePlan(row, req.query.node);
    // the audit line names the node (every node when none) and whether the CA key was in it
    req.auditFacts = { node: req.query.node ?? null, caKey: planned.some(isCaKeyFile), files: planned.length };
    if (planned.some(underCaKeyRule)) requireCaKeyAccess(req, 'downloading a bundle that holds ca-key.pem or admin.kubeconfig');
    if (planned.some((f) => f.part === 'encryption-config')) requireAdmin(req, 'the encryption config (encryption-config.yaml)');
    const files = resolveFiles(deps, row, planned);
    const file = bundleFileName(row.name, req.query.node);
    reply.header('content-type', 'application/gzip');
    reply.header('content-disposition', `attachment; filename="${file}"`);
    reply.header('cache-control', 'no-store');
    return reply.send(tarGz(files, deps.now()));
  });
};
