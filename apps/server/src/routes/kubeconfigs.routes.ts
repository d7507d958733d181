/** Generated files: the kubeconfigs (list, download) and the API server's encryption config. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { getCluster } from '../services/clusters.service.ts';
import { encryptionConfigContent, findKubeconfig, kubeconfigContent, listKubeconfigs } from '../services/config-files.service.ts';
import { requireCaKeyAccess } from '../auth/ca-key-rule.ts';
import { underCaKeyRule } from '@kpki/shared/distribution';
import { CertParams, ClusterParams } from './schemas.ts';

export const kubeconfigsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  const tags = ['kubeconfigs'];
  const attachment = (reply: { header: (k: string, v: string) => unknown }, file: string) => {
    reply.header('content-type', 'application/yaml; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="${file}"`);
    reply.header('cache-control', 'no-store');
  };

  app.get('/clusters/:cluster/kubeconfigs', {
    schema: { tags, params: ClusterParams, querystring: Type.Object({ name: Type.Optional(Type.String({ minLength: 1 })) }) },
  }, async (req) => ({
    items: listKubeconfigs(deps, getCluster(deps, req.params.cluster), req.query),
  }));

  // the file embeds a private key: operators, like a key download; the admin credential follows the CA key's rule
  app.get('/clusters/:cluster/kubeconfigs/:name', {
    schema: { tags, params: CertParams }, config: { role: 'operator', audit: 'download-kubeconfig' },
  }, async (req, reply) => {
    const row = getCluster(deps, req.params.cluster);
    const k = findKubeconfig(row, req.params.name);
    if (underCaKeyRule({ part: 'kubeconfig', certificate: k.certificate })) requireCaKeyAccess(req, `downloading ${k.file} (a cluster-admin credential, system:masters)`);
    const content = kubeconfigContent(deps, row, k);
    attachment(reply, k.file);
    return content;
  });

  app.get('/clusters/:cluster/encryption-config', {
    schema: { tags, params: ClusterParams }, config: { role: 'admin', audit: 'download-encryption-config' },
  }, async (req, reply) => {
    const content = encryptionConfigContent(deps, getCluster(deps, req.params.cluster));
    attachment(reply, 'encryption-config.yaml');
    return content;
  });
};
