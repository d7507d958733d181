/**
 * Issue 2's benchmark: kpki against the tutorial's cfssl commands and against the lower bound of
 * N RSA-2048 key generations by openssl over every core; ECDSA P-256 times; the API's
 * responsiveness (GET /health every 20 ms) while the 500-worker issuance runs as a job. Wall
 * times decide the targets; CPU times (and CPU/wall = cores actually used) show how much the
 * machine's other load compressed the parallel runs.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ClusterInput, Job, PlannedCertificate } from '../../packages/shared/src/index.ts';
import { buildCatalog, hardWayPreset } from '../../packages/shared/src/index.ts';
import { bigTopology } from './topology.ts';
import { createCa, issueAll } from '../../apps/server/src/pki/index.ts';
import { CA_CONFIG, CA_CSR, LEAF_REQUESTS, tutorialScript } from '../../apps/server/test/fixtures/hard-way-cfssl.ts';
import { waitJob as waitForJob } from '../../apps/server/test/support.ts';
import { CORES, check, exec, fmtCpu, fmtMs, fmtRatio, heading, httpApp, jobMs, eventLoopStats, measured, median, note, percentile, pool, removeDir, sleep, table, tmpDir } from './common.ts';

const S = 'issuance';
/** workers of the big topology (KPKI_BENCH_WORKERS overrides, for trying the bench quickly) */
const WORKERS = Number(process.env.KPKI_BENCH_WORKERS) || 500;
const REPEAT_PRESET = 9;
/** cfssl for the big topology stops taking leaves after this long; its total is then extrapolated */
const CFSSL_BUDGET_MS = 60_000;

/** kpki's engine in this process: createCa then issueAll; wall and CPU time, key count. */
async function kpki(cluster: ClusterInput): Promise<{ ms: number; cpuMs: number; keys: number }> {
  const catalog = buildCatalog(cluster);
  const now = new Date();
  const { ms, cpuMs, value } = await measured('self', async () => {
    const ca = await createCa({ planned: catalog.find((c) => c.isCa)!, subject: cluster.subject, algorithm: cluster.keyAlgorithm, validityHours: cluster.caValidityHours, now });
    return issueAll({ ca, certificates: catalog, subject: cluster.subject, algorithm: cluster.keyAlgorithm, validityHours: cluster.certValidityHours, now });
  });
  if (value.length !== catalog.length - 1) throw new Error(`issueAll returned ${value.length} of ${catalog.length - 1} leaves`);
  return { ms, cpuMs, keys: catalog.length };
}

/** cfssl's CSR JSON for a catalog entry, as the tutorial writes them. */
function csrJson(c: PlannedCertificate, cluster: ClusterInput, algo: 'rsa' | 'ecdsa') {
  const s = cluster.subject;
  return { CN: c.cn, key: { algo, size: algo === 'rsa' ? 2048 : 256 }, names: [{ C: s.C, L: s.L, O: c.o, OU: c.ou || s.OU, ST: s.ST }] };
}

export interface CfsslInputs { dir: string; leaves: Array<{ name: string; hostname?: string }> }

/** Writes ca-config.json and every *-csr.json of `cluster` into a new temp dir (not timed). */
export async function cfsslInputs(cluster: ClusterInput, verbatimTutorial: boolean): Promise<CfsslInputs> {
  const dir = await tmpDir('kpki-bench-cfssl-');
  const write = (f: string, v: unknown) => fs.writeFile(path.join(dir, f), JSON.stringify(v, null, 2));
  await write('ca-config.json', CA_CONFIG);
  if (verbatimTutorial) {
    await write('ca-csr.json', CA_CSR);
    for (const [name, r] of Object.entries(LEAF_REQUESTS)) await write(`${name}-csr.json`, r.csr);
    return { dir, leaves: Object.entries(LEAF_REQUESTS).map(([name, r]) => ({ name, hostname: r.hostname })) };
  }
  const algo = cluster.keyAlgorithm.startsWith('rsa') ? 'rsa' : 'ecdsa';
  const catalog = buildCatalog(cluster);
  const leaves = [];
  for (const c of catalog) {
    await write(`${c.name}-csr.json`, csrJson(c, cluster, algo));
    if (!c.isCa) leaves.push({ name: c.name, hostname: c.sans.length ? c.sans.map((x) => x.value).join(',') : undefined });
  }
  return { dir, leaves };
}

const gencert = (l: { name: string; hostname?: string }) =>
  `cfssl gencert -ca=ca.pem -ca-key=ca-key.pem -config=ca-config.json${l.hostname ? ` -hostname=${l.hostname}` : ''} -profile=kubernetes ${l.name}-csr.json | cfssljson -bare ${l.name}`;

/** The tutorial's method: one bash script, every command in sequence. */
export async function cfsslSequential(inputs: CfsslInputs, verbatimTutorial: boolean): Promise<{ ms: number; cpuMs: number }> {
  const script = verbatimTutorial
    ? tutorialScript()
    : ['set -e', 'cfssl gencert -initca ca-csr.json | cfssljson -bare ca', ...inputs.leaves.map(gencert)].join('\n');
  const { ms, cpuMs } = await measured('children', () => exec('bash', ['-o', 'pipefail', '-c', script], { cwd: inputs.dir, timeoutMs: 600_000 }));
  await expectFiles(inputs.dir, ['ca', ...inputs.leaves.map((l) => l.name)]);
  return { ms, cpuMs };
}

/** `cfssl gencert -initca`, then each leaf's gencert | cfssljson over CORES parallel lanes. */
async function cfsslParallel(inputs: CfsslInputs): Promise<{ ms: number; cpuMs: number; done: number; stopped: boolean; estimateMs: number }> {
  const byName = new Map(inputs.leaves.map((l) => [l.name, l]));
  let initMs = 0;
  const m = await measured('children', async () => {
    initMs = (await measured('children', () => exec('bash', ['-o', 'pipefail', '-c', 'cfssl gencert -initca ca-csr.json | cfssljson -bare ca'], { cwd: inputs.dir }))).ms;
    return pool([...byName.keys()], CORES, (n) => ['bash', ['-o', 'pipefail', '-c', gencert(byName.get(n)!)]], { cwd: inputs.dir, deadlineMs: CFSSL_BUDGET_MS });
  });
  const r = m.value;
  if (!r.stopped) await expectFiles(inputs.dir, ['ca', ...inputs.leaves.map((l) => l.name)]);
  const estimateMs = r.stopped ? initMs + ((m.ms - initMs) * byName.size) / Math.max(1, r.done) : m.ms;
  return { ms: m.ms, cpuMs: m.cpuMs, done: r.done, stopped: r.stopped, estimateMs };
}

async function expectFiles(dir: string, names: string[]): Promise<void> {
  for (const n of names) {
    for (const f of [`${n}.pem`, `${n}-key.pem`]) {
      const st = await fs.stat(path.join(dir, f)).catch(() => null);
      if (!st?.size) throw new Error(`cfssl did not write ${f}`);
    }
  }
}

/** `keys` RSA-2048 generations by `openssl genpkey` over CORES parallel processes. */
async function opensslLowerBound(keys: number): Promise<{ ms: number; cpuMs: number }> {
  const dir = await tmpDir('kpki-bench-openssl-');
  try {
    const items = Array.from({ length: keys }, (_, i) => String(i));
    const { ms, cpuMs } = await measured('children', () =>
      pool(items, CORES, (i) => ['openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', path.join(dir, `k${i}.pem`)]]));
    return { ms, cpuMs };
  } finally {
    await removeDir(dir);
  }
}

/**
 * A separate node process that GETs `url` every 20 ms as the signed-in admin (headers: JSON in
 * argv; anonymous requests are rate limited to 120 a minute) and reports each latency when told to stop.
 */
const POLLER = `
let stop = false; const lat = []; const end = []; let errors = 0;
process.stdin.on('data', () => { stop = true; });
const url = process.argv[1];
const headers = JSON.parse(process.argv[2]);
while (!stop) {
  const t0 = performance.now();
  try { const r = await fetch(url, { headers }); await r.arrayBuffer(); if (r.status !== 200) errors++; } catch { errors++; }
  const ms = performance.now() - t0; lat.push(ms); end.push(Date.now());
  await new Promise((r) => setTimeout(r, Math.max(0, 20 - ms)));
}
process.stdout.write(JSON.stringify({ lat, end, errors }));
`;

interface ApiRun {
  lat: number[]; errors: number; status: string; keys: number;
  /** POST /ca + POST /issuances -> job ended, client side */
  wallMs: number; cpuMs: number; caMs: number;
  /** job start -> last leaf issued (issueAll), and -> job end (parse, encrypt, store) */
  engineMs: number; runnerMs: number;
  lagMs: number; elu: number;
  /** the job's phases on its own clock, and when the slowest health answer and the longest loop gap happened */
  phases: string; maxLatSpan: string; lagSpan: string;
  /** health latencies of the answers that ended while issueAll ran */
  engineLat: number[];
}

/**
 * (b)+(d): the big RSA issuance through the real HTTP API (POST /ca, then the issuance job),
 * with GET /health polled every 20 ms by a separate process over a real socket.
 */
async function apiRun(): Promise<ApiRun> {
  // keys ahead of time off: this measures issuance from a cold start (scripts/bench/lifecycle.ts measures them)
  const { base, call, close, headers } = await httpApp({ KPKI_PREPARED_KEYS: '0' });
  let poller: ReturnType<typeof spawn> | undefined;
  try {
    const cluster = bigTopology(WORKERS, 'rsa-2048', 'bench-api');
    await call('POST', '/clusters', cluster);
    const out: Buffer[] = [];
    poller = spawn(process.execPath, ['--input-type=module', '-e', POLLER, `${base}/health`, JSON.stringify(headers)], { stdio: ['pipe', 'pipe', 'inherit'] });
    poller.stdout!.on('data', (c: Buffer) => out.push(c));
    const closed = new Promise<void>((r) => poller!.once('close', () => r()));
    await sleep(300); // the poller is up and polling before the CA and the job start
    let job = { status: 'queued', startedAt: null, finishedAt: null, log: [] } as unknown as Job;
    let caMs = 0;
    let m: { ms: number; cpuMs: number } = { ms: 0, cpuMs: 0 };
    const loop = await eventLoopStats(async () => {
      m = await measured('self', async () => {
        const t0 = performance.now();
        await call('POST', `/clusters/${cluster.name}/ca`);
        caMs = performance.now() - t0;
        const { jobId } = await call('POST', `/clusters/${cluster.name}/issuances`);
        job = await waitForJob((id) => call('GET', `/jobs/${id}`), jobId, { timeoutMs: 600_000, intervalMs: 50 });
      });
    });
    poller.stdin!.end('stop\n');
    await closed;
    poller = undefined;
    const { lat, end, errors } = JSON.parse(Buffer.concat(out).toString()) as { lat: number[]; end: number[]; errors: number };
    // the job logs "issued <name> (N/N)" when issueAll signed its last certificate
    const last = job.log.find((l) => /\((\d+)\/\1\)$/.test(l.message));
    const engineMs = last && job.startedAt ? Date.parse(last.at) - Date.parse(job.startedAt) : NaN;
    const s0 = job.startedAt ? Date.parse(job.startedAt) : NaN;
    const engineEnd = last ? Date.parse(last.at) : NaN;
    const jobEnd = job.finishedAt ? Date.parse(job.finishedAt) : NaN;
    /** where [from, to] lies on the job's clock, with the job's phases for reference */
    const span = (from: number, to: number) => `+${Math.round(from - s0)}..+${Math.round(to - s0)} ms`;
    const phases = `issueAll +0..+${engineEnd - s0} ms, parse + encrypt + store ..+${jobEnd - s0} ms`;
    const worst = lat.indexOf(Math.max(...lat));
    const engineLat = lat.filter((_, i) => end[i] >= s0 && end[i] <= engineEnd);
    return {
      engineLat,
      phases, maxLatSpan: worst >= 0 ? span(end[worst] - lat[worst], end[worst]) : '?', lagSpan: span(loop.maxLagEndedAt - loop.maxLagMs, loop.maxLagEndedAt),
      lat, errors, status: job.status, keys: buildCatalog(cluster).length, wallMs: m.ms, cpuMs: m.cpuMs, caMs,
      engineMs, runnerMs: jobMs(job), lagMs: loop.maxLagMs, elu: loop.utilization,
    };
  } finally {
    if (poller && poller.exitCode === null) poller.kill('SIGKILL');
    await close();
  }
}

export async function issuanceSection(): Promise<void> {
  heading('1. Issuance (issue 2)');
  const dirs: string[] = [];
  const inputs = async (cluster: ClusterInput, verbatim: boolean) => {
    const i = await cfsslInputs(cluster, verbatim);
    dirs.push(i.dir);
    return i;
  };
  const runs = (xs: Array<{ ms: number }>) => xs.map((x) => x.ms.toFixed(0)).join('/');
  const med = (xs: Array<{ ms: number; cpuMs: number }>) => {
    const i = xs.map((x) => x.ms).indexOf(median(xs.map((x) => x.ms)));
    return xs[i >= 0 ? i : 0];
  };
  try {
    // (a) the tutorial's preset, RSA 2048, kpki and cfssl alternating, median of REPEAT_PRESET
    const preset = hardWayPreset();
    const kp: Array<{ ms: number; cpuMs: number }> = [];
    const cf: Array<{ ms: number; cpuMs: number }> = [];
    for (let i = 0; i < REPEAT_PRESET; i++) {
      kp.push(await kpki(preset));
      cf.push(await cfsslSequential(await inputs(preset, true), true));
    }
    const [k, c] = [med(kp), med(cf)];
    const rA = k.ms / c.ms;
    table(`(a) tutorial preset, CA + 9 leaves, RSA 2048 (median of ${REPEAT_PRESET}, runs alternate)`,
      ['tool', 'wall', 'runs (ms)', 'CPU / cores used', 'ratio kpki/cfssl', 'target', 'result'], [
        ['kpki createCa + issueAll, in process', fmtMs(k.ms), runs(kp), fmtCpu(k.cpuMs, k.ms), fmtRatio(rA), '<= 0.80x', check(S, 'preset RSA kpki <= 0.8x cfssl', rA <= 0.8)],
        ['cfssl 1.2.0, the tutorial commands in sequence', fmtMs(c.ms), runs(cf), fmtCpu(c.cpuMs, c.ms), '', '', ''],
        ['CPU per key (kpki / cfssl+cfssljson)', `${(k.cpuMs / 10).toFixed(0)} / ${(c.cpuMs / 10).toFixed(0)} ms`, '', '', fmtRatio(k.cpuMs / c.cpuMs), '', 'info'],
      ]);

    // (b) 3 control-plane + WORKERS workers, RSA 2048: kpki through the API, the lower bound, cfssl
    const big = bigTopology(WORKERS, 'rsa-2048');
    const api = await apiRun();
    const lower = await opensslLowerBound(api.keys);
    const cfBig = await cfsslParallel(await inputs(big, false));
    const rLower = api.wallMs / lower.ms;
    table(`(b) 3 control-plane + ${WORKERS} workers: ${api.keys} RSA-2048 keys and certificates, ${CORES} cores`,
      ['run', 'wall', 'CPU / cores used', 'ratio kpki/this', 'target', 'result'], [
        ['kpki via HTTP API: POST /ca + issuance job, stored encrypted', fmtMs(api.wallMs), fmtCpu(api.cpuMs, api.wallMs), '', '', api.status],
        ['  of which createCa (POST /ca)', fmtMs(api.caMs), '', '', '', ''],
        ['  of which issueAll in the job (job start -> last leaf signed)', fmtMs(api.engineMs), '', '', '', ''],
        ['  of which parse + encrypt + store (-> job end)', fmtMs(api.runnerMs - api.engineMs), '', '', '', ''],
        [`lower bound: ${api.keys} x openssl genpkey rsa 2048 over ${CORES} processes`, fmtMs(lower.ms), fmtCpu(lower.cpuMs, lower.ms), fmtRatio(rLower), '<= 1.25x',
          check(S, `${WORKERS} workers kpki <= 1.25x openssl lower bound`, rLower <= 1.25)],
        [`cfssl 1.2.0: initca, then ${api.keys - 1} leaves over ${CORES} processes`, cfBig.stopped ? `~${fmtMs(cfBig.estimateMs)}` : fmtMs(cfBig.ms), fmtCpu(cfBig.cpuMs, cfBig.ms),
          `${cfBig.stopped ? '~' : ''}${fmtRatio(api.wallMs / cfBig.estimateMs)}`, '', 'info'],
      ]);
    note(`kpki's figure is the full API path (createCa, the job's issueAll, then parsing, AES-GCM encryption and one SQLite`);
    note(`transaction) with GET /health polled every 20 ms meanwhile (part (d)); CPU counts this process only.`);
    note(`cfssl runs the tutorial's per-leaf command over ${CORES} parallel processes (xargs -P${CORES} style), not in sequence, so it uses`);
    note(`the same cores as kpki${cfBig.stopped ? `; stopped after ${CFSSL_BUDGET_MS / 1000} s with ${cfBig.done} of ${api.keys - 1} leaves done, "~" = extrapolated to all` : ''}.`);

    // (c) ECDSA P-256, both sizes
    const ecPreset = { ...hardWayPreset(), keyAlgorithm: 'ecdsa-p256' as const };
    const ecBig = bigTopology(WORKERS, 'ecdsa-p256');
    const kEcP = await kpki(ecPreset);
    const cEcP = await cfsslSequential(await inputs(ecPreset, false), false);
    const kEcB = await kpki(ecBig);
    const cEcB = await cfsslParallel(await inputs(ecBig, false));
    table('(c) ECDSA P-256, no target (kpki createCa + issueAll in process; cfssl key {"algo":"ecdsa","size":256})',
      ['topology', 'kpki', 'cfssl', 'ratio kpki/cfssl', 'cfssl mode'], [
        ['preset (CA + 9 leaves)', fmtMs(kEcP.ms), fmtMs(cEcP.ms), fmtRatio(kEcP.ms / cEcP.ms), 'sequential (tutorial)'],
        [`3 cp + ${WORKERS} workers (${kEcB.keys} certificates)`, fmtMs(kEcB.ms), `${cEcB.stopped ? '~' : ''}${fmtMs(cEcB.estimateMs)}`, fmtRatio(kEcB.ms / cEcB.estimateMs), `${CORES} parallel processes`],
      ]);

    // (d) responsiveness of the API during the big issuance of (b)
    const max = Math.max(...api.lat);
    const p99 = percentile(api.lat, 99);
    table(`(d) GET /api/v1/health every 20 ms (separate process, real socket) during the ${WORKERS}-worker RSA issuance of (b)`, ['measure', 'value', 'target', 'result'], [
      ['health requests (errors)', `${api.lat.length} (${api.errors})`, '0 errors', check(S, 'health errors during issuance = 0', api.errors === 0)],
      ['health latency p50', fmtMs(percentile(api.lat, 50)), '', ''],
      ['health latency p99', fmtMs(p99), '< 100 ms', check(S, 'health p99 < 100 ms during issuance', p99 < 100)],
      ['health latency max', fmtMs(max), '< 100 ms', check(S, 'health max < 100 ms during issuance', max < 100)],
      ['job phases (ms from job start)', api.phases, '', ''],
      ['  the slowest answer (request start..end)', api.maxLatSpan, '', ''],
      [`health latency p99 / max while issueAll ran (${api.engineLat.length} answers)`, `${fmtMs(percentile(api.engineLat, 99))} / ${fmtMs(Math.max(...api.engineLat))}`, '', 'info'],
      ['server event-loop max gap (5 ms timer, in process)', fmtMs(api.lagMs), '', 'info'],
      ['  the longest gap', api.lagSpan, '', ''],
      ['server event-loop utilization', `${(api.elu * 100).toFixed(1)} %`, '', 'info'],
    ]);
  } finally {
    for (const d of dirs) await removeDir(d);
  }
}
