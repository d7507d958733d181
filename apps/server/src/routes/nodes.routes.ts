/** Nodes: SSH settings, host-key scan, deploy key, status, verify, distribution. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { SshSettings, type NodeStatus } from '@kpki/shared';
import { checkCluster } from '@kpki/shared/cluster';
import { caKeyTargetChanges } from '@kpki/shared/ca-key-targets';
import { AppError } from '../lib/errors.ts';
import { getCluster, getDeployKey, uploadDeployKey } from '../services/clusters.service.ts';
import { findNode, nodeStatus, nodeSummaries } from '../services/node-status.ts';
import { verifyNode } from '../services/node-look.ts';
import { startVerification } from '../services/verification.job.ts';
import { distributionAuditFacts, startDistribution } from '../services/distribution.job.ts';
import { checkSshTarget, scanNodeHostKey } from '../services/host-key.service.ts';
import { ClusterParams, JobAccepted, NodeParams } from './schemas.ts';
import { caKeyGuard } from './ca-key-guard.ts';
import { caKeyJobParams, requireCaKeyAccess } from '../auth/ca-key-rule.ts';

export const nodesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  const tags = ['nodes'];

  /** The exact cause of an unreachable node (refused, closed, silent port) is for admins only: no port scanner for others. */
  const forCaller = (req: FastifyRequest, s: NodeStatus): NodeStatus =>
    (s.error?.detail && req.user?.role !== 'admin' ? { ...s, error: { code: s.error.code, message: s.error.message } } : s);
  const summaries = (req: FastifyRequest, clusterName: string, only?: string) =>
    nodeSummaries(deps, getCluster(deps, clusterName), only).map((n) => ({ ...n, status: forCaller(req, n.status) }));

  app.get('/clusters/:cluster/nodes', { schema: { tags, params: ClusterParams } }, async (req) => ({ items: summaries(req, req.params.cluster) }));

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
    checkSshTarget(deps, req.params.node, req.body);
    deps.clusters.setSsh(row.id, req.params.node, req.body);
    return summaries(req, req.params.cluster, req.params.node)[0];
  });

  app.post('/clusters/:cluster/nodes/:node/host-key-scan', { schema: { tags, params: NodeParams } }, async (req) =>
    scanNodeHostKey(deps, req.params.cluster, req.params.node, req.user?.role === 'admin'),
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
    forCaller(req, nodeStatus(deps, getCluster(deps, req.params.cluster), req.params.node)),
  );
  app.post('/clusters/:cluster/nodes/:node/verify', { schema: { tags, params: NodeParams } }, async (req) =>
    forCaller(req, await verifyNode(deps, getCluster(deps, req.params.cluster), req.params.node)),
  );

  const NodesBody = Type.Object({ nodes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 63 }), { minItems: 1, maxItems: 5000 })) }, { additionalProperties: false });

  app.post('/clusters/:cluster/verifications', {
    schema: { tags, params: ClusterParams, response: { 202: JobAccepted }, body: NodesBody },
    // no body at all means every node
    preValidation: async (req) => {
      req.body ??= {};
    },
  }, async (req, reply) => reply.status(202).send({ jobId: startVerification(deps, req.params.cluster, req.body.nodes, req.user?.username) }));

  /** Starts the distribution; its audit line names the nodes and those the CA key goes to. */
  const distribute = (req: FastifyRequest, nodes: string[] | undefined) => {
    const { cluster } = req.params as { cluster: string };
    const jobId = startDistribution(deps, cluster, nodes, caKeyJobParams(req));
    req.auditFacts = distributionAuditFacts(deps, cluster, jobId);
    return jobId;
  };

  app.post('/clusters/:cluster/distributions', {
    schema: {
      tags, params: ClusterParams, response: { 202: JobAccepted }, body: NodesBody,
    },
    // no body at all means every node
    preValidation: async (req) => {
      req.body ??= {};
    },
  }, async (req, reply) => reply.status(202).send({ jobId: distribute(req, req.body.nodes) }));

  app.post('/clusters/:cluster/nodes/:node/distribute', { schema: { tags, params: NodeParams, response: { 202: JobAccepted } } }, async (req, reply) =>
    reply.status(202).send({ jobId: distribute(req, [req.params.node]) }),
  );
};
