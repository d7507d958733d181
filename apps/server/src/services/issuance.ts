/**
 * Issuance pipelines: create the CA, and issue every leaf of the catalog as one job whose
 * certificates are stored in one transaction (all of them or none).
 */
import type { ClusterInput } from '@kpki/shared';
import { buildCatalog } from '@kpki/shared/catalog';
import type { Deps } from '../context.ts';
import { AppError } from '../lib/errors.ts';
import type { JobHandler } from '../jobs/runner.ts';
import type { NewCertificate, PreparedCertificate } from '../store/certificates.repository.ts';
import { certificateColumns, createCa, issueAll } from '../pki/index.ts';
import { getCluster } from './clusters.service.ts';
import { configSettings } from '@kpki/shared/kubeconfigs';
import { encryptionConfigVersion } from './config-files.service.ts';

/** What the store keeps of a freshly issued certificate: its columns read by pki/'s one reader, and the PEMs. */
function toNewCertificate(name: string, certPem: string, keyPem: string, keyAlgorithm: string): NewCertificate {
  return { name, ...certificateColumns(certPem), keyAlgorithm, pem: certPem, keyPem };
}

export async function createClusterCa(deps: Deps, clusterName: string): Promise<{ issuanceId: string }> {
  const row = getCluster(deps, clusterName);
  if (deps.certificates.getCurrent(row.id, 'ca')) {
    throw new AppError('CA_EXISTS', `cluster "${clusterName}" already has a CA: re-issue the leaves instead, or delete the cluster to start over`);
  }
  const input = row.input;
  const planned = buildCatalog(input).find((c) => c.isCa)!;
  const ca = await createCa({ planned, subject: input.subject, algorithm: input.keyAlgorithm, validityHours: input.caValidityHours, now: deps.now() });
  if (deps.certificates.getCurrent(row.id, 'ca')) throw new AppError('CA_EXISTS', `cluster "${clusterName}" already has a CA`);
  const prepared = deps.certificates.prepare(toNewCertificate('ca', ca.certPem, ca.keyPem, input.keyAlgorithm));
  const issuanceId = deps.certificates.storeIssuance(row.id, 'ca', null, [prepared], deps.now().toISOString(), null);
  // the cluster's other secret, created with its CA: the key of the API server's encryption config
  if (configSettings(input).generateConfigFiles) encryptionConfigVersion(deps, row, false);
  return { issuanceId };
}

/** Starts an issuance job for every leaf certificate; the CA must exist. */
export function startIssuance(deps: Deps, clusterName: string): string {
  const row = getCluster(deps, clusterName);
  if (!deps.certificates.getCurrent(row.id, 'ca')) {
    throw new AppError('CA_NOT_FOUND', `cluster "${clusterName}" has no CA yet: create it first (POST .../ca)`);
  }
  return deps.jobs.enqueue('issuance', row, {});
}

export function issuanceJob(deps: Deps): JobHandler {
  return async (ctx) => {
    const row = deps.clusters.getById(ctx.clusterId);
    if (!row) throw new AppError('CLUSTER_NOT_FOUND', 'the cluster was deleted before the issuance ran');
    const input: ClusterInput = row.input;
    const caRow = deps.certificates.getCurrent(row.id, 'ca');
    if (!caRow) throw new AppError('CA_NOT_FOUND', 'the cluster has no CA: create it first');
    const leaves = buildCatalog(input).filter((c) => !c.isCa);
    ctx.log('info', `issuing ${leaves.length} certificates (${input.keyAlgorithm}, ${input.certValidityHours}h)`);
    ctx.progress(0, leaves.length);
    const issued = await issueAll({
      ca: { certPem: caRow.pem, keyPem: deps.certificates.keyPem(caRow) },
      certificates: leaves, subject: input.subject, algorithm: input.keyAlgorithm,
      validityHours: input.certValidityHours, now: deps.now(),
      onProgress: (done, total, name) => {
        ctx.progress(done, total);
        if (total <= 50 || done % 50 === 0 || done === total) ctx.log('info', `issued ${name} (${done}/${total})`);
      },
    });
    // parse and seal in slices that yield, so the API keeps answering; then one short transaction
    const certs: PreparedCertificate[] = [];
    for (const c of issued) {
      certs.push(deps.certificates.prepare(toNewCertificate(c.name, c.certPem, c.keyPem, input.keyAlgorithm)));
      if (certs.length % 25 === 0) await new Promise((r) => setImmediate(r));
    }
    const issuanceId = deps.certificates.storeIssuance(row.id, 'leaves', ctx.id, certs, deps.now().toISOString(), input);
    ctx.log('info', `stored issuance ${issuanceId}: ${certs.length} certificates`);
    return { issuanceId, certificates: certs.length };
  };
}

