/** Nodes: SSH settings, host-key scan, deploy key, status, verify, distribution (services/nodes.service.ts). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { SshSettings } from '@kpki/shared';
import { getCluster, uploadDeployKey } from '../services/clusters.service.ts';
import { deployKeyView, distribute, nodeList, nodeRows, nodeStatusFor, scanHostKeyFor, setNodeSsh, verifyNodeFor } from '../services/nodes.service.ts';
import { startVerification } from '../services/verification.job.ts';
import { ClusterParams, JobAccepted, NodeParams } from './schemas.ts';
import { caKeyGuard } from './ca-key-guard.ts';
import { caKeyJobParams, requireCaKeyAccess } from '../auth/ca-key-rule.ts';

export const nodesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  const tags = ['nodes'];

  // view=brief: each row's status counts its files and lists only those not in sync (NodeRow): the node list of a large cluster
  app.get('/clusters/:cluster/nodes', {
    schema: { tags, params: ClusterParams, querystring: Type.Object({ view: Type.Optional(Type.Union([Type.Literal('full'), Type.Literal('brief')])) }) },
  }, async (req) => ({ items: req.query.view === 'brief' ? nodeRows(deps, req.params.cluster, req.user?.role) : nodeList(deps, req.params.cluster, req.user?.role) }));

  /** If-Match (the cluster's ETag) is honoured; the answer carries the cluster's new ETag. */
  app.put('/clusters/:cluster/nodes/:node/ssh', { schema: { tags, params: NodeParams, body: SshSettings } }, async (req, reply) => {
    const { summary, etag } = setNodeSsh(deps, req.params.cluster, req.params.node, req.body, caKeyGuard(req), req.user?.role, req.headers['if-match']);
    reply.header('etag', etag);
    return summary;
  });

  app.post('/clusters/:cluster/nodes/:node/host-key-scan', { schema: { tags, params: NodeParams } }, async (req) =>
    scanHostKeyFor(deps, req.params.cluster, req.params.node, req.user?.role),
  );

  app.get('/clusters/:cluster/ssh-key', { schema: { tags, params: ClusterParams } }, async (req) => deployKeyView(deps, req.params.cluster));
  app.put('/clusters/:cluster/ssh-key', {
    schema: { tags, params: ClusterParams, body: Type.Object({ privateKey: Type.String({ minLength: 1, maxLength: 16384 }) }, { additionalProperties: false }) },
  }, async (req) => {
    const row = getCluster(deps, req.params.cluster);
    requireCaKeyAccess(req, 'uploading a deploy key');
    return uploadDeployKey(deps, row.id, req.body.privateKey);
  });

  app.get('/clusters/:cluster/nodes/:node/status', { schema: { tags, params: NodeParams } }, async (req) =>
    nodeStatusFor(deps, req.params.cluster, req.params.node, req.user?.role),
  );
  app.post('/clusters/:cluster/nodes/:node/verify', { schema: { tags, params: NodeParams } }, async (req) =>
    verifyNodeFor(deps, req.params.cluster, req.params.node, req.user?.role),
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
  const startDistributing = (req: FastifyRequest, cluster: string, nodes: string[] | undefined) => {
    const { jobId, auditFacts } = distribute(deps, cluster, nodes, caKeyJobParams(req));
    req.auditFacts = auditFacts;
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
  }, async (req, reply) => reply.status(202).send({ jobId: startDistributing(req, req.params.cluster, req.body.nodes) }));

  app.post('/clusters/:cluster/nodes/:node/distribute', { schema: { tags, params: NodeParams, response: { 202: JobAccepted } } }, async (req, reply) =>
    reply.status(202).send({ jobId: startDistributing(req, req.params.cluster, [req.params.node]) }),
  );
};
