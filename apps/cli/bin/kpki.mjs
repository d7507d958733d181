#!/usr/bin/env node
// The `kpki` command: runs the compiled dist/kpki.js. In the repository (build.mjs beside it)
// a missing or stale build is made first with esbuild, so `npx kpki` works right after install.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const builder = path.join(root, 'build.mjs');
if (fs.existsSync(builder) && fs.existsSync(path.join(root, 'src'))) {
  const { isFresh, build } = await import(pathToFileURL(builder).href);
  if (!isFresh()) await build();
}
const { main } = await import(pathToFileURL(path.join(root, 'dist/kpki.js')).href);
process.exitCode = await main(process.argv.slice(2));
