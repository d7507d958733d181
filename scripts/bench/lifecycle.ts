/**
 * Issue 10's benchmark, printed side by side with ratios against baselines measured in the same
 * run (a miss is reported, not fatal):
 * (a) a changed load-balancer address applied with distribution (one certificate to the two
 *     control-plane nodes, and the workers' kubeconfigs, which name the load balancer)
 *     against a full re-issue plus a full distribution of the same cluster, to real sshd nodes,
 *     with the SSH connections kept from the job before and with new ones;
 * (b) the preset's issuance as a client of the HTTP API sees it (POST /ca, POST /issuances, until
 *     the job ends) against the tutorial's cfssl commands, from a cold start (no keys ahead) and
 *     after the plan review with prepared keys;
 * (c) renewal of every kubelet certificate of a 500-worker cluster (RSA 2048, ECDSA P-256) with
 *     the event loop's worst delay while it runs.
 */
import fs from 'node:fs/promises';
import { loadavg } from 'node:os';
import type { ChangeSet, ClusterInput, Job } from '../../packages/shared/src/index.ts';
import { hardWayPreset } from '../../packages/shared/src/index.ts';
import { startFleet, type Fleet } from '../fleet.ts';
import { issuedCluster, reauth, tempDataDir, testApp } from '../../apps/server/test/helpers/app.ts';
import { pinFleet } from './distribution.ts';
import { cfsslInputs, cfsslSequential } from './issuance.ts';
import { bigTopology } from './topology.ts';
import {
  check, eventLoopStats, expectStatus, fmtMs, fmtRatio, heading, httpApp, median, note, removeDir, table, timed, waitJob, type App,
} from './common.ts';

const S = 'lifecycle';
const ROUNDS = Number(process.env.KPKI_BENCH_ROUNDS) || 5;
const WORKERS = Number(process.env.KPKI_BENCH_WORKERS) || 500;
const FLEET = ['cp1', 'cp2', 'worker1', 'worker2'];
const runs = (xs: number[]) => xs.map((x) => x.toFixed(0)).join('/');

/** POST url, expect 202, wait for the job (polled every 10 ms); throws unless it succeeded. */
async function jobOf(app: App, url: string, payload?: object): Promise<Job> {
  const res = await app.inject({ method: 'POST', url, ...(payload ? { payload } : {}) });
  expectStatus(res, 202, `POST ${url}`);
  const job = await waitJob(app, res.json().jobId as string);
  if (job.status !== 'succeeded') throw new Error(`${url}: job ${job.status}: ${JSON.stringify(job.error)}`);
  return job;
}

/** (a) apply (one certificate, two nodes) against a full re-issue + full distribution, alternating. */
async function applyVersusFull(): Promise<void> {
  const dataDir = tempDataDir();
  let app: App | undefined;
  let fleet: Fleet | undefined;
  try {
    app = await testApp(dataDir);
    const a = app;
    const cluster = await issuedCluster(a, (c) => (c.name = 'bench-apply'));
    const api = (u: string) => `/api/v1/clusters/${cluster}${u}`;
    fleet = await startFleet({ nodes: FLEET.map((name) => ({ name })), authorizedKeys: [(await a.inject(api('/ssh-key'))).json().publicKey] });
    await reauth(a); // control-plane SSH targets and ca-key.pem follow the CA key rule
    await pinFleet(a, cluster, fleet, FLEET);
    await jobOf(a, api('/distributions'), { nodes: FLEET });
    // warm: the SSH connections kept open from the job before (ssh/pool.ts, the default behaviour);
    // cold: every kept connection closed before the timed run, so each node is connected to again
    const full = { warm: [] as number[], cold: [] as number[] };
    const apply = { warm: [] as number[], cold: [] as number[] };
    let written = '';
    const lbAddresses = ['192.168.56.30', '192.168.56.20'];
    let moves = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const runFull = (mode: 'warm' | 'cold') => async () => {
        if (mode === 'cold') await a.deps.sshPool.closeIdle();
        full[mode].push((await timed(async () => {
          await jobOf(a, api('/issuances'));
          await jobOf(a, api('/distributions'), { nodes: FLEET });
        })).ms);
      };
      const runApply = (mode: 'warm' | 'cold') => async () => {
        // the edit and its review (GET /changes) are not timed: the keys it needs are prepared meanwhile
        const c = (await a.inject(api(''))).json();
        c.nodes.find((n: { role: string }) => n.role === 'load-balancer').addresses = [lbAddresses[moves++ % 2]];
        expectStatus(await a.inject({ method: 'PUT', url: api(''), payload: c }), 200, 'change the load balancer');
        const review = (await a.inject(api('/changes'))).json() as ChangeSet;
        await a.deps.keys.settled();
        if (mode === 'cold') await a.deps.sshPool.closeIdle();
        const { ms, value: job } = await timed(() => jobOf(a, api('/changes/apply'), { distribute: true }));
        written = `${review.certificates.filter((x) => x.change === 'outdated').map((x) => x.name).join(', ')} -> ${Object.keys(job.result!.nodes as object).join(', ')}`;
        apply[mode].push(ms);
      };
      // both write ca-key.pem and admin.kubeconfig where the plan puts them (the admin re-entered the password)
      await reauth(a);
      const order = [runApply('warm'), runFull('warm'), runApply('cold'), runFull('cold')];
      for (const run of r % 2 === 0 ? order : [order[1], order[0], order[3], order[2]]) await run();
    }
    const ratio = (mode: 'warm' | 'cold') => median(apply[mode]) / median(full[mode]);
    const load = loadavg().map((l) => l.toFixed(2)).join(' ');
    table(`(a) preset on ${FLEET.length} sshd nodes, load-balancer address changed, median of ${ROUNDS} (runs alternate; load average ${load})`,
      ['method', 'SSH connections', 'median', 'runs (ms)', 'ratio apply/full', 'target', 'result'], [
        [`apply with distribution (${written})`, 'kept from the job before', fmtMs(median(apply.warm)), runs(apply.warm), fmtRatio(ratio('warm')), '<= 0.25x',
          check(S, 'apply + distribute <= 1/4 of full re-issue + distribution (connections kept between jobs)', ratio('warm') <= 0.25)],
        ['full re-issue (9 leaves) + distribution to every node', 'kept from the job before', fmtMs(median(full.warm)), runs(full.warm), '', '', ''],
        [`apply with distribution (${written})`, 'new (none kept)', fmtMs(median(apply.cold)), runs(apply.cold), fmtRatio(ratio('cold')), '<= 0.25x',
          check(S, 'apply + distribute <= 1/4 of full re-issue + distribution (new connections)', ratio('cold') <= 0.25)],
        ['full re-issue (9 leaves) + distribution to every node', 'new (none kept)', fmtMs(median(full.cold)), runs(full.cold), '', '', ''],
      ]);
    note('both from the API: POST -> job ended (polled every 10 ms); the apply\'s key was prepared while the change was reviewed.');
    note('the apply writes kubernetes.pem and its key to the control-plane nodes and the two kubeconfigs of each worker: they name the');
    note('load balancer, so they must be rewritten too (4 nodes, 8 files). "kept": KPKI_SSH_IDLE_SECONDS (30 s) keeps each node\'s');
    note('connection open after a job, and the next one reuses it; "new": the kept connections closed before the timed run.');
  } finally {
    await fleet?.stop().catch((e) => console.log(`fleet stop: ${(e as Error).message}`));
    await app?.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * POST /ca, POST /issuances, then the job's event stream (GET /jobs/{id}/events) until its `end`:
 * the client's wall time. The stream answers the moment the job ends, without the requests a
 * client polling GET /jobs/{id} would make meanwhile (on the same cores as the key generation).
 */
async function issueOverHttp(client: Pick<Awaited<ReturnType<typeof httpApp>>, 'call' | 'jobEnd'>, name: string): Promise<number> {
  const { ms } = await timed(async () => {
    await client.call('POST', `/clusters/${name}/ca`);
    const { jobId } = await client.call('POST', `/clusters/${name}/issuances`);
    const job = await client.jobEnd(jobId);
    if (job.status !== 'succeeded') throw new Error(`issuance ${job.status}: ${JSON.stringify(job.error)}`);
  });
  return ms;
}

/** (b) the preset through the API, cold and with prepared keys, against the tutorial's cfssl commands. */
async function issuanceOverApi(): Promise<void> {
  const cold = await httpApp({ KPKI_PREPARED_KEYS: '0' });
  const warm = await httpApp({});
  const dirs: string[] = [];
  try {
    const coldMs: number[] = [];
    const warmMs: number[] = [];
    const cfsslMs: number[] = [];
    const preset = (name: string): ClusterInput => ({ ...hardWayPreset(), name });
    let reviewMs = 0;
    for (let r = 0; r < ROUNDS; r++) {
      await cold.call('POST', '/clusters', preset(`cold-${r}`));
      coldMs.push(await issueOverHttp(cold, `cold-${r}`));
      // "after the plan review": the cluster is created and its plan read; the keys are generated meanwhile
      await warm.call('POST', '/clusters', preset(`warm-${r}`));
      await warm.call('GET', `/clusters/warm-${r}/plan`);
      reviewMs = (await timed(() => warm.app.deps.keys.settled())).ms;
      warmMs.push(await issueOverHttp(warm, `warm-${r}`));
      const inputs = await cfsslInputs(hardWayPreset(), true);
      dirs.push(inputs.dir);
      cfsslMs.push((await cfsslSequential(inputs, true)).ms);
    }
    const [c, w, f] = [median(coldMs), median(warmMs), median(cfsslMs)];
    table(`(b) tutorial preset, CA + 9 leaves, RSA 2048, through the HTTP API (median of ${ROUNDS})`,
      ['run', 'median', 'runs (ms)', 'ratio kpki/cfssl', 'target', 'result'], [
        ['kpki cold: no key generated ahead', fmtMs(c), runs(coldMs), fmtRatio(c / f), '<= 0.70x', check(S, 'preset over the API, cold <= 0.7x cfssl', c / f <= 0.7)],
        ['kpki after the plan review, prepared keys', fmtMs(w), runs(warmMs), fmtRatio(w / f), '<= 0.10x', check(S, 'preset over the API, prepared keys <= 0.1x cfssl', w / f <= 0.1)],
        ['cfssl 1.2.0, the tutorial commands in sequence', fmtMs(f), runs(cfsslMs), '', '', ''],
      ]);
    note(`kpki: POST /ca + POST /issuances + the job's event stream (GET /jobs/{id}/events) until its end, over a real socket; parse, AES-GCM, one transaction.`);
    note(`prepared: 10 keys generated at nice 19 in the background between creating the cluster and issuing (last round: ${fmtMs(reviewMs)} of review).`);
  } finally {
    await cold.close();
    await warm.close();
    for (const d of dirs) await removeDir(d);
  }
}

/** (c) renewal of every kubelet certificate of a WORKERS-worker cluster, with the event loop's worst delay. */
async function bigRenewal(): Promise<void> {
  const rows: Array<Array<string | number>> = [];
  for (const algorithm of ['rsa-2048', 'ecdsa-p256'] as const) {
    const dataDir = tempDataDir();
    // no keys ahead: this measures the renewal's own work and what it does to the event loop
    const app = await testApp(dataDir, { KPKI_PREPARED_KEYS: '0' });
    try {
      const topology = bigTopology(WORKERS, algorithm, `renew-${algorithm}`);
      expectStatus(await app.inject({ method: 'POST', url: '/api/v1/clusters', payload: topology }), 201, 'create');
      expectStatus(await app.inject({ method: 'POST', url: `/api/v1/clusters/${topology.name}/ca` }), 201, 'CA');
      await jobOf(app, `/api/v1/clusters/${topology.name}/issuances`);
      const kubelets = topology.nodes.filter((n) => n.role === 'worker').map((n) => n.name);
      let ms = 0;
      const loop = await eventLoopStats(async () => {
        ms = (await timed(() => jobOf(app, `/api/v1/clusters/${topology.name}/renewals`, { certificates: kubelets }))).ms;
      });
      rows.push([`${algorithm}: ${kubelets.length} kubelet certificates`, fmtMs(ms), fmtMs(loop.maxLagMs), `${(loop.utilization * 100).toFixed(1)} %`, '< 100 ms',
        check(S, `renewal of ${kubelets.length} kubelets (${algorithm}): event loop worst delay < 100 ms`, loop.maxLagMs < 100)]);
    } finally {
      await app.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  }
  table(`(c) renewal of every kubelet certificate, 3 control-plane + ${WORKERS} workers (POST /renewals -> job ended)`,
    ['renewal', 'wall', 'event loop worst delay (5 ms timer)', 'loop utilization', 'target', 'result'], rows);
}

/** KPKI_BENCH_LIFECYCLE=a,b,c (default all) runs only those parts. */
export async function lifecycleSection(): Promise<void> {
  heading('5. Lifecycle: changes, prepared keys, renewal (issue 10)');
  const parts = (process.env.KPKI_BENCH_LIFECYCLE ?? 'a,b,c').split(',').map((p) => p.trim());
  if (parts.includes('a')) await applyVersusFull();
  if (parts.includes('b')) await issuanceOverApi();
  if (parts.includes('c')) await bigRenewal();
}
