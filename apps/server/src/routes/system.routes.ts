/** GET /health, GET /presets/hard-way */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ClusterInput } from '@kpki/shared';
import { hardWayPreset } from '@kpki/shared/preset';

export const systemRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', { schema: { tags: ['system'] }, config: { role: 'public' } }, async () => ({ status: 'ok' }));
  app.get('/presets/hard-way', { schema: { tags: ['system'], response: { 200: ClusterInput } } }, async () => hardWayPreset());
};
