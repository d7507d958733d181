/** CA rotation (issue 13): where it stands, one phase at a time, and the cross-signed new CA. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { CaRotationRequest } from '@kpki/shared';
import { getCluster } from '../services/clusters.service.ts';
import { crossSignedPem, rotationStatus, rotationSummary, startCaRotation } from '../services/ca-rotation.service.ts';
import { caKeyJobParams } from '../auth/ca-key-rule.ts';
import { ClusterParams } from './schemas.ts';

export const caRotationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  const tags = ['ca-rotation'];

  // view=summary: the phase and how many nodes are in step (the banner above every page of a cluster)
  app.get('/clusters/:cluster/ca-rotation', {
    schema: { tags, params: ClusterParams, querystring: Type.Object({ view: Type.Optional(Type.Union([Type.Literal('full'), Type.Literal('summary')])) }) },
  }, async (req) => {
    const row = getCluster(deps, req.params.cluster);
    return req.query.view === 'summary' ? rotationSummary(deps, row) : rotationStatus(deps, row);
  });

  /** One phase; with distribute, ca-key.pem and admin.kubeconfig go only when an elevated admin asked (the CA key rule, as every distribution). */
  app.post('/clusters/:cluster/ca-rotation', { schema: { tags, params: ClusterParams, body: CaRotationRequest } }, async (req, reply) => {
    const { auditFacts, ...answer } = startCaRotation(deps, req.params.cluster, req.body, caKeyJobParams(req));
    req.auditFacts = auditFacts;
    return reply.status(202).send(answer);
  });

  app.get('/clusters/:cluster/ca-rotation/cross-signed.pem', { schema: { tags, params: ClusterParams } }, async (req, reply) => {
    const row = getCluster(deps, req.params.cluster);
    const pem = crossSignedPem(deps, row);
    reply.header('content-type', 'application/x-pem-file');
    reply.header('content-disposition', `attachment; filename="${row.name}-ca-cross-signed.pem"`);
    reply.header('cache-control', 'no-store');
    return pem;
  });
};
