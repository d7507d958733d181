/**
 * Issue 4's bundle-size check: the production build's initial JavaScript (the entry module
 * script of apps/web/dist/index.html plus its modulepreload links), each gzipped with zlib at
 * its default level (what vite reports), summed. Builds first when dist is missing.
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { check, exec, fmtMs, heading, note, table, timed } from './common.ts';

const S = 'web';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.join(root, 'apps/web/dist');
const TARGET_BYTES = 300_000;

const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`;

/** Attribute `name` of an HTML tag's text, or undefined. */
function attr(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag)?.slice(1).find((v) => v !== undefined);
}

/** The URLs of the entry module scripts and the modulepreload links of index.html, in order. */
export function initialScripts(html: string): string[] {
  const urls: string[] = [];
  for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) {
    const src = attr(tag, 'src');
    if (src && attr(tag, 'type') === 'module') urls.push(src);
  }
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    const href = attr(tag, 'href');
    if (href && attr(tag, 'rel')?.split(/\s+/).includes('modulepreload')) urls.push(href);
  }
  return [...new Set(urls)];
}

export async function webSection(): Promise<void> {
  heading('4. Web bundle (issue 4)');
  const index = path.join(dist, 'index.html');
  if (!existsSync(index)) {
    note('apps/web/dist is missing: running pnpm --filter @kpki/web build');
    try {
      const { ms } = await timed(() => exec('pnpm', ['--filter', '@kpki/web', 'build'], { cwd: root, timeoutMs: 600_000 }));
      note(`built in ${fmtMs(ms)}`);
    } catch (err) {
      note(`the web build failed, no bundle size: ${(err as Error).message.slice(0, 1500)}`);
      check(S, 'initial JS gzipped < 300 kB', undefined);
      return;
    }
  }
  const html = await fs.readFile(index, 'utf8');
  const built = (await fs.stat(index)).mtime.toISOString();
  const urls = initialScripts(html);
  if (urls.length === 0) throw new Error(`${index} names no module script`);
  const rows: string[][] = [];
  let raw = 0;
  let gz = 0;
  for (const url of urls) {
    if (/^[a-z]+:\/\//i.test(url)) throw new Error(`${url} is not a file of the build`);
    const file = path.join(dist, decodeURIComponent(url.split(/[?#]/)[0]).replace(/^\/+/, ''));
    if (!file.startsWith(dist + path.sep)) throw new Error(`${url} points outside apps/web/dist`);
    const buf = await fs.readFile(file);
    const z = zlib.gzipSync(buf).length;
    raw += buf.length;
    gz += z;
    rows.push([url, kB(buf.length), kB(z)]);
  }
  // every JavaScript file of the build, for context (lazy chunks load on navigation)
  const all = (await fs.readdir(path.join(dist, 'assets'))).filter((f) => f.endsWith('.js'));
  let allGz = 0;
  for (const f of all) allGz += zlib.gzipSync(await fs.readFile(path.join(dist, 'assets', f))).length;
  rows.push(['total initial JavaScript', kB(raw), kB(gz), '< 300 kB', check(S, 'initial JS gzipped < 300 kB', gz < TARGET_BYTES)]);
  table(`initial JavaScript of apps/web/dist/index.html (built ${built}), gzip (zlib default level), 1 kB = 1000 bytes`,
    ['file', 'raw', 'gzip', 'target', 'result'], rows.map((r) => [...r, ...Array(5 - r.length).fill('')]));
  note(`all ${all.length} JavaScript files of the build: ${kB(allGz)} gzipped (the rest are lazy route chunks)`);
}
