/** Builds a kpki app on a temporary data directory, and waits for jobs. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Job } from '@kpki/shared';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kpki-test-'));
}

export async function testApp(dataDir = tempDataDir(), env: Record<string, string> = {}): Promise<FastifyInstance> {
  const config = loadConfig({ KPKI_DATA_DIR: dataDir, KPKI_LOG_LEVEL: 'silent', KPKI_WEB_DIR: '', ...env });
  return buildApp(config, { logger: false });
}

/** Polls GET /jobs/{id} until the job has ended. */
export async function waitJob(app: FastifyInstance, jobId: string, timeoutMs = 120_000): Promise<Job> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = (await app.inject({ method: 'GET', url: `/api/v1/jobs/${jobId}` })).json() as Job;
    if (['succeeded', 'failed', 'interrupted'].includes(job.status)) return job;
    if (Date.now() > until) throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Creates the preset cluster (optionally changed), its CA, and issues; returns the cluster name. */
export async function issuedCluster(app: FastifyInstance, change: (c: any) => void = () => {}): Promise<string> {
  const preset = (await app.inject({ method: 'GET', url: '/api/v1/presets/hard-way' })).json();
  change(preset);
  const created = await app.inject({ method: 'POST', url: '/api/v1/clusters', payload: preset });
  if (created.statusCode !== 201) throw new Error(`create cluster: ${created.body}`);
  const ca = await app.inject({ method: 'POST', url: `/api/v1/clusters/${preset.name}/ca` });
  if (ca.statusCode !== 201) throw new Error(`create CA: ${ca.body}`);
  const iss = await app.inject({ method: 'POST', url: `/api/v1/clusters/${preset.name}/issuances` });
  const job = await waitJob(app, iss.json().jobId);
  if (job.status !== 'succeeded') throw new Error(`issuance ${job.status}: ${JSON.stringify(job.error)}`);
  return preset.name;
}
