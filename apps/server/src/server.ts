/**
 * The process: size libuv's threadpool, read configuration, build the app, listen, close
 * gracefully on signals. Built to apps/server/dist/server.js (apps/server/build.mjs): what
 * `npm start` and the container run.
 */
import { loadConfig, ConfigError } from './config.ts';
import { buildApp } from './app.ts';
import { reserveThreadpool } from './pki/keys.ts';

// before anything uses the pool: key generation runs there, one job per core at once
reserveThreadpool();

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`kpki: ${err.message}`);
    process.exit(2);
  }
  throw err;
}

let app;
try {
  app = await buildApp(config);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`kpki: ${err.message}`);
    process.exit(2);
  }
  throw err;
}
let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'closing');
    await app.close();
    process.exit(0);
  });
}
try {
  await app.listen({ host: config.host, port: config.port });
  if (!config.webDir) app.log.warn('the web app is not built (apps/web/dist): only the API is served');
} catch (err) {
  console.error(`kpki: cannot listen on ${config.host}:${config.port}: ${(err as Error).message}`);
  process.exit(1);
}
