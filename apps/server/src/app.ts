/**
 * buildApp(config) -> a Fastify instance with every plugin and route; what tests build.
 * One error handler turns every failure into { error: { code, message, details } } and hides
 * the message of unexpected (5xx) errors.
 */
import Fastify, { type FastifyError, type FastifyInstance, type RouteOptions } from 'fastify';
import { TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { TSchema } from 'typebox';
import { schemaIssues } from '@kpki/shared/schema-issues';
import type { ErrorCode } from '@kpki/shared/api/errors';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import helmet from '@fastify/helmet';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import path from 'node:path';
import type { Config } from './config.ts';
import { createContext, type Deps } from './context.ts';
import { AppError } from './lib/errors.ts';
import { systemRoutes } from './routes/system.routes.ts';
import { clustersRoutes } from './routes/clusters.routes.ts';
import { deletedClustersRoutes } from './routes/deleted-clusters.routes.ts';
import { startMaintenance } from './services/maintenance.ts';
import { certificatesRoutes } from './routes/certificates.routes.ts';
import { nodesRoutes } from './routes/nodes.routes.ts';
import { sshSetupRoutes } from './routes/ssh-setup.routes.ts';
import { linksRoutes } from './routes/links.routes.ts';
import { kubeconfigsRoutes } from './routes/kubeconfigs.routes.ts';
import { jobsRoutes } from './routes/jobs.routes.ts';
import { sessionRoutes } from './routes/session.routes.ts';
import { usersRoutes } from './routes/users.routes.ts';
import { adminRoutes } from './routes/admin.routes.ts';
import { lifecycleRoutes } from './routes/lifecycle.routes.ts';
import { caRotationRoutes } from './routes/ca-rotation.routes.ts';
import { importsRoutes } from './routes/imports.routes.ts';
import { metricsRoutes } from './routes/metrics.routes.ts';
import { registerAuth } from './auth/auth.hooks.ts';
import { applyContract, SECURITY_SCHEMES } from './routes/contract.ts';
import { bootstrapAdmin } from './auth/passwords.ts';

declare module 'fastify' {
  interface FastifyInstance {
    deps: Deps;
    /** every route as registered (method, full URL, config): what the route-table test walks */
    routeTable: RouteEntry[];
  }
}

/** A file of the web build named by its content hash (Vite's assets/<name>-<hash>.<ext>): its content never changes under that name. */
export const HASHED_ASSET = /^assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[A-Za-z0-9]+$/;

export interface RouteEntry {
  method: string;
  url: string;
  config: { role?: string; audit?: string; session?: boolean };
}

export interface BuildOptions {
  /** inject the clock (tests) */
  now?: () => Date;
  /** logger settings; false for none */
  logger?: boolean | object;
}

/** The code of a 4xx that no kpki code names (Fastify's own errors), by its status. */
const CODE_OF_STATUS: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED', 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 429: 'RATE_LIMITED',
};

function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

export async function buildApp(config: Config, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? {
      level: config.logLevel,
      redact: ['req.headers.cookie', 'req.headers.authorization', 'req.body.password', 'req.body.privateKey', '*.privateKey', '*.keyPem'],
    },
    bodyLimit: 1024 * 1024,
    // client address and scheme from X-Forwarded-For/-Proto only when sent by a proxy KPKI_TRUST_PROXY names
    trustProxy: config.trustProxy,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(TypeBoxValidatorCompiler);

  const routeTable: RouteEntry[] = [];
  app.addHook('onRoute', (r) => {
    // the summary, answers, security and role of the operation (routes/contract.ts), before Fastify compiles the route
    applyContract(r as RouteOptions);
    for (const method of [r.method].flat()) routeTable.push({ method, url: r.url, config: (r.config ?? {}) as RouteEntry['config'] });
  });
  app.decorate('routeTable', routeTable);

  const deps = createContext(config, opts.now);
  app.decorate('deps', deps);
  const generated = await bootstrapAdmin(deps.users, config.adminPassword, deps.now().toISOString());
  if (generated) {
    // printed once, on the console only (never to the log file): the first admin's password
    console.log(`\nkpki: created user "admin" with password ${generated}\n      sign in and change it; set KPKI_ADMIN_PASSWORD to choose it yourself\n`);
  }
  const stopMaintenance = startMaintenance(deps, app.log);
  // the aggregated lines of rejected anonymous requests are written when their minute ends
  const anonymousLines = setInterval(() => deps.anonymous.flush(), 60_000);
  anonymousLines.unref();
  app.addHook('onClose', async () => {
    stopMaintenance();
    clearInterval(anonymousLines);
    await deps.keys.stop();
    await deps.jobs.idle();
    await deps.sshPool.stop();
    deps.anonymous.flush(true);
    deps.close();
  });
  deps.keys.start();

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) return reply.status(err.statusCode).send(errorBody(err.code, err.message, err.details));
    if (err.validation) {
      // Re-check the part against the route's schema with the shared helper, whose messages
      // say what to fix ("must be one of ...; pick one of them") where TypeBox's raw errors
      // do not ("must be equal to constant").
      const part = err.validationContext ?? 'body';
      const schema = (req.routeOptions.schema as Record<string, unknown> | undefined)?.[part];
      const value = part === 'body' ? req.body : part === 'querystring' ? req.query : part === 'params' ? req.params : req.headers;
      const issues = schema ? schemaIssues(schema as TSchema, value) : [];
      const details = issues.length
        ? issues.map((i) => ({ ...i, message: part === 'body' ? i.message : i.message.replace(/^the body/, `the ${part}`) }))
        : err.validation.map((v) => ({
          path: (v as { instancePath?: string }).instancePath || `/${part}`,
          code: 'VALIDATION_FAILED',
          message: v.message ?? 'invalid',
        }));
      const what = details.map((d) => (d.message.startsWith('/') || d.message.startsWith('the ') ? d.message : `${d.path}: ${d.message}`)).join('; ');
      return reply.status(400).send(errorBody('VALIDATION_FAILED', `the request ${part} is not valid: ${what}`, details));
    }
    if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || (err instanceof SyntaxError && err.statusCode === 400)) {
      return reply.status(400).send(errorBody('INVALID_JSON', 'the body is not valid JSON: send a JSON object with content-type application/json'));
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const limit = req.routeOptions.bodyLimit ?? 1024 * 1024;
      return reply.status(413).send(errorBody('PAYLOAD_TOO_LARGE', `the body is larger than ${limit % (1024 * 1024) ? `${limit} bytes` : `${limit / (1024 * 1024)} MiB`}`));
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      const archives = req.routeOptions.url?.includes('/imports') ? ' (or an archive: application/gzip, application/zip)' : '';
      return reply.status(415).send(errorBody('UNSUPPORTED_MEDIA_TYPE', `send the body as application/json${archives}`));
    }
    if (err.statusCode === 429) return reply.status(429).send(errorBody('RATE_LIMITED', 'too many requests: wait a minute and try again'));
    if (err.statusCode && err.statusCode < 500) {
      // any other 4xx keeps a code of its own, from the one table by its status
      return reply.status(err.statusCode).send(errorBody(CODE_OF_STATUS[err.statusCode] ?? 'VALIDATION_FAILED', err.message));
    }
    req.log.error({ err }, 'unexpected error');
    return reply.status(500).send(errorBody('INTERNAL', 'internal error: see the server log'));
  });

  // HSTS only on answers over https: over plain http the header means nothing, and on a LAN
  // address a browser that once saw it would refuse a later plain-http kpki there
  app.addHook('onRequest', async (req, reply) => {
    if (req.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
  });
  await app.register(helmet, {
    hsts: false,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        // kpki may be served over plain http on a LAN address; upgrading would break the UI there
        upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'kpki API',
        version: '1.0.0',
        description: 'The certificate authority of a Kubernetes cluster built the hard way. Errors: {"error": {"code", "message", "details"}}; ' +
          'each operation lists its codes by status. Sign in with POST /api/v1/session (a cookie session sends x-csrf-token on writes) or send an API token as Authorization: Bearer.',
      },
      components: { securitySchemes: SECURITY_SCHEMES as never },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(
    async (api) => {
      registerAuth(api);
      await api.register(systemRoutes);
      await api.register(sessionRoutes);
      await api.register(usersRoutes);
      await api.register(adminRoutes);
      await api.register(clustersRoutes);
      await api.register(deletedClustersRoutes);
      await api.register(certificatesRoutes);
      await api.register(nodesRoutes);
      await api.register(sshSetupRoutes);
      await api.register(linksRoutes);
      await api.register(kubeconfigsRoutes);
      await api.register(jobsRoutes);
      await api.register(lifecycleRoutes);
      await api.register(caRotationRoutes);
      await api.register(importsRoutes);
    },
    { prefix: '/api/v1' },
  );
  await app.register(metricsRoutes);

  if (config.webDir) {
    // the build's files under assets/ are named by their content hash: a browser keeps them for a
    // year without asking again; everything else (index.html above all, which names the current
    // hashes) is asked again each time, so a new build is picked up on the next load
    await app.register(fastifyStatic, {
      root: config.webDir,
      wildcard: false,
      setHeaders: (reply, file) => {
        reply.header('cache-control', HASHED_ASSET.test(path.relative(config.webDir!, file)) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  app.setNotFoundHandler((req, reply) => {
    if (req.method === 'GET' && config.webDir && !req.url.startsWith('/api')) {
      return reply.type('text/html').sendFile('index.html', path.resolve(config.webDir));
    }
    return reply.status(404).send(errorBody('NOT_FOUND', `${req.method} ${req.url.split('?')[0]} is not a kpki route: see /api/docs`));
  });
  return app;
}
