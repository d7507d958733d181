/** Will it work: every who-talks-to-whom link checked with the files of a source. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { getCluster } from '../services/clusters.service.ts';
import { clusterLinksJson } from '../services/links.service.ts';
import { ClusterParams } from './schemas.ts';

export const linksRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  app.get('/clusters/:cluster/links', {
    schema: {
      tags: ['links'], params: ClusterParams,
      querystring: Type.Object({
        source: Type.Optional(Type.Union([Type.Literal('issued'), Type.Literal('deployed'), Type.Literal('planned')])),
        at: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
        inDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 36500 })),
        // a part of the links (a page shows 50): the answer's `page` says how many match
        failing: Type.Optional(Type.Boolean({ description: 'failing links only' })),
        q: Type.Optional(Type.String({ maxLength: 200, description: 'text the link holds: client, server, nodes, address:port, certificate, reasons (case-insensitive)' })),
        node: Type.Optional(Type.String({ minLength: 1, maxLength: 63, description: 'links the node takes part in, as client or server' })),
        offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
        limit: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
      }, { additionalProperties: false }),
    },
  }, async (req, reply) => {
    const json = await clusterLinksJson(deps, getCluster(deps, req.params.cluster), req.query);
    reply.type('application/json; charset=utf-8');
    return json;
  });
};
