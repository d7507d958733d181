/**
 * A cluster of hundreds of nodes for browser tests of pages at scale (issue 16): the preset's
 * settings with `controlPlanes` control-plane nodes cp1.. and `workers` workers worker1..,
 * created through the API (the test's admin token). Addresses are data only (10.x, never
 * dialed). With `issue`, the CA is created and every certificate issued (ecdsa-p256 keys: fast).
 */
import { expect } from './harness.ts';
import type { Server } from './harness.ts';
import { JOB_TIMEOUT, waitJobApi } from './flows.ts';

export interface BigClusterOptions {
  /** cluster name (default "big") */
  name?: string;
  /** default 3 */
  controlPlanes?: number;
  /** default 997: with 3 control-plane nodes, 1,000 nodes */
  workers?: number;
  /** create the CA and issue every certificate (default false) */
  issue?: boolean;
}

/** 10.A.B.C for node number i (1-based) of a role band: distinct, never dialed. */
const address = (band: number, i: number) => `10.${band}.${Math.floor(i / 250)}.${(i % 250) + 1}`;

/** Creates the cluster and returns its name. */
export async function createBigCluster(server: Server, options: BigClusterOptions = {}): Promise<string> {
  const { name = 'big', controlPlanes = 3, workers = 997, issue = false } = options;
  const preset = await server.api('GET', '/presets/hard-way');
  await server.api('POST', '/clusters', {
    ...preset,
    name,
    keyAlgorithm: 'ecdsa-p256',
    nodes: [
      ...Array.from({ length: controlPlanes }, (_, i) => ({ name: `cp${i + 1}`, role: 'control-plane', addresses: [address(100, i)] })),
      ...Array.from({ length: workers }, (_, i) => ({ name: `worker${i + 1}`, role: 'worker', addresses: [address(200, i)] })),
    ],
  });
  if (issue) {
    await server.api('POST', `/clusters/${name}/ca`);
    const { jobId } = await server.api('POST', `/clusters/${name}/issuances`);
    expect((await waitJobApi(server, jobId, JOB_TIMEOUT * 4)).status).toBe('succeeded');
  }
  return name;
}
