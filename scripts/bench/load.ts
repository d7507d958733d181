/**
 * Issue 5's load benchmark: autocannon on the certificate list and detail endpoints of a
 * cluster holding 1,000 certificates, over a real socket on 127.0.0.1, while distribution jobs
 * to 8 real sshd nodes run back to back (node folders emptied before each, so every job writes).
 */
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Job } from '../../packages/shared/src/index.ts';
import { startFleet, type Fleet } from '../fleet.ts';
import { authHeaders, reauth, tempDataDir, testApp } from '../../apps/server/test/helpers/app.ts';
import { bigTopology } from './topology.ts';
import { wipeFleet } from './distribution.ts';
import { check, exec, expectStatus, fmtMs, heading, jobMs, median, note, removeDir, sleep, table, timed, tmpDir, waitJob } from './common.ts';
import type { App } from './common.ts';

const S = 'load';
/** 3 control-plane + 992 workers: CA + admin + 992 kubelets + 6 others = 1,000 certificates */
const WORKERS = 992;
const CERTIFICATES = 1000;
const DURATION_S = 10;
const CONNECTIONS = 10;
const FLEET = ['cp1', 'cp2', 'cp3', 'worker1', 'worker2', 'worker3', 'worker4', 'worker5'];

interface AutocannonResult {
  requests: { average: number; total: number };
  throughput: { average: number; total: number };
  latency: { p50: number; p99: number; max: number; average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;

/** autocannon is a devDependency of apps/server: resolve it from there. */
function loadAutocannon(): Autocannon {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return createRequire(path.join(here, '../../apps/server/package.json'))('autocannon') as Autocannon;
}

export async function loadSection(): Promise<void> {
  heading('3. Load (issue 5)');
  const autocannon = loadAutocannon();
  const dataDir = tempDataDir();
  const work = await tmpDir('kpki-bench-load-');
  let app: App | undefined;
  let fleet: Fleet | undefined;
  let stopLoop = true;
  let loop: Promise<void> | undefined;
  try {
    // no keys ahead of time: 1,000 of them would be generated in the background meanwhile
    app = await testApp(dataDir, { KPKI_PREPARED_KEYS: '0' });
    const a = app;
    // the fleet first, with our own deploy key, so that the cluster is created with its nodes'
    // SSH settings in its body (8 PUT .../nodes/{n}/ssh would take seconds each at this size)
    const keyFile = path.join(work, 'deploy_key');
    await exec('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'kpki-bench', '-f', keyFile]);
    const tFleet = performance.now();
    fleet = await startFleet({ nodes: FLEET.map((name) => ({ name })), authorizedKeys: [(await fs.readFile(keyFile + '.pub', 'utf8')).trim()] });
    const fleetMs = performance.now() - tFleet;
    const f = fleet;
    const cluster = bigTopology(WORKERS, 'ecdsa-p256', 'bench-load');
    for (const n of cluster.nodes) {
      if (!FLEET.includes(n.name)) continue;
      const fn = f.node(n.name);
      n.ssh = { host: fn.host, port: fn.port, user: f.user, remoteDir: fn.remoteDir, hostKey: fn.hostKeyFingerprint };
    }
    const api = (u: string) => `/api/v1/clusters/${cluster.name}${u}`;
    await reauth(a); // control-plane targets in the body and the deploy key follow the CA key rule
    expectStatus(await a.inject({ method: 'POST', url: '/api/v1/clusters', payload: cluster }), 201, 'create cluster');
    expectStatus(await a.inject({ method: 'PUT', url: api('/ssh-key'), payload: { privateKey: await fs.readFile(keyFile, 'utf8') } }), 200, 'upload deploy key');
    expectStatus(await a.inject({ method: 'POST', url: api('/ca') }), 201, 'create CA');
    const t0 = performance.now();
    const iss = await a.inject({ method: 'POST', url: api('/issuances') });
    expectStatus(iss, 202, 'issuance');
    const issued = await waitJob(a, iss.json().jobId as string, 50);
    if (issued.status !== 'succeeded') throw new Error(`issuance ${issued.status}: ${JSON.stringify(issued.error)}`);
    const setupMs = performance.now() - t0;
    const names = ((await a.inject(api('/certificates'))).json().items as Array<{ name: string }>).map((c) => c.name);
    if (names.length !== CERTIFICATES) throw new Error(`the list holds ${names.length} certificates, expected ${CERTIFICATES}`);
    // for information: the node list the dashboard reads, at this size (one request, no load)
    const nodesList = await timed(() => a.inject(api('/nodes')));
    expectStatus(nodesList.value, 200, 'node list');

    await a.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(a.server.address() as AddressInfo).port}`;
    const headers = authHeaders.get(a)!;

    // distributions back to back for the whole load run
    const jobs: Job[] = [];
    let started = false;
    let loopError: unknown;
    stopLoop = false;
    loop = (async () => {
      while (!stopLoop) {
        await wipeFleet(f, FLEET);
        await reauth(a);
        const res = await a.inject({ method: 'POST', url: api('/distributions'), payload: { nodes: FLEET } });
        expectStatus(res, 202, 'distribution');
        started = true;
        jobs.push(await waitJob(a, res.json().jobId as string, 20));
      }
    })().catch((e) => {
      loopError = e;
      started = true;
    });
    while (!started) await sleep(10);
    if (loopError) throw loopError;

    const run = (title: string, opts: Record<string, unknown>) =>
      autocannon({ url: base, connections: CONNECTIONS, duration: DURATION_S, headers, title, ...opts });
    const list = await run('list', { url: base + api('/certificates') });
    let i = 0;
    const detail = await run('detail', {
      requests: [{ method: 'GET', setupRequest: (req: Record<string, unknown>) => ({ ...req, path: api(`/certificates/${names[i++ % names.length]}`) }) }],
    });
    stopLoop = true;
    const tEnd = performance.now();
    await loop;
    const drainMs = performance.now() - tEnd;
    loop = undefined;
    if (loopError) throw loopError;

    const failedJobs = jobs.filter((j) => j.status !== 'succeeded');
    const row = (what: string, r: AutocannonResult) => {
      const bad = r.non2xx + r.errors + r.timeouts;
      return [what, r.requests.total, r.requests.average.toFixed(0), `${r.latency.p50} ms`, `${r.latency.p99} ms`, `${r.latency.max} ms`,
        `${(r.throughput.total / Math.max(1, r.requests.total) / 1000).toFixed(1)} kB`, `${r.non2xx}/${r.errors}/${r.timeouts}`, check(S, `${what}: no non-2xx, errors or timeouts`, bad === 0)];
    };
    table(`autocannon ${DURATION_S} s x ${CONNECTIONS} connections per endpoint, ${CERTIFICATES} certificates (ecdsa-p256), 127.0.0.1, cookie session`,
      ['endpoint', 'requests', 'req/s', 'p50', 'p99', 'max', 'bytes/resp', 'non2xx/err/timeout', 'no errors'], [
        row('GET .../certificates (list of 1000)', list),
        row('GET .../certificates/{name} (detail, 1000 names in turn)', detail),
      ]);
    table('distribution jobs running during the load (8 sshd nodes, folders emptied before each job)', ['measure', 'value', 'result'], [
      ['jobs completed', String(jobs.length), check(S, 'a distribution ran during the load', jobs.length > 0)],
      ['jobs not succeeded', String(failedJobs.length), check(S, 'every distribution during the load succeeded', failedJobs.length === 0)],
      ['job duration median (runner)', fmtMs(median(jobs.map(jobMs))), ''],
    ]);
    table('for information (no target): one request, no concurrent load', ['request', 'wall', 'body'], [
      [`GET .../nodes (${cluster.nodes.length} nodes, what the dashboard's nodes page reads)`, fmtMs(nodesList.ms), `${(nodesList.value.body.length / 1000).toFixed(0)} kB`],
    ]);
    note(`setup: ${WORKERS + 3}-node cluster, CA + issuance job of ${CERTIFICATES - 1} ecdsa-p256 leaves in ${fmtMs(setupMs)} (not measured above);\n` +
      `${FLEET.length} sshd nodes started in ${fmtMs(fleetMs)}; the last distribution ended ${fmtMs(drainMs)} after the load.`);
    if (failedJobs.length) note(`first failed job: ${JSON.stringify(failedJobs[0].error)}`);
  } finally {
    stopLoop = true;
    await loop?.catch((e) => console.log(`distribution loop: ${(e as Error).message}`));
    await fleet?.stop().catch((e) => console.log(`fleet stop: ${(e as Error).message}`));
    await app?.close();
    await fs.rm(dataDir, { recursive: true, force: true });
    await removeDir(work);
  }
}
