/** The process: read configuration, build the app, listen, close gracefully on signals. */
import { loadConfig, ConfigError } from './config.ts';
import { buildApp } from './app.ts';

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
