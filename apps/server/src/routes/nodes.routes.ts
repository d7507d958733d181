/** Nodes: SSH settings, host-key scan, deploy key, status, verify, distribution. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { SshSettings } from '@kpki/shared';
import { checkCluster } from '@kpki/shared/cluster';
import { caKeyTargetChanges } from '@kpki/shared/ca-key-targets';
import { AppError } from '../lib/errors.ts';
import { getCluster, getDeployKey, uploadDeployKey } from '../services/clusters.service.ts';
import { findNode, nodeStatus, nodeSummaries } from '../services/node-status.ts';
import { verifyNode } from '../services/node-look.ts';
import { startVerification } from '../services/verification.job.ts';
import { startDistribution } from '../services/distribution.job.ts';
import { scanNodeHostKey } from '../services/host-key.service.ts';
import { ClusterParams, JobAccepted, NodeParams } from './schemas.ts';
import { caKeyGuard } from './ca-key-guard.ts';
import { caKeyJobParams, requireCaKeyAccess } from '../auth/ca-key-rule.ts';

export const nodesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  const tags = ['nodes'];

  const summaries = (clusterName: string, only?: string) => nodeSummaries(deps, getCluster(deps, clusterName), only);

  app.get('/clusters/:cluster/nodes', { schema: { tags, params: ClusterParams } }, async (req) => ({ items: summaries(req.params.cluster) }));

  app.put('/clusters/:cluster/nodes/:node/ssh', { schema: { tags, params: NodeParams, body: SshSettings } }, async (req) => {
    const row = getCluster(deps, req.params.cluster);
    findNode(row, req.params.node);
    const input = { ...row.input, nodes: row.input.nodes.map((n) => (n.name === req.params.node ? { ...n, ssh: req.body } : n)) };
    const res = checkCluster(input);
    if (!res.ok) {
      const issues = res.issues.filter((i) => i.path.includes('/ssh'));
      throw new AppError('VALIDATION_FAILED', `the SSH settings are not valid: ${issues.map((i) => i.message).join('; ')}`, issues);
    }
    caKeyGuard(req)(caKeyTargetChanges(row.input, input));
    deps.clusters.setSsh(row.id, req.params.node, req.body);
    return summaries(req.params.cluster, req.params.node)[0];
  });

  app.post('/clusters/:cluster/nodes/:node/host-key-scan', { schema: { tags, params: NodeParams } }, async (req) =>
    scanNodeHostKey(deps, req.params.cluster, req.params.node),
  );

  app.get('/clusters/:cluster/ssh-key', { schema: { tags, params: ClusterParams } }, async (req) => {
    const { secretId: _s, ...key } = getDeployKey(deps, getCluster(deps, req.params.cluster).id);
    return key;
  });
  app.put('/clusters/:cluster/ssh-key', {
    schema: { tags, params: ClusterParams, body: Type.Object({ privateKey: Type.String({ minLength: 1, maxLength: 16384 }) }, { additionalProperties: false }) },
  }, async (req) => {
    const row = getCluster(deps, req.params.cluster);
    requireCaKeyAccess(req, 'uploading a deploy key');
    return uploadDeployKey(deps, row.id, req.body.privateKey);
  });

  app.get('/clusters/:cluster/nodes/:node/status', { schema: { tags, params: NodeParams } }, async (req) =>
    nodeStatus(deps, getCluster(deps, req.params.cluster), req.params.node),
  );
  app.post('/clusters/:cluster/nodes/:node/verify', { schema: { tags, params: NodeParams } }, async (req) =>
    verifyNode(deps, getCluster(deps, req.params.cluster), req.params.node),
  );

  const NodesBody = Type.Object({ nodes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 63 }), { minItems: 1, maxItems: 5000 })) }, { additionalProperties: false });

  app.post('/clusters/:cluster/verifications', {
    schema: { tags, params: ClusterParams, response: { 202: JobAccepted }, body: NodesBody },
    // no body at all means every node
    preValidation: async (req) => {
      req.body ??= {};
    },
  }, async (req, reply) => reply.status(202).send({ jobId: startVerification(deps, req.params.cluster, req.body.nodes) }));

  app.post('/clusters/:cluster/distributions', {
    schema: {
      tags, params: ClusterParams, response: { 202: JobAccepted }, body: NodesBody,
    },
    // no body at all means every node
    preValidation: async (req) => {
      req.body ??= {};
    },
  }, async (req, reply) => reply.status(202).send({ jobId: startDistribution(deps, req.params.cluster, req.body.nodes, caKeyJobParams(req)) }));

  app.post('/clusters/:cluster/nodes/:node/distribute', { schema: { tags, params: NodeParams, response: { 202: JobAccepted } } }, async (req, reply) =>
    reply.status(202).send({ jobId: startDistribution(deps, req.params.cluster, [req.params.node], caKeyJobParams(req)) }),
  );
};
