#!/usr/bin/env node
/**
 * Prints the initial JavaScript of the built web app (apps/web/dist): the entry script plus
 * every modulepreload that index.html names, raw and gzipped. Lazy route chunks are not
 * counted. Usage: node apps/web/scripts/initial-js-size.mjs [distDir] [--json]
 * Exit code 1 when the gzipped total is over 300 kB (the budget of issue 4).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const json = args.includes('--json');
const dist = path.resolve(args.find((a) => !a.startsWith('--')) ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist'));
const BUDGET_GZIP = 300 * 1024;

const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
const urls = [
  ...html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g),
  ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g),
].map((m) => m[1]);

const files = [...new Set(urls)].map((url) => {
  const buf = fs.readFileSync(path.join(dist, url.replace(/^\//, '')));
  return { file: url, bytes: buf.length, gzip: zlib.gzipSync(buf, { level: 9 }).length };
});
const total = files.reduce((t, f) => ({ bytes: t.bytes + f.bytes, gzip: t.gzip + f.gzip }), { bytes: 0, gzip: 0 });
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;

if (json) {
  console.log(JSON.stringify({ files, total, budgetGzip: BUDGET_GZIP }));
} else {
  for (const f of files) console.log(`${f.file.padEnd(48)} ${kb(f.bytes).padStart(10)}  gzip ${kb(f.gzip).padStart(9)}`);
  console.log(`initial JS: ${kb(total.bytes)}, gzip ${kb(total.gzip)} (budget ${kb(BUDGET_GZIP)} gzip)`);
}
process.exit(total.gzip > BUDGET_GZIP ? 1 : 0);
