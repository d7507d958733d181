/** Clusters, their plan, CA and issuances. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import Type from 'typebox';
import { ClusterInput, ClusterUpdate, planCaKeyFilesView, planTalksView, type Cluster } from '@kpki/shared';
import { clusterEtag, clusterListItem, clusterView, createCluster, getCluster, requireClusterVersion, updateCluster } from '../services/clusters.service.ts';
import { deleteCluster } from '../services/cluster-retention.service.ts';
import { planOf } from '../services/plans.ts';
import { requireCaKeyAccess } from '../auth/ca-key-rule.ts';
import { certificateSummary } from '../services/certificates.service.ts';
import { createClusterCa, startIssuance } from '../services/issuance.ts';
import { ClusterParams, JobAccepted } from './schemas.ts';
import { caKeyGuard } from './ca-key-guard.ts';

export const clustersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  const tags = ['clusters'];

  /** The cluster's view with its version as the ETag (send it back as If-Match on writes: 412 when someone changed it since). */
  const withEtag = (reply: FastifyReply, view: Cluster) => {
    reply.header('etag', clusterEtag(view));
    return view;
  };

  app.post('/clusters', { schema: { tags, body: ClusterInput } }, async (req, reply) =>
    reply.status(201).send(withEtag(reply, clusterView(deps, createCluster(deps, req.body, caKeyGuard(req))))),
  );
  app.get('/clusters', { schema: { tags } }, async () => ({ items: deps.clusters.list().map((r) => clusterListItem(deps, r)) }));
  app.get('/clusters/:cluster', { schema: { tags, params: ClusterParams } }, async (req, reply) =>
    withEtag(reply, clusterView(deps, getCluster(deps, req.params.cluster))),
  );
  /** Takes a ClusterInput or the Cluster a GET gave (read-only fields unchanged); If-Match: 412 when stale. */
  app.put('/clusters/:cluster', { schema: { tags, params: ClusterParams, body: ClusterUpdate } }, async (req, reply) =>
    withEtag(reply, clusterView(deps, updateCluster(deps, req.params.cluster, req.body, caKeyGuard(req), req.headers['if-match']))),
  );
  /** Admins with the password re-entered: the cluster (CA and keys intact) is kept restorable for the retention period. */
  app.delete('/clusters/:cluster', { schema: { tags, params: ClusterParams }, config: { role: 'admin' } }, async (req) => {
    const row = getCluster(deps, req.params.cluster);
    requireClusterVersion(deps, row, req.headers['if-match']);
    requireCaKeyAccess(req, 'deleting a cluster (its CA and every key)');
    return deleteCluster(deps, req.params.cluster, req.user!.username);
  });
  // view=talks / ca-key-files: the plan trimmed to what one page reads (plan-views.ts), a few kB instead of 2 MB for 1,000 nodes
  app.get('/clusters/:cluster/plan', {
    schema: { tags, params: ClusterParams, querystring: Type.Object({ view: Type.Optional(Type.Union([Type.Literal('full'), Type.Literal('talks'), Type.Literal('ca-key-files')])) }) },
  }, async (req) => {
    const plan = planOf(getCluster(deps, req.params.cluster).input);
    return req.query.view === 'talks' ? planTalksView(plan) : req.query.view === 'ca-key-files' ? planCaKeyFilesView(plan) : plan;
  });

  app.post('/clusters/:cluster/ca', { schema: { tags, params: ClusterParams } }, async (req, reply) => {
    await createClusterCa(deps, req.params.cluster);
    return reply.status(201).send(certificateSummary(deps, getCluster(deps, req.params.cluster), 'ca'));
  });
  app.post('/clusters/:cluster/issuances', { schema: { tags, params: ClusterParams, response: { 202: JobAccepted } } }, async (req, reply) =>
    reply.status(202).send({ jobId: startIssuance(deps, req.params.cluster, req.user?.username) }),
  );
  app.get('/clusters/:cluster/issuances', { schema: { tags, params: ClusterParams } }, async (req) => ({
    items: deps.certificates.issuances(getCluster(deps, req.params.cluster).id),
  }));
};
