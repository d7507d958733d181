#!/usr/bin/env node
/**
 * Builds the server into plain JavaScript: apps/server/dist/server.js (the process `npm start`
 * and the container run) and apps/server/dist/kpki-admin.js (`npm run backup`,
 * `npm run rotate-master-key`). esbuild bundles kpki's own TypeScript (this app and
 * packages/shared) into one ES module per entry; the npm dependencies stay imports, resolved
 * from node_modules at run time. Each file is written to a temporary name and renamed into
 * place, so a build running while another process starts the server never leaves half a file.
 *
 * `node build.mjs` builds; `node build.mjs --if-stale` builds only when a source is newer than
 * the output (what the test helpers call before they start the built server).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.join(here, 'dist');
const sources = [path.join(here, 'src'), path.join(here, '../../packages/shared/src')];
const ENTRIES = { server: 'src/server.ts', 'kpki-admin': 'src/cli/kpki-admin.ts' };

const pkg = JSON.parse(fs.readFileSync(path.join(here, 'package.json'), 'utf8'));
/** every npm dependency stays external; only the workspace's own code is bundled */
const external = Object.keys(pkg.dependencies).filter((d) => !d.startsWith('@kpki/')).flatMap((d) => [d, `${d}/*`]);

function newestSource(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (/\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** True when every output exists and is newer than every source file. */
export function isFresh() {
  const outputs = Object.keys(ENTRIES).map((n) => path.join(outDir, `${n}.js`));
  if (!outputs.every((o) => fs.existsSync(o))) return false;
  const built = Math.min(...outputs.map((o) => fs.statSync(o).mtimeMs));
  return Math.max(...sources.map(newestSource), fs.statSync(path.join(here, 'build.mjs')).mtimeMs) < built;
}

/** Builds every entry into dist/. */
export async function build() {
  fs.mkdirSync(outDir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(outDir, '.build-'));
  try {
    await esbuild.build({
      entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([n, e]) => [n, path.join(here, e)])),
      outdir: tmp,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: true,
      external,
      logLevel: 'warning',
      banner: { js: '// kpki server, built by apps/server/build.mjs: do not edit' },
    });
    for (const f of fs.readdirSync(tmp)) fs.renameSync(path.join(tmp, f), path.join(outDir, f));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--if-stale') && isFresh()) process.exit(0);
  await build();
  console.log(`kpki: built ${Object.keys(ENTRIES).map((n) => `apps/server/dist/${n}.js`).join(', ')}`);
}
