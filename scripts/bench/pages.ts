/**
 * Issue 16's page benchmark: how long each page of a 1,000-node cluster (3 control-plane nodes,
 * 997 workers, every certificate issued) takes to become usable in Chromium (Debian's
 * /usr/bin/chromium, headless), served by the compiled server (apps/server/dist) with the built
 * web app. "Usable": the page's own content is there (its table rows, the matrix and the link
 * summary) and no "Loading…" is left, checked on every animation frame. Three ways to reach a page,
 * each page warmed up once, then LOADS times each, median, one signed-in browser:
 *  - by its address: a full page load (the document, every script run again, every API request,
 *    the render) in the browser's tab, from navigation start: typing the address, a bookmark, a
 *    reload. Target < 1 s.
 *  - from the app's navigation: a click on the page's link in the side navigation while another
 *    page is shown (the jobs page; the expiry page for the jobs page itself), from the click.
 *    Target < 1 s.
 *  - in a new tab: a full page load in a tab opened for it, which on top starts a renderer process
 *    with nothing compiled or cached in memory; printed with what the same costs for a page without
 *    the app (an empty document in a new tab), no target.
 *
 * Before/after: BENCH_PAGES_BASE=<git ref> also builds that ref's web app in a temporary git
 * worktree (removed at the end) and measures it against the same server and data, side by side.
 * Loopback only; the server is stopped by its pid, the data dir and copies removed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { SERVER_PASSWORD, startServer, type ServerProcess } from '../../apps/server/test/support.ts';
import { check, exec, fmtMs, heading, median, note, table, timed } from './common.ts';
import { bigTopology } from './topology.ts';

const S = 'pages';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** loads measured per page and build (BENCH_PAGES_LOADS, default 3) */
const LOADS = Math.max(1, Number(process.env.BENCH_PAGES_LOADS) || 3);
const TARGET_MS = 1000;
const READY_TIMEOUT_MS = 90_000;
const CLUSTER = 'big';

const PAGES: Array<{ name: string; url: string; ready: string[] }> = [
  { name: 'overview', url: `/clusters/${CLUSTER}`, ready: ['[data-testid="cluster-dashboard"]'] },
  { name: 'nodes', url: `/clusters/${CLUSTER}/nodes`, ready: ['[data-testid="nodes-table"] tbody tr'] },
  { name: 'certificates', url: `/clusters/${CLUSTER}/certificates`, ready: ['[data-testid="certificates-table"] tbody tr'] },
  { name: 'who talks to whom (matrix)', url: `/clusters/${CLUSTER}/talks`, ready: ['[data-testid="matrix-grid"]', '[data-testid="links-summary"]'] },
  { name: 'expiry', url: `/clusters/${CLUSTER}/expiry`, ready: ['[data-testid="expiry-table"] tbody tr'] },
  { name: 'jobs', url: `/clusters/${CLUSTER}/jobs`, ready: ['[data-testid="jobs-table"]'] },
  { name: 'audit', url: '/audit', ready: ['[data-testid="audit-table"]'] },
];

interface Build {
  label: string;
  webDir: string;
}

/** Builds `ref`'s web app in a temporary worktree and copies its dist out; the worktree is removed. */
async function buildRef(ref: string): Promise<string> {
  const tree = await fs.mkdtemp(path.join(os.tmpdir(), 'kpki-bench-base-'));
  const out = await fs.mkdtemp(path.join(os.tmpdir(), 'kpki-bench-base-web-'));
  try {
    await exec('git', ['-C', root, 'worktree', 'add', '--detach', tree, ref], { timeoutMs: 120_000 });
    await exec('pnpm', ['install', '--frozen-lockfile', '--prefer-offline'], { cwd: tree, timeoutMs: 600_000 });
    await exec('pnpm', ['--filter', '@kpki/web', 'build'], { cwd: tree, timeoutMs: 900_000 });
    await fs.cp(path.join(tree, 'apps/web/dist'), out, { recursive: true });
    return out;
  } finally {
    spawnSync('git', ['-C', root, 'worktree', 'remove', '--force', tree]);
    await fs.rm(tree, { recursive: true, force: true });
  }
}

/** A cookie session for the browser context, and a JSON API client on it (CSRF header included). */
async function signIn(context: BrowserContext, base: string) {
  const res = await context.request.post(`${base}/api/v1/session`, { data: { username: 'admin', password: SERVER_PASSWORD } });
  if (!res.ok()) throw new Error(`sign-in: HTTP ${res.status()}`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return async (method: string, url: string, body?: unknown) => {
    const r = await context.request.fetch(`${base}/api/v1${url}`, { method, headers: { 'x-csrf-token': csrfToken }, data: body });
    if (r.status() >= 300) throw new Error(`${method} ${url}: HTTP ${r.status()} ${(await r.text()).slice(0, 300)}`);
    return r.json();
  };
}

type PageSpec = (typeof PAGES)[number];
type Way = 'address' | 'nav' | 'tab';
const WAYS: Array<{ way: Way; title: string; target: boolean }> = [
  { way: 'address', title: 'opened by its address (a full page load in the tab: document, scripts, API requests, render), navigation start -> usable', target: true },
  { way: 'nav', title: "reached from the app's navigation (a click on its link in the side navigation, from the jobs page), click -> usable", target: true },
  { way: 'tab', title: 'opened in a new tab (a full page load, plus a renderer process started with nothing compiled or cached in memory), navigation start -> usable; no target', target: false },
];

/** True when every selector matches, no "Loading…" is shown, and the address is `path` (run in the page). */
const isReady = ([selectors, path]: [string[], string]) =>
  location.pathname === path && selectors.every((s) => document.querySelector(s)) && !document.querySelector('[data-testid="loading"]');

async function waitReady(page: Page, p: PageSpec): Promise<{ at: number; chars: number; elements: number }> {
  await page.waitForFunction(isReady, [p.ready, p.url] as [string[], string], { polling: 'raf', timeout: READY_TIMEOUT_MS });
  return page.evaluate(() => ({ at: performance.now(), chars: document.body.innerText.length, elements: document.getElementsByTagName('*').length }));
}

/** One load of a page in the given way: ms until ready, with the size of what it shows. */
async function loadOnce(context: BrowserContext, tab: Page, base: string, p: PageSpec, way: Way): Promise<{ ms: number; chars: number; elements: number }> {
  if (way === 'tab') {
    const page = await context.newPage();
    try {
      await page.goto(base + p.url, { waitUntil: 'commit' });
      const r = await waitReady(page, p);
      return { ms: r.at, chars: r.chars, elements: r.elements };
    } finally {
      await page.close();
    }
  }
  if (way === 'address') {
    await tab.goto(base + p.url, { waitUntil: 'commit' });
    const r = await waitReady(tab, p);
    return { ms: r.at, chars: r.chars, elements: r.elements };
  }
  const from = PAGES.find((x) => x.name === (p.name === 'jobs' ? 'expiry' : 'jobs'))!;
  await tab.goto(base + from.url, { waitUntil: 'commit' });
  await waitReady(tab, from);
  await tab.waitForTimeout(200); // the page settled, as when a person reads it before moving on
  const clickedAt = await tab.evaluate((href) => {
    const link = document.querySelector<HTMLAnchorElement>(`nav[aria-label="Main"] a[href="${href}"]`);
    if (!link) throw new Error(`no link to ${href} in the side navigation`);
    const at = performance.now();
    link.click();
    return at;
  }, p.url);
  const r = await waitReady(tab, p);
  return { ms: r.at - clickedAt, chars: r.chars, elements: r.elements };
}

/** An empty document in a new tab, navigation start -> its first animation frame: what any page pays for the tab alone. */
async function emptyTab(context: BrowserContext, base: string): Promise<number> {
  const page = await context.newPage();
  try {
    await page.route(`${base}/bench-empty`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>empty</title><p>empty</p>' }));
    await page.goto(`${base}/bench-empty`, { waitUntil: 'commit' });
    return await page.evaluate(() => new Promise<number>((resolve) => requestAnimationFrame(() => resolve(performance.now()))));
  } finally {
    await page.close();
  }
}

export async function pagesSection(): Promise<void> {
  heading('4b. Pages of a 1,000-node cluster in Chromium (issue 16)');
  const dist = path.join(root, 'apps/web/dist');
  if (!existsSync(path.join(dist, 'index.html'))) {
    note('apps/web/dist is missing: running pnpm --filter @kpki/web build');
    await exec('pnpm', ['--filter', '@kpki/web', 'build'], { cwd: root, timeoutMs: 900_000 });
  }
  const head = spawnSync('git', ['-C', root, 'log', '-1', '--format=%h %cI'], { encoding: 'utf8' }).stdout.trim();
  const temp: string[] = [];
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kpki-bench-pages-'));
  temp.push(dataDir);
  let server: ServerProcess | undefined;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  try {
    const current = await fs.mkdtemp(path.join(os.tmpdir(), 'kpki-bench-web-'));
    temp.push(current);
    await fs.cp(dist, current, { recursive: true }); // a rebuild meanwhile must not change what is measured
    const builds: Build[] = [{ label: `this build (${head}, dist of ${(await fs.stat(path.join(dist, 'index.html'))).mtime.toISOString()})`, webDir: current }];
    const baseRef = process.env.BENCH_PAGES_BASE;
    if (baseRef) {
      try {
        const { ms, value } = await timed(() => buildRef(baseRef));
        temp.push(value);
        builds.unshift({ label: `baseline ${baseRef} (${spawnSync('git', ['-C', root, 'log', '-1', '--format=%h', baseRef], { encoding: 'utf8' }).stdout.trim()})`, webDir: value });
        note(`baseline web app of ${baseRef} built in a temporary worktree in ${fmtMs(ms)}`);
      } catch (err) {
        note(`the baseline ${baseRef} could not be built, measuring this build only: ${(err as Error).message.slice(0, 600)}`);
      }
    }

    // the data: once, with the first build's server (same data dir for every build)
    type Cell = { ms: number[]; chars: number; elements: number; error?: string };
    /** build label -> way -> page name -> loads */
    const results = new Map<string, Map<Way, Map<string, Cell>>>();
    const empty: number[] = [];
    for (const [i, build] of builds.entries()) {
      server = await startServer(dataDir, { env: { KPKI_WEB_DIR: build.webDir } });
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      try {
        const api = await signIn(context, server.base);
        if (i === 0) {
          const { ms } = await timed(async () => {
            await api('POST', '/clusters', bigTopology(997, 'ecdsa-p256', CLUSTER));
            await api('POST', `/clusters/${CLUSTER}/ca`);
            const { jobId } = await api('POST', `/clusters/${CLUSTER}/issuances`);
            for (;;) {
              const job = await api('GET', `/jobs/${jobId}`);
              if (job.status === 'succeeded') break;
              if (job.status !== 'queued' && job.status !== 'running') throw new Error(`issuance ${job.status}: ${JSON.stringify(job.error)}`);
              await new Promise((r) => setTimeout(r, 1000));
            }
          });
          note(`1,000-node cluster (3 control-plane, 997 workers, ecdsa-p256) created and issued (1,006 certificates) in ${fmtMs(ms)}`);
          for (let k = 0; k <= LOADS; k++) empty.push(await emptyTab(context, server.base));
          empty.shift(); // the first is a warm-up
        }
        const byWay = new Map<Way, Map<string, Cell>>();
        results.set(build.label, byWay);
        const tab = await context.newPage();
        for (const { way } of WAYS) {
          const byPage = new Map<string, Cell>();
          byWay.set(way, byPage);
          for (const p of PAGES) {
            const r: Cell = { ms: [], chars: 0, elements: 0 };
            byPage.set(p.name, r);
            try {
              await loadOnce(context, tab, server.base, p, way); // warm-up: the server's code paths, the page's chunks
              for (let k = 0; k < LOADS; k++) {
                const one = await loadOnce(context, tab, server.base, p, way);
                r.ms.push(one.ms);
                r.chars = one.chars;
                r.elements = one.elements;
              }
            } catch (err) {
              r.error = (err as Error).message.split('\n')[0].slice(0, 120);
            }
            note(`${build.label.split(' (')[0]}, ${way}, ${p.name}: ${r.error ?? r.ms.map((x) => fmtMs(x)).join(', ')}`);
          }
        }
      } finally {
        await context.close();
        await server.stop();
        server = undefined;
      }
    }

    const labels = builds.map((b) => b.label);
    for (const { way, title, target } of WAYS) {
      const rows: string[][] = [];
      for (const p of PAGES) {
        const cells = labels.map((l) => results.get(l)?.get(way)?.get(p.name));
        const last = cells[cells.length - 1];
        const fig = (c: Cell | undefined) => (!c || c.error || !c.ms.length ? `n/a${c?.error ? ` (${c.error})` : ''}` : `${fmtMs(median(c.ms))} [${c.ms.map((x) => x.toFixed(0)).join('/')}]`);
        const lastMs = last && !last.error && last.ms.length ? median(last.ms) : undefined;
        const first = cells[0];
        const ratio = cells.length > 1 && first?.ms.length && lastMs !== undefined ? `${(lastMs / median(first.ms)).toFixed(2)}x` : '';
        rows.push([
          p.name, ...cells.map(fig), ...(cells.length > 1 ? [ratio] : []),
          last ? `${last.chars.toLocaleString('en')} / ${last.elements.toLocaleString('en')}` : '',
          ...(cells.length > 1 && first ? [`${first.chars.toLocaleString('en')} / ${first.elements.toLocaleString('en')}`] : []),
          ...(target ? ['< 1 s', check(S, `${p.name} page of 1,000 nodes usable < 1 s, ${way === 'address' ? 'opened by its address' : "from the app's navigation"}`, lastMs === undefined ? undefined : lastMs < TARGET_MS)] : []),
        ]);
      }
      const headers = ['page', ...labels.map((l) => `${l}: median [loads, ms]`), ...(labels.length > 1 ? ['ratio new/base'] : []), 'text chars / DOM elements (new)', ...(labels.length > 1 ? ['(base)'] : []), ...(target ? ['target', 'result'] : [])];
      table(`1,000-node cluster, ${title}, Chromium headless 1280x800, median of ${LOADS} loads after a warm-up`, headers, rows);
      if (way === 'tab') note(`an empty document (no app) in a new tab, navigation start -> first animation frame: ${fmtMs(median(empty))} [${empty.map((x) => x.toFixed(0)).join('/')}]`);
    }
    note(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.availableParallelism()} cores at the end (other work on the machine counts in these figures)`);
  } finally {
    await browser.close();
    if (server) await server.stop();
    for (const d of temp) await fs.rm(d, { recursive: true, force: true });
  }
}
