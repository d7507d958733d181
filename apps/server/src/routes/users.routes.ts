/**
 * Users (admin), API tokens (each user their own) and everyone's own password. Every write here
 * needs a browser session: API tokens never manage users, tokens or passwords. The rules live in
 * services/users.service.ts; making someone an admin follows the CA key rule of the request.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { PasswordField as Password, RoleName as RoleSchema, TOKEN_LIFETIME_DAYS, UsernameField as Username } from '@kpki/shared';
import { DEVICE_COOKIE, writeCookie } from '../auth/cookies.ts';
import { requireCaKeyAccess } from '../auth/ca-key-rule.ts';
import { KNOWN_DEVICE_MS } from '../services/session.service.ts';
import { changeOwnPassword, createToken, createUser, listTokens, listUsers, revokeToken, updateUser, type RequireCaKey } from '../services/users.service.ts';

export const usersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  const tags = ['users'];
  const adminWrite = { role: 'admin' as const, session: true };
  const caKeyRule = (req: FastifyRequest): RequireCaKey => (action) => requireCaKeyAccess(req, action);

  app.get('/users', { schema: { tags }, config: { role: 'admin' } }, async () => ({ items: listUsers(deps) }));

  app.post('/users', {
    schema: { tags, body: Type.Object({ username: Username, password: Password, role: RoleSchema }, { additionalProperties: false }) },
    config: adminWrite,
  }, async (req, reply) => reply.status(201).send(await createUser(deps, req.body, caKeyRule(req))));

  app.patch('/users/:id', {
    schema: {
      tags, params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
      body: Type.Object({ role: Type.Optional(RoleSchema), disabled: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
    },
    config: adminWrite,
  }, async (req) => updateUser(deps, req.user!, req.params.id, req.body, caKeyRule(req)));

  app.put('/users/me/password', {
    schema: { tags, body: Type.Object({ currentPassword: Password, newPassword: Password }, { additionalProperties: false }) },
    config: { role: 'viewer', audit: 'change-own-password', session: true },
  }, async (req, reply) => {
    const { knownDevice } = await changeOwnPassword(deps, req.user!, req.body.currentPassword, req.body.newPassword, req.session?.id);
    // known-device cookies are bound to the password: this browser stays known, every other one not
    writeCookie(req, reply, DEVICE_COOKIE, knownDevice, KNOWN_DEVICE_MS);
    return reply.status(204).send();
  });

  /** Admins see every token, everyone else their own. */
  app.get('/tokens', { schema: { tags }, config: { role: 'viewer' } }, async (req) => ({ items: listTokens(deps, req.user!) }));
  app.post('/tokens', {
    schema: {
      tags,
      body: Type.Object({
        name: Type.String({ minLength: 1, maxLength: 64 }),
        lifetimeDays: Type.Optional(Type.Integer({ minimum: 1, maximum: TOKEN_LIFETIME_DAYS.max })),
      }, { additionalProperties: false }),
    },
    config: { role: 'viewer', session: true },
  }, async (req, reply) => reply.status(201).send(createToken(deps, req.user!, req.body.name, req.body.lifetimeDays)));
  app.delete('/tokens/:id', { schema: { tags, params: Type.Object({ id: Type.String({ maxLength: 64 }) }) }, config: { role: 'viewer', session: true } }, async (req, reply) => {
    revokeToken(deps, req.user!, req.params.id);
    return reply.status(204).send();
  });
};
