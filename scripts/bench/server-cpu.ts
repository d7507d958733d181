/**
 * Issue 16: the server's CPU time per API call of the 1,000-node cluster's pages (3 control-plane
 * nodes, 997 workers, every certificate issued), in this process (app.inject, no socket):
 * process.cpuUsage around each call, median of RUNS (default 5) after one call not counted.
 * Not a section of `npm run bench`: run it alone, before and after a change of the server:
 *   node --import tsx scripts/bench/server-cpu.ts
 * KPKI_CPU_DATA=<dir>: keep the data dir (made on first use, reused after: the issuance is the
 * slow part); DEPLOYED=1 when making it: every node also has an SSH target (data only, never
 * dialled) and a recorded verify holding its files (worker990 to worker997 missing their key), as nodes that
 * were distributed to; ONLY=<part,...>: only the URLs containing one of them. Loopback only:
 * nothing listens, nothing is dialled. A temporary data dir (no KPKI_CPU_DATA) is removed.
 */
import fs from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { testApp, waitJob } from '../../apps/server/test/helpers/app.ts';
import { buildPlan } from '../../packages/shared/src/build-plan.ts';
import { expectedFiles, targetOf } from '../../apps/server/src/services/node-status.ts';
import { bigTopology } from './topology.ts';

const C = 'big';
const RUNS = Number(process.env.RUNS) || 5;
const dir = process.env.KPKI_CPU_DATA ?? fs.mkdtempSync(os.tmpdir() + '/kpki-cpu-');
const fresh = !fs.existsSync(dir + '/.made');
fs.mkdirSync(dir, { recursive: true });
const t0 = process.cpuUsage();
const app = await testApp(dir);
if (fresh) {
  await app.inject({ method: 'POST', url: '/api/v1/clusters', payload: bigTopology(997, 'ecdsa-p256', C) });
  await app.inject({ method: 'POST', url: `/api/v1/clusters/${C}/ca` });
  const { jobId } = (await app.inject({ method: 'POST', url: `/api/v1/clusters/${C}/issuances` })).json();
  const job = await waitJob(app, jobId, 600_000);
  if (job.status !== 'succeeded') throw new Error(JSON.stringify(job));
  if (process.env.DEPLOYED) {
    // every node given an SSH target (data only: nothing dials it) and a recorded verify holding its files, worker990-997 without their keys
    const deps = app.deps;
    let row = deps.clusters.get(C)!;
    const ssh = { host: '192.0.2.1', port: 22, user: 'kpki', hostKey: `SHA256:${'A'.repeat(43)}` };
    deps.clusters.setSshMany(row.id, row.input.nodes.map((n) => ({ node: n.name, ssh })), new Date().toISOString());
    row = deps.clusters.get(C)!;
    const plan = buildPlan(row.input);
    const at = new Date().toISOString();
    for (const n of row.input.nodes) {
      const files: Record<string, { sha256: string; mode: number } | null> = {};
      for (const e of expectedFiles(deps, row, n.name, false, plan)) files[e.file] = /worker99\d-key/.test(e.file) ? null : { sha256: e.sha256, mode: e.mode };
      deps.clusters.setObservation(row.id, n.name, { seen: { at, target: targetOf(row.input, n)!, remoteDir: '/home/kpki', files, listing: Object.keys(files).filter((f) => files[f]) }, failure: null });
    }
  }
  fs.writeFileSync(dir + '/.made', '');
}
const start = process.cpuUsage(t0);
console.log(`start (build app${fresh ? ' + create/issue' : ''}): ${((start.user + start.system) / 1000).toFixed(0)} ms CPU`);
const only = process.env.ONLY?.split(',');
const urls = [
  '/api/v1/session', `/api/v1/clusters/${C}`, `/api/v1/clusters/${C}/nodes?view=brief`, `/api/v1/clusters/${C}/nodes`,
  `/api/v1/clusters/${C}/certificates`, `/api/v1/clusters/${C}/plan`, `/api/v1/clusters/${C}/links?limit=50`,
  `/api/v1/clusters/${C}/links?limit=50&failing=true`, `/api/v1/clusters/${C}/expiry`, `/api/v1/clusters/${C}/ca-rotation`,
  `/api/v1/clusters/${C}/issuances`, `/api/v1/jobs`, `/api/v1/jobs?cluster=${C}`,
].filter((u) => !only || only.some((o) => u.includes(o)));
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
for (const url of urls) {
  const cpu: number[] = [];
  const wall: number[] = [];
  let bytes = 0;
  let status = 0;
  for (let i = 0; i <= RUNS; i++) {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    const r = await app.inject({ method: 'GET', url });
    const w = performance.now() - w0;
    const c = process.cpuUsage(c0);
    bytes = r.rawPayload.length;
    status = r.statusCode;
    if (i === 0) console.log(`  first ${url}: ${((c.user + c.system) / 1000).toFixed(0)} ms CPU`);
    else { cpu.push((c.user + c.system) / 1000); wall.push(w); }
  }
  console.log(`${url.padEnd(52)} ${status} ${String(bytes).padStart(9)} B  CPU median ${med(cpu).toFixed(1).padStart(7)} ms [${cpu.map((x) => x.toFixed(0)).join('/')}]  wall ${med(wall).toFixed(1)} ms`);
}
console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
await app.close();
if (!process.env.KPKI_CPU_DATA) fs.rmSync(dir, { recursive: true, force: true });
