#!/usr/bin/env node
/**
 * Builds the command line into one plain JavaScript file, apps/cli/dist/kpki.js, with esbuild
 * (packages/shared/tools/bundle-app.mjs, as the server's build): the CLI's TypeScript and what it
 * uses of packages/shared are bundled, so the file runs on Node 20 with no dependency at all.
 *
 * `node build.mjs` builds; `node build.mjs --if-stale` only when a source is newer than the output.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { appBundle } from '../../packages/shared/tools/bundle-app.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const bundle = appBundle({ esbuild, appDir: here, entries: { kpki: 'src/main.ts' }, banner: '// kpki command line, built by apps/cli/build.mjs: do not edit' });
export const { isFresh, build } = bundle;

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--if-stale') && isFresh()) process.exit(0);
  await build();
  if (!process.argv.includes('--quiet')) console.log('kpki: built apps/cli/dist/kpki.js');
}
