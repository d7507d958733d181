/** Clusters, their plan, CA and issuances. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ClusterInput } from '@kpki/shared';
import { buildPlan } from '@kpki/shared/build-plan';
import { toCluster } from '../store/clusters.repository.ts';
import { createCluster, deleteCluster, getCluster, updateCluster } from '../services/clusters.service.ts';
import { createClusterCa, startIssuance } from '../services/issuance.ts';
import { ClusterParams, JobAccepted } from './schemas.ts';

export const clustersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  const hasCa = (id: number) => !!deps.certificates.getCurrent(id, 'ca');
  const tags = ['clusters'];

  app.post('/clusters', { schema: { tags, body: ClusterInput } }, async (req, reply) => {
    const row = createCluster(deps, req.body);
    return reply.status(201).send(toCluster(row, false));
  });
  app.get('/clusters', { schema: { tags } }, async () => ({ items: deps.clusters.list().map((r) => toCluster(r, hasCa(r.id))) }));
  app.get('/clusters/:cluster', { schema: { tags, params: ClusterParams } }, async (req) => {
    const row = getCluster(deps, req.params.cluster);
    return toCluster(row, hasCa(row.id));
  });
  app.put('/clusters/:cluster', { schema: { tags, params: ClusterParams, body: ClusterInput } }, async (req) => {
    const row = updateCluster(deps, req.params.cluster, req.body);
    return toCluster(row, hasCa(row.id));
  });
  app.delete('/clusters/:cluster', { schema: { tags, params: ClusterParams } }, async (req, reply) => {
    deleteCluster(deps, req.params.cluster);
    return reply.status(204).send();
  });
  app.get('/clusters/:cluster/plan', { schema: { tags, params: ClusterParams } }, async (req) => buildPlan(getCluster(deps, req.params.cluster).input));

  app.post('/clusters/:cluster/ca', { schema: { tags, params: ClusterParams } }, async (req, reply) => {
    const { issuanceId } = await createClusterCa(deps, req.params.cluster);
    const row = getCluster(deps, req.params.cluster);
    const ca = deps.certificates.getCurrent(row.id, 'ca')!;
    return reply.status(201).send({
      name: ca.name, cn: ca.cn, o: ca.o, serial: ca.serial, notBefore: ca.notBefore, notAfter: ca.notAfter, sha256: ca.sha256,
      keyAlgorithm: ca.keyAlgorithm, issuanceId, status: ca.status, recipients: [],
    });
  });
  app.post('/clusters/:cluster/issuances', { schema: { tags, params: ClusterParams, response: { 202: JobAccepted } } }, async (req, reply) =>
    reply.status(202).send({ jobId: startIssuance(deps, req.params.cluster) }),
  );
  app.get('/clusters/:cluster/issuances', { schema: { tags, params: ClusterParams } }, async (req) => ({
    items: deps.certificates.issuances(getCluster(deps, req.params.cluster).id),
  }));
};

