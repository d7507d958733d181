/** Clusters, their plan, CA and issuances. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ClusterInput } from '@kpki/shared';
import { buildPlan } from '@kpki/shared/build-plan';
import { clusterListItem, clusterView, createCluster, getCluster, updateCluster } from '../services/clusters.service.ts';
import { deleteCluster } from '../services/cluster-retention.service.ts';
import { requireCaKeyAccess } from '../auth/ca-key-rule.ts';
import { certificateSummary } from '../services/certificates.service.ts';
import { createClusterCa, startIssuance } from '../services/issuance.ts';
import { ClusterParams, JobAccepted } from './schemas.ts';
import { caKeyGuard } from './ca-key-guard.ts';

export const clustersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  const tags = ['clusters'];

  app.post('/clusters', { schema: { tags, body: ClusterInput } }, async (req, reply) =>
    reply.status(201).send(clusterView(deps, createCluster(deps, req.body, caKeyGuard(req)))),
  );
  app.get('/clusters', { schema: { tags } }, async () => ({ items: deps.clusters.list().map((r) => clusterListItem(deps, r)) }));
  app.get('/clusters/:cluster', { schema: { tags, params: ClusterParams } }, async (req) => clusterView(deps, getCluster(deps, req.params.cluster)));
  app.put('/clusters/:cluster', { schema: { tags, params: ClusterParams, body: ClusterInput } }, async (req) =>
    clusterView(deps, updateCluster(deps, req.params.cluster, req.body, caKeyGuard(req))),
  );
  /** Admins with the password re-entered: the cluster (CA and keys intact) is kept restorable for the retention period. */
  app.delete('/clusters/:cluster', { schema: { tags, params: ClusterParams }, config: { role: 'admin' } }, async (req) => {
    getCluster(deps, req.params.cluster);
    requireCaKeyAccess(req, 'deleting a cluster (its CA and every key)');
    return deleteCluster(deps, req.params.cluster, req.user!.username);
  });
  app.get('/clusters/:cluster/plan', { schema: { tags, params: ClusterParams } }, async (req) => buildPlan(getCluster(deps, req.params.cluster).input));

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
