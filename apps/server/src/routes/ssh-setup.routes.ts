/**
 * SSH set-up for fleets (issue 16): the import of an ssh_config and a known_hosts
 * (services/ssh-import.service.ts), the bulk host-key scan and pin, the first address as SSH
 * host, the cluster's SSH defaults (services/ssh-bulk.service.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HostKeyPins, HostKeyScanRequest, NodesSelection, SshDefaults, SshImportRequest } from '@kpki/shared';
import { pinHostKeys, scanHostKeys, setSshDefaults, useFirstAddresses } from '../services/ssh-bulk.service.ts';
import { clusterEtag, clusterView } from '../services/clusters.service.ts';
import { sshImport } from '../services/ssh-import.service.ts';
import { ClusterParams } from './schemas.ts';
import { caKeyGuard } from './ca-key-guard.ts';

/** Two texts of at most 1 MiB each, and JSON's escapes. */
const IMPORT_BODY_LIMIT = 5 * 1024 * 1024;

export const sshSetupRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  const tags = ['nodes'];

  /** Preview (nothing stored) or, with apply, store; If-Match honoured when applying; the answer carries the cluster's version then. */
  app.post('/clusters/:cluster/ssh-import', { bodyLimit: IMPORT_BODY_LIMIT, schema: { tags, params: ClusterParams, body: SshImportRequest } }, async (req, reply) => {
    const { answer, etag } = await sshImport(deps, req.params.cluster, req.body, caKeyGuard(req), req.headers['if-match']);
    if (etag) reply.header('etag', etag);
    req.auditFacts = { apply: !!req.body.apply, nodes: answer.nodes.filter((n) => n.applied).map((n) => n.node) };
    return answer;
  });

  /** Scans the nodes' host keys (pins nothing): the review table. */
  app.post('/clusters/:cluster/host-key-scan', {
    bodyLimit: IMPORT_BODY_LIMIT,
    schema: { tags, params: ClusterParams, body: HostKeyScanRequest },
    preValidation: async (req) => {
      req.body ??= {}; // no body: every node with an SSH host
    },
  }, async (req) => {
    const review = await scanHostKeys(deps, req.params.cluster, req.body.nodes, req.body.knownHosts, req.user?.role === 'admin');
    req.auditFacts = { nodes: review.items.map((i) => i.node) };
    return review;
  });

  /** Pins the reviewed fingerprints, all or none (a node that now presents another key refuses it). */
  app.post('/clusters/:cluster/host-keys', { schema: { tags, params: ClusterParams, body: HostKeyPins } }, async (req, reply) => {
    const { etag, ...answer } = await pinHostKeys(deps, req.params.cluster, req.body.pins, caKeyGuard(req), req.headers['if-match'], req.user?.role === 'admin');
    reply.header('etag', etag);
    req.auditFacts = { nodes: answer.changed };
    return answer;
  });

  /** "Use each node's first address as its SSH host" for the nodes named. */
  app.post('/clusters/:cluster/ssh-hosts/first-address', { schema: { tags, params: ClusterParams, body: NodesSelection } }, async (req, reply) => {
    const { etag, ...answer } = useFirstAddresses(deps, req.params.cluster, req.body.nodes, caKeyGuard(req), req.headers['if-match']);
    reply.header('etag', etag);
    req.auditFacts = { nodes: answer.changed };
    return answer;
  });

  /** The cluster's SSH defaults; the answer is the cluster with its new version. */
  app.put('/clusters/:cluster/ssh-defaults', { schema: { tags, params: ClusterParams, body: SshDefaults } }, async (req, reply) => {
    const view = clusterView(deps, setSshDefaults(deps, req.params.cluster, req.body, caKeyGuard(req), req.headers['if-match']));
    reply.header('etag', clusterEtag(view));
    return view;
  });
};
