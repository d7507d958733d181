#!/usr/bin/env node
/**
 * Builds the command line into one plain JavaScript file, apps/cli/dist/kpki.js, with esbuild
 * (as apps/server/build.mjs builds the server): the CLI's TypeScript and what it uses of
 * packages/shared are bundled, so the file runs on Node 20 with no dependency at all. Written to
 * a temporary name and renamed into place.
 *
 * `node build.mjs` builds; `node build.mjs --if-stale` only when a source is newer than the output.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const OUTPUT = path.join(here, 'dist/kpki.js');
const sources = [path.join(here, 'src'), path.join(here, '../../packages/shared/src')];

function newestSource(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (/\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** True when dist/kpki.js exists and is newer than every source. */
export function isFresh() {
  if (!fs.existsSync(OUTPUT)) return false;
  return Math.max(...sources.map(newestSource), fs.statSync(path.join(here, 'build.mjs')).mtimeMs) < fs.statSync(OUTPUT).mtimeMs;
}

export async function build() {
  const esbuild = await import('esbuild');
  fs.mkdirSync(path.dirname(OUTPUT), { recursive: true });
  const tmp = fs.mkdtempSync(path.join(path.dirname(OUTPUT), '.build-'));
  try {
    await esbuild.build({
      entryPoints: { kpki: path.join(here, 'src/main.ts') },
      outdir: tmp,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: true,
      logLevel: 'warning',
      banner: { js: '// kpki command line, built by apps/cli/build.mjs: do not edit' },
    });
    for (const f of fs.readdirSync(tmp)) fs.renameSync(path.join(tmp, f), path.join(path.dirname(OUTPUT), f));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--if-stale') && isFresh()) process.exit(0);
  await build();
  if (!process.argv.includes('--quiet')) console.log('kpki: built apps/cli/dist/kpki.js');
}
