/**
 * GET /metrics (outside /api/v1, where Prometheus looks): needs an API token of any role
 * (Authorization: Bearer, as Prometheus sends it), unless KPKI_METRICS_PUBLIC=1.
 */
import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../lib/errors.ts';
import { metricsScraper } from '../services/metrics.service.ts';

export const metricsRoutes: FastifyPluginAsync = async (app) => {
  const { deps } = app;
  const metrics = metricsScraper(deps);
  app.get('/metrics', { schema: { tags: ['metrics'] }, config: { role: 'viewer' } }, async (req, reply) => {
    if (!deps.config.metricsPublic) {
      const auth = req.headers.authorization;
      const found = auth?.startsWith('Bearer ') ? deps.users.tokenUser(auth.slice(7).trim(), deps.now()) : null;
      if (!found || found.user.disabled) {
        throw new AppError('UNAUTHENTICATED', 'GET /metrics needs an API token of any role: send Authorization: Bearer <token> (Prometheus: authorization.credentials), or start kpki with KPKI_METRICS_PUBLIC=1');
      }
    }
    reply.header('content-type', metrics.contentType);
    reply.header('cache-control', 'no-store');
    return metrics.scrape();
  });
};
