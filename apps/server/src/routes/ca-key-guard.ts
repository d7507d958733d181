/** The CA key rule applied to a change of topology or SSH settings, for the route files. */
import type { FastifyRequest } from 'fastify';
import { requireCaKeyAccess } from '../auth/ca-key-rule.ts';
import type { CaKeyGuard } from '../services/clusters.service.ts';

/** A guard that refuses the request's change when it decides where the CA key goes and the request may not. */
export function caKeyGuard(req: FastifyRequest): CaKeyGuard {
  return (changes) => {
    if (changes.length) requireCaKeyAccess(req, `this change decides where the CA key goes (${changes.join('; ')}): it`);
  };
}
