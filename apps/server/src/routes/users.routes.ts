/**
 * Users (admin), API tokens (each user their own) and everyone's own password. Every write here
 * needs a browser session: API tokens never manage users, tokens or passwords. Making someone an
 * admin follows the CA key rule (an admin can download the CA key).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { PasswordField as Password, RoleName as RoleSchema, TOKEN_LIFETIME_DAYS, UsernameField as Username } from '@kpki/shared';
import { AppError } from '../lib/errors.ts';
import { checkPasswordRules, hashPassword, verifyPassword } from '../auth/passwords.ts';
import { DEVICE_COOKIE, writeCookie } from '../auth/cookies.ts';
import { KNOWN_DEVICE_MS, knownDeviceValue } from '../auth/sign-in-backoff.ts';
import { requireCaKeyAccess } from '../auth/ca-key-rule.ts';

const DAY_MS = 86_400_000;

export const usersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { deps } = app;
  const tags = ['users'];
  const adminWrite = { role: 'admin' as const, session: true };
  const find = (id: number) => {
    const u = deps.users.get(id);
    if (!u) throw new AppError('USER_NOT_FOUND', `user ${id} does not exist`);
    return u;
  };
  const now = () => deps.now().toISOString();

  app.get('/users', { schema: { tags }, config: { role: 'admin' } }, async () => ({ items: deps.users.list() }));

  app.post('/users', {
    schema: { tags, body: Type.Object({ username: Username, password: Password, role: RoleSchema }, { additionalProperties: false }) },
    config: adminWrite,
  }, async (req, reply) => {
    const taken = () => new AppError('USER_EXISTS', `user "${req.body.username}" exists (names compare without regard to case): choose another name`);
    if (deps.users.byName(req.body.username)) throw taken();
    checkPasswordRules(req.body.password);
    if (req.body.role === 'admin') requireCaKeyAccess(req, 'creating an admin user (an admin can download the CA key)');
    const user = deps.users.create(req.body.username, await hashPassword(req.body.password), req.body.role, now());
    if (!user) throw taken();
    return reply.status(201).send(user);
  });

  app.patch('/users/:id', {
    schema: {
      tags, params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
      body: Type.Object({ role: Type.Optional(RoleSchema), disabled: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
    },
    config: adminWrite,
  }, async (req) => {
    const user = find(req.params.id);
    if (user.id === req.user!.id && (req.body.disabled || (req.body.role && req.body.role !== 'admin'))) {
      throw new AppError('FORBIDDEN', 'you cannot disable yourself or drop your own admin role: ask another admin');
    }
    if (req.body.role === 'admin' && user.role !== 'admin') requireCaKeyAccess(req, 'making a user admin (an admin can download the CA key)');
    deps.users.update(user.id, req.body, now());
    return find(user.id);
  });

  app.put('/users/me/password', {
    schema: { tags, body: Type.Object({ currentPassword: Password, newPassword: Password }, { additionalProperties: false }) },
    config: { role: 'viewer', audit: 'change-own-password', session: true },
  }, async (req, reply) => {
    const me = deps.users.byName(req.user!.username)!;
    if (!(await verifyPassword(me.passwordHash, req.body.currentPassword))) throw new AppError('INVALID_CREDENTIALS', 'the current password is wrong');
    checkPasswordRules(req.body.newPassword);
    const passwordHash = await hashPassword(req.body.newPassword);
    deps.users.update(me.id, { passwordHash }, now(), req.session?.id);
    // known-device cookies are bound to the password: this browser stays known, every other one not
    writeCookie(req, reply, DEVICE_COOKIE, knownDeviceValue(deps.config.masterKey, { id: me.id, passwordHash }, deps.now()), KNOWN_DEVICE_MS);
    return reply.status(204).send();
  });

  /** Admins see every token, everyone else their own. */
  app.get('/tokens', { schema: { tags }, config: { role: 'viewer' } }, async (req) => ({
    items: deps.users.listTokens(req.user!.role === 'admin' ? null : req.user!.id),
  }));
  app.post('/tokens', {
    schema: {
      tags,
      body: Type.Object({
        name: Type.String({ minLength: 1, maxLength: 64 }),
        lifetimeDays: Type.Optional(Type.Integer({ minimum: 1, maximum: TOKEN_LIFETIME_DAYS.max })),
      }, { additionalProperties: false }),
    },
    config: { role: 'viewer', session: true },
  }, async (req, reply) => {
    const me = req.user!;
    const expiresAt = new Date(deps.now().getTime() + (req.body.lifetimeDays ?? TOKEN_LIFETIME_DAYS.default) * DAY_MS).toISOString();
    const { id, token } = deps.users.createToken(me.id, req.body.name, now(), expiresAt);
    return reply.status(201).send({ id, name: req.body.name, username: me.username, expiresAt, token, note: 'shown once: store it now' });
  });
  app.delete('/tokens/:id', { schema: { tags, params: Type.Object({ id: Type.String({ maxLength: 64 }) }) }, config: { role: 'viewer', session: true } }, async (req, reply) => {
    const owner = deps.users.tokenOwner(req.params.id);
    if (owner !== null && owner !== req.user!.id && req.user!.role !== 'admin') {
      throw new AppError('FORBIDDEN', `token ${req.params.id} is another user's: only its owner or an admin revokes it`);
    }
    if (owner === null || !deps.users.revokeToken(req.params.id, now(), `revoked by ${req.user!.username}`)) {
      throw new AppError('NOT_FOUND', `token ${req.params.id} does not exist or is revoked`);
    }
    return reply.status(204).send();
  });
};
