/**
 * Issue 16's distribution benchmark: does the per-node cost hold from 8 to 100 nodes? One
 * cluster of 1 control-plane node (no SSH target) and 100 workers, each worker a real sshd of
 * scripts/fleet.ts on its own loopback address (127.A.B.x, free ports); a kpki distribution job
 * to 8 of the workers and to all 100, from empty folders and new SSH connections each time,
 * alternating, ROUNDS rounds. The per-node cost is the job's own wall time (startedAt ->
 * finishedAt) divided by the number of nodes; target: at 100 at most 1.2x the cost at 8.
 * Every sshd is stopped by its pid at the end, also on failure (fleet.stop, and the fleet's
 * exit hook).
 */
import type { Job } from '../../packages/shared/src/index.ts';
import { startFleet, type Fleet } from '../fleet.ts';
import { issuedCluster } from '../../apps/server/test/helpers/app.ts';
import { check, fmtMs, fmtRatio, heading, httpApp, jobMs, median, note, table, timed } from './common.ts';
import type { App } from './common.ts';
import { pinFleet, wipeFleet } from './distribution.ts';

const S = 'dist-scale';
const BIG = 100;
const SMALL = 8;
const ROUNDS = 3;
const WORKERS = Array.from({ length: BIG }, (_, i) => `worker${i + 1}`);

const uploadedCount = (job: Job) =>
  Object.values((job.result?.nodes ?? {}) as Record<string, { uploaded: string[] }>).reduce((s, o) => s + o.uploaded.length, 0);

export async function distributionScaleSection(): Promise<void> {
  heading('2b. Distribution from 8 to 100 sshd nodes (issue 16)');
  let http: Awaited<ReturnType<typeof httpApp>> | undefined;
  let fleet: Fleet | undefined;
  const concurrency = process.env.KPKI_DISTRIBUTION_CONCURRENCY;
  try {
    http = await httpApp(concurrency ? { KPKI_DISTRIBUTION_CONCURRENCY: concurrency } : {});
    const a: App = http.app;
    const jobEnd = http.jobEnd;
    const cluster = await issuedCluster(a, (c) => {
      c.name = 'bench-scale';
      c.keyAlgorithm = 'ecdsa-p256'; // 101 keys: issuance is not what is measured
      c.nodes = [
        { name: 'cp1', role: 'control-plane', addresses: ['10.100.0.11'] },
        ...WORKERS.map((name, i) => ({ name, role: 'worker', addresses: [`10.200.${Math.floor(i / 250)}.${(i % 250) + 1}`] })),
      ];
    });
    const api = (u: string) => `/api/v1/clusters/${cluster}${u}`;
    const publicKey = (await a.inject(api('/ssh-key'))).json().publicKey as string;
    const { ms: startMs, value: f } = await timed(() => startFleet({ nodes: WORKERS.map((name) => ({ name })), authorizedKeys: [publicKey], startTimeoutMs: 120_000 }));
    fleet = f;
    note(`${BIG} sshd started in ${fmtMs(startMs)} (pids ${f.nodes[0].pid}..., ${f.nodes[0].host} to ${f.nodes[BIG - 1].host})`);
    await pinFleet(a, cluster, f, WORKERS);

    const distribute = async (nodes: string[]) => {
      await wipeFleet(f, nodes);
      await a.deps.sshPool.closeIdle(); // new connections, as a first distribution makes
      const res = await a.inject({ method: 'POST', url: api('/distributions'), payload: { nodes } });
      if (res.statusCode !== 202) throw new Error(`distribution: HTTP ${res.statusCode} ${res.body}`);
      // the job's end from its event stream (polling GET /jobs/{id}, which reads the whole log, would load this process)
      const job = await jobEnd(res.json().jobId as string);
      if (job.status !== 'succeeded') throw new Error(`distribution to ${nodes.length} ${job.status}: ${JSON.stringify(job.error).slice(0, 500)}`);
      return { ms: jobMs(job), files: uploadedCount(job) };
    };
    const small: number[] = [];
    const big: number[] = [];
    const files = { small: 0, big: 0 };
    for (let r = 0; r < ROUNDS; r++) {
      const runSmall = async () => {
        const d = await distribute(WORKERS.slice(0, SMALL));
        small.push(d.ms);
        files.small = d.files;
      };
      const runBig = async () => {
        const d = await distribute(WORKERS);
        big.push(d.ms);
        files.big = d.files;
      };
      for (const run of r % 2 === 0 ? [runSmall, runBig] : [runBig, runSmall]) await run();
    }
    const perSmall = median(small) / SMALL;
    const perBig = median(big) / BIG;
    const ratio = perBig / perSmall;
    const runs = (xs: number[]) => xs.map((x) => x.toFixed(0)).join('/');
    table(`kpki distribution job to real sshd workers on loopback, empty folders, new connections, job wall time (startedAt -> finishedAt, the end read from GET /jobs/{id}/events), median of ${ROUNDS} rounds; ` +
      `KPKI_DISTRIBUTION_CONCURRENCY ${a.deps.config.distributionConcurrency}`, ['nodes', 'files', 'job median', 'runs (ms)', 'per node', 'ratio per node vs 8', 'target', 'result'], [
      [String(SMALL), String(files.small), fmtMs(median(small)), runs(small), fmtMs(perSmall), '1.00x', '', ''],
      [String(BIG), String(files.big), fmtMs(median(big)), runs(big), fmtMs(perBig), fmtRatio(ratio), '<= 1.2x', check(S, `per-node cost at ${BIG} nodes <= 1.2x the cost at ${SMALL}`, ratio <= 1.2)],
    ]);
    note(`per node = job wall time / nodes. With ${a.deps.config.distributionConcurrency} nodes at a time, ${BIG} nodes are ~${Math.ceil(BIG / a.deps.config.distributionConcurrency)} waves of the ${SMALL}-node job.`);
  } finally {
    await fleet?.stop().catch((e) => console.log(`fleet stop: ${(e as Error).message}`));
    await http?.close();
  }
}
