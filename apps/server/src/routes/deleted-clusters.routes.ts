/** Deleted clusters (admins): the list with when each is purged, restore, purge now. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireCaKeyAccess } from '../auth/ca-key-rule.ts';
import { listDeletedClusters, purgeCluster, restoreCluster } from '../services/cluster-retention.service.ts';
import { clusterView, getCluster } from '../services/clusters.service.ts';
import { ClusterParams } from './schemas.ts';

export const deletedClustersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  const tags = ['clusters'];

  app.get('/deleted-clusters', { schema: { tags }, config: { role: 'admin' } }, async () => ({ items: listDeletedClusters(deps) }));

  app.post('/deleted-clusters/:cluster/restore', { schema: { tags, params: ClusterParams }, config: { role: 'admin', session: true } }, async (req) => {
    restoreCluster(deps, req.params.cluster);
    return clusterView(deps, getCluster(deps, req.params.cluster));
  });

  /** Purge now: the CA and every key are gone for good. */
  app.delete('/deleted-clusters/:cluster', { schema: { tags, params: ClusterParams }, config: { role: 'admin' } }, async (req, reply) => {
    requireCaKeyAccess(req, 'purging a deleted cluster (its CA and every key, for good)');
    purgeCluster(deps, req.params.cluster);
    return reply.status(204).send();
  });
};
