/** Lifecycle (issue 10): expiry, renewals, the changes a topology edit requires and their apply. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { ApplyChangesRequest, RenewalRequest } from '@kpki/shared';
import { getCluster } from '../services/clusters.service.ts';
import { expiryReport, expirySummary } from '../services/expiry.service.ts';
import { clusterChanges } from '../services/changes.service.ts';
import { startApply, startRenewal } from '../services/lifecycle.service.ts';
import { ClusterParams } from './schemas.ts';
import { caKeyJobParams } from '../auth/ca-key-rule.ts';

export const lifecycleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  const tags = ['lifecycle'];
  // no body at all means {}
  const emptyBody = async (req: { body: unknown }) => {
    req.body ??= {};
  };

  // view=summary: the counts in warning, critical and expired and the soonest (the banner above every page of a cluster)
  app.get('/clusters/:cluster/expiry', {
    schema: { tags, params: ClusterParams, querystring: Type.Object({ view: Type.Optional(Type.Union([Type.Literal('full'), Type.Literal('summary')])) }) },
  }, async (req) => {
    const row = getCluster(deps, req.params.cluster);
    return req.query.view === 'summary' ? expirySummary(deps, row) : expiryReport(deps, row);
  });

  app.post('/clusters/:cluster/renewals', { schema: { tags, params: ClusterParams, body: RenewalRequest }, preValidation: emptyBody }, async (req, reply) => {
    const { status, answer } = startRenewal(deps, req.params.cluster, req.body, caKeyJobParams(req));
    return reply.status(status).send(answer);
  });

  app.get('/clusters/:cluster/changes', { schema: { tags, params: ClusterParams } }, async (req) => clusterChanges(deps, getCluster(deps, req.params.cluster)));

  app.post('/clusters/:cluster/changes/apply', { schema: { tags, params: ClusterParams, body: ApplyChangesRequest }, preValidation: emptyBody }, async (req, reply) => {
    const { status, answer } = await startApply(deps, req.params.cluster, req.body, caKeyJobParams(req));
    return reply.status(status).send(answer);
  });
};
