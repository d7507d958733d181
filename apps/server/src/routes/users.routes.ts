/** Users and API tokens (admin), and everyone's own password. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { AppError } from '../lib/errors.ts';
import { checkPasswordRules, hashPassword, verifyPassword } from '../auth/passwords.ts';

const RoleSchema = Type.Union([Type.Literal('admin'), Type.Literal('operator'), Type.Literal('viewer')]);
const Username = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-zA-Z0-9._-]+$' });
const Password = Type.String({ minLength: 1, maxLength: 1024 });

export const usersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  const tags = ['users'];
  const admin = { role: 'admin' as const };
  const find = (id: number) => {
    const u = deps.users.get(id);
    if (!u) throw new AppError('USER_NOT_FOUND', `user ${id} does not exist`);
    return u;
  };

  app.get('/users', { schema: { tags }, config: admin }, async () => ({ items: deps.users.list() }));

  app.post('/users', {
    schema: { tags, body: Type.Object({ username: Username, password: Password, role: RoleSchema }, { additionalProperties: false }) },
    config: admin,
  }, async (req, reply) => {
    if (deps.users.byName(req.body.username)) throw new AppError('USER_EXISTS', `user "${req.body.username}" exists: choose another name`);
    checkPasswordRules(req.body.password);
    const user = deps.users.create(req.body.username, await hashPassword(req.body.password), req.body.role, deps.now().toISOString());
    return reply.status(201).send(user);
  });

  app.patch('/users/:id', {
    schema: {
      tags, params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
      body: Type.Object({ role: Type.Optional(RoleSchema), disabled: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
    },
    config: admin,
  }, async (req) => {
    const user = find(req.params.id);
    if (user.id === req.user!.id && (req.body.disabled || (req.body.role && req.body.role !== 'admin'))) {
      throw new AppError('FORBIDDEN', 'you cannot disable yourself or drop your own admin role: ask another admin');
    }
    deps.users.update(user.id, req.body);
    return find(user.id);
  });

  app.put('/users/me/password', {
    schema: { tags, body: Type.Object({ currentPassword: Password, newPassword: Password }, { additionalProperties: false }) },
    config: { role: 'viewer', audit: 'change-own-password' },
  }, async (req, reply) => {
    const me = deps.users.byName(req.user!.username)!;
    if (!(await verifyPassword(me.passwordHash, req.body.currentPassword))) throw new AppError('INVALID_CREDENTIALS', 'the current password is wrong');
    checkPasswordRules(req.body.newPassword);
    deps.users.update(me.id, { passwordHash: await hashPassword(req.body.newPassword) }, req.session?.id);
    return reply.status(204).send();
  });

  app.get('/tokens', { schema: { tags }, config: admin }, async () => ({ items: deps.users.listTokens() }));
  app.post('/tokens', {
    schema: { tags, body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }), username: Type.Optional(Username) }, { additionalProperties: false }) },
    config: admin,
  }, async (req, reply) => {
    const owner = req.body.username ? deps.users.byName(req.body.username) : req.user!;
    if (!owner) throw new AppError('USER_NOT_FOUND', `user "${req.body.username}" does not exist`);
    const { id, token } = deps.users.createToken(owner.id, req.body.name, deps.now().toISOString());
    return reply.status(201).send({ id, name: req.body.name, username: owner.username, token, note: 'shown once: store it now' });
  });
  app.delete('/tokens/:id', { schema: { tags, params: Type.Object({ id: Type.String({ maxLength: 64 }) }) }, config: admin }, async (req, reply) => {
    if (!deps.users.revokeToken(req.params.id, deps.now().toISOString())) throw new AppError('NOT_FOUND', `token ${req.params.id} does not exist or is revoked`);
    return reply.status(204).send();
  });
};
