/**
 * A kpki cluster whose nodes are a fleet of real sshd nodes (scripts/fleet.ts, loopback):
 * created, issued, every node pinned (host, port, user, folder, host key) unless asked not to,
 * optionally distributed. Stop it with stop(): the fleet first, by its own pids. useFleetCluster
 * makes one with its app for a describe block and stops both after it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Job, NodeStatus } from '@kpki/shared';
import { startFleet, type Fleet } from '../support.ts';
import { issuedCluster, reauth, useTestApp, waitJob, type AppFixture } from './app.ts';

export interface FleetCluster {
  cluster: string;
  fleet: Fleet;
  /** /api/v1/clusters/<cluster><url> */
  api(url: string): string;
  /** the folder of a node on this machine */
  dirOf(node: string): string;
  /** file -> mtime (ms) of every file in the node's folder */
  mtimes(node: string): Record<string, number>;
  /** pins a node of the fleet in kpki (used for nodes added to the topology later) */
  pin(node: string): Promise<void>;
  /** POST url (202 expected) and the ended job */
  job(url: string, payload?: object): Promise<Job>;
  /** POST .../nodes/<node>/verify */
  verify(node: string): Promise<NodeStatus>;
  stop(): Promise<void>;
}

type App = FastifyInstance;

export interface FleetClusterOptions {
  /** changes the preset before it is created */
  change?: (c: any) => void;
  /** the fleet's nodes (those of the topology are pinned; others can join it later and be pinned then) */
  fleetNodes: string[];
  /** false: no node is given its SSH settings (the fleet runs, kpki does not know it yet) */
  pin?: boolean;
  /** the pinned nodes receive their files */
  distribute?: boolean;
}

/** The preset (changed by `change`) issued in `app`, with a fleet of `fleetNodes` (see FleetClusterOptions). */
export async function fleetCluster(app: App, opts: FleetClusterOptions): Promise<FleetCluster> {
  const cluster = await issuedCluster(app, opts.change);
  const api = (url: string) => `/api/v1/clusters/${cluster}${url}`;
  const key = (await app.inject(api('/ssh-key'))).json();
  const fleet = await startFleet({ nodes: opts.fleetNodes.map((name) => ({ name })), authorizedKeys: [key.publicKey] });
  const dirOf = (node: string) => fleet.node(node).remoteDir;
  const fc: FleetCluster = {
    cluster, fleet, api, dirOf,
    mtimes: (node) => Object.fromEntries(fs.readdirSync(dirOf(node)).sort().map((f) => [f, fs.statSync(path.join(dirOf(node), f)).mtimeMs])),
    async pin(node) {
      await reauth(app); // the SSH target of a node that receives ca-key.pem: the CA key rule
      const n = fleet.node(node);
      const res = await app.inject({ method: 'PUT', url: api(`/nodes/${node}/ssh`), payload: { host: n.host, port: n.port, user: fleet.user, remoteDir: n.remoteDir, hostKey: n.hostKeyFingerprint } });
      if (res.statusCode !== 200) throw new Error(`pin ${node}: ${res.statusCode} ${res.body}`);
    },
    async job(url, payload) {
      const res = await app.inject({ method: 'POST', url: api(url), ...(payload ? { payload } : {}) });
      if (res.statusCode !== 202) throw new Error(`POST ${url}: ${res.statusCode} ${res.body}`);
      return waitJob(app, res.json().jobId);
    },
    async verify(node) {
      return (await app.inject({ method: 'POST', url: api(`/nodes/${node}/verify`) })).json() as NodeStatus;
    },
    stop: () => fleet.stop(),
  };
  try {
    const topology = (await app.inject(api(''))).json().nodes.map((n: { name: string }) => n.name) as string[];
    const pinned = opts.pin === false ? [] : opts.fleetNodes.filter((x) => topology.includes(x));
    for (const n of pinned) await fc.pin(n);
    if (opts.distribute) {
      await reauth(app); // the admin re-enters the password: control-plane nodes get ca-key.pem too
      const job = await fc.job('/distributions', { nodes: pinned });
      if (job.status !== 'succeeded') throw new Error(`distribution ${job.status}: ${JSON.stringify(job.error)}`);
    }
  } catch (err) {
    await fleet.stop();
    throw err;
  }
  return fc;
}

/** The app and fleet cluster of a describe block (useFleetCluster): set before its tests run. */
export interface FleetClusterFixture extends AppFixture {
  fc: FleetCluster;
}

/**
 * In a describe block: an app on a temporary data directory (`env`, clock `now`) and a fleet
 * cluster in it before its tests; after them the fleet is stopped (by its pids), then the app
 * closed and its folder removed.
 */
export function useFleetCluster(opts: FleetClusterOptions & { env?: Record<string, string>; now?: () => Date }, timeoutMs = 180_000): FleetClusterFixture {
  const fx = useTestApp(opts) as FleetClusterFixture;
  beforeAll(async () => {
    fx.fc = await fleetCluster(fx.app, opts);
  }, timeoutMs);
  afterAll(async () => {
    await fx.fc?.stop();
  });
  return fx;
}
