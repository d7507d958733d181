/**
 * What the banners above every page of a cluster cost the server (issue 16, pages at scale):
 * GET .../expiry and GET .../ca-rotation, full and as the banners read them (?view=summary), on a
 * 3 control-plane, 997-worker cluster whose nodes' last verify is recorded as kpki's verify records
 * it (every file in sync, a few workers still holding the version a renewal replaced), before and
 * during a CA rotation. Bytes of each answer and the CPU time this process spent on it
 * (process.cpuUsage around the in-process request: the server's work, not the network's).
 *
 * Run alone: node --import tsx scripts/bench/banners.ts
 */
import { rmSync } from 'node:fs';
import { buildPlan } from '../../packages/shared/src/build-plan.ts';
import { issuedCluster, reauth, tempDataDir, testApp } from '../../apps/server/test/helpers/app.ts';
import { expectedFiles, targetOf } from '../../apps/server/src/services/node-status.ts';
import { bigTopology } from './topology.ts';
import { fmtMs, heading, median, note, table, timed, waitJob, type App } from './common.ts';

const CLUSTER = 'bench-banners';
const WORKERS = Number(process.env.KPKI_BENCH_WORKERS) || 997;
/** workers that still hold the version of their certificate a renewal replaced */
const STALE = 10;
const RUNS = 5;
const SSH = { host: '192.0.2.1', port: 22, user: 'kpki', hostKey: `SHA256:${'A'.repeat(43)}` };

/** Records on every node a look as kpki's verify records it, holding `remote(node, file)`. */
function recordLooks(app: App, remote: (node: string, file: string, expected: string) => string) {
  const deps = app.deps;
  const row = deps.clusters.get(CLUSTER)!;
  const plan = buildPlan(row.input);
  const at = new Date().toISOString();
  for (const n of row.input.nodes) {
    const files: Record<string, { sha256: string; mode: number }> = {};
    for (const e of expectedFiles(deps, row, n.name, false, plan)) files[e.file] = { sha256: remote(n.name, e.file, e.sha256), mode: e.mode };
    const target = targetOf(row.input, n);
    if (!target) continue;
    deps.clusters.setObservation(row.id, n.name, { seen: { at, target, remoteDir: '/home/kpki', files, listing: Object.keys(files) }, failure: null });
  }
}

async function measure(app: App, url: string): Promise<{ bytes: number; cpuMs: number; status: number }> {
  const cpu: number[] = [];
  let bytes = 0;
  let status = 0;
  for (let i = 0; i < RUNS; i++) {
    const before = process.cpuUsage();
    const res = await app.inject(url);
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / 1000);
    bytes = res.rawPayload.length;
    status = res.statusCode;
  }
  return { bytes, cpuMs: median(cpu), status };
}

export async function bannersSection(): Promise<void> {
  heading(`Banners of a ${WORKERS + 3}-node cluster: bytes and server CPU (issue 16)`);
  const dataDir = tempDataDir();
  const app = await testApp(dataDir);
  try {
    const setup = await timed(async () => {
      await reauth(app);
      const base = bigTopology(WORKERS, 'ecdsa-p256', CLUSTER);
      await issuedCluster(app, (c) => Object.assign(c, base, { nodes: base.nodes.map((n) => ({ ...n, ssh: SSH })) }));
      const row = app.deps.clusters.get(CLUSTER)!;
      const first = new Map(app.deps.certificates.listCurrent(row.id).map((c) => [c.name, c]));
      const stale = Array.from({ length: STALE }, (_, i) => `worker${i + 1}`);
      const renew = await app.inject({ method: 'POST', url: `/api/v1/clusters/${CLUSTER}/renewals`, payload: { certificates: stale } });
      if ((await waitJob(app, renew.json().jobId)).status !== 'succeeded') throw new Error('renewal failed');
      const held = new Set(stale);
      recordLooks(app, (node, file, expected) => (held.has(node) && file === `${node}.pem` ? first.get(node)!.pemSha256 : expected));
    });
    note(`setup (issue, renew ${STALE} workers, record a verify of every node): ${fmtMs(setup.ms)}`);
    const urls = ['expiry', 'expiry?view=summary', 'ca-rotation', 'ca-rotation?view=summary'];
    const rows: Array<Array<string | number>> = [];
    for (const u of urls) {
      const m = await measure(app, `/api/v1/clusters/${CLUSTER}/${u}`);
      rows.push([`GET .../${u}`, 'none', m.status, m.bytes, fmtMs(m.cpuMs)]);
    }
    const prepare = await app.inject({ method: 'POST', url: `/api/v1/clusters/${CLUSTER}/ca-rotation`, payload: { phase: 'prepare' } });
    if ((await waitJob(app, prepare.json().jobId)).status !== 'succeeded') throw new Error('prepare failed');
    for (const u of urls.slice(2)) {
      const m = await measure(app, `/api/v1/clusters/${CLUSTER}/${u}`);
      rows.push([`GET .../${u}`, 'prepared', m.status, m.bytes, fmtMs(m.cpuMs)]);
    }
    table(`median of ${RUNS} in-process requests`, ['request', 'rotation', 'status', 'bytes', 'server CPU'], rows);
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  bannersSection().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
