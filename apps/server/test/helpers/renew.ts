/**
 * Renews one certificate of a cluster the way an operator does: POST /clusters/{c}/renewals
 * (issue 10's renewal job, without distribution), waited for to its end.
 */
import type { FastifyInstance } from 'fastify';
import type { LifecycleAnswer } from '@kpki/shared';
import { waitJob } from './app.ts';

/** Renews `name` in `clusterName` through the renewal route; returns the new certificate's PEM. */
export async function renewCertificate(app: FastifyInstance, clusterName: string, name: string): Promise<string> {
  const api = `/api/v1/clusters/${clusterName}`;
  const res = await app.inject({ method: 'POST', url: `${api}/renewals`, payload: { certificates: [name] } });
  if (res.statusCode !== 202) throw new Error(`renewing ${name}: ${res.statusCode} ${res.body}`);
  const answer = res.json() as LifecycleAnswer;
  const job = await waitJob(app, answer.jobId!);
  if (job.status !== 'succeeded') throw new Error(`renewing ${name}: job ${job.status} ${JSON.stringify(job.error)}`);
  return (await app.inject(`${api}/certificates/${name}/cert.pem`)).body;
}
