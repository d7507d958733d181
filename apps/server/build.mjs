#!/usr/bin/env node
/**
 * Builds the server into plain JavaScript: apps/server/dist/server.js (the process `npm start`
 * and the container run) and apps/server/dist/kpki-admin.js (`npm run backup`,
 * `npm run rotate-master-key`). esbuild bundles kpki's own TypeScript (this app and
 * packages/shared) into one ES module per entry; the npm dependencies stay imports, resolved
 * from node_modules at run time. Written to temporary names and renamed into place
 * (packages/shared/tools/bundle-app.mjs, shared with the command line's build).
 *
 * `node build.mjs` builds; `node build.mjs --if-stale` builds only when a source is newer than
 * the output (what the test helpers call before they start the built server).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { appBundle } from '../../packages/shared/tools/bundle-app.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = JSON.parse(fs.readFileSync(path.join(here, 'package.json'), 'utf8'));

const bundle = appBundle({
  esbuild,
  appDir: here,
  entries: { server: 'src/server.ts', 'kpki-admin': 'src/cli/kpki-admin.ts' },
  // every npm dependency stays external; only the workspace's own code is bundled
  external: Object.keys(pkg.dependencies).filter((d) => !d.startsWith('@kpki/')).flatMap((d) => [d, `${d}/*`]),
  banner: '// kpki server, built by apps/server/build.mjs: do not edit',
});
export const { isFresh, build } = bundle;

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--if-stale') && isFresh()) process.exit(0);
  await build();
  console.log(`kpki: built ${bundle.outputs.map((o) => path.relative(path.join(here, '../..'), o)).join(', ')}`);
}
