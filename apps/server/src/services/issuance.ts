/**
 * Issuance pipelines: create the CA, and issue every leaf of the catalog as one job whose
 * certificates are stored in one transaction (all of them or none).
 */
import type { PlannedCertificate } from '@kpki/shared';
import { buildCatalog } from '@kpki/shared/catalog';
import { issuanceSizeProblem } from '@kpki/shared/issuance-cost';
import { pacer } from '../lib/pace.ts';
import type { Deps } from '../context.ts';
import { AppError } from '../lib/errors.ts';
import type { JobContext, JobHandler } from '../jobs/runner.ts';
import type { ClusterRow } from '../store/clusters.repository.ts';
import type { IssuanceKind, NewCertificate, PreparedCertificate } from '../store/certificates.repository.ts';
import { certificateColumns, createCa, issueAll } from '../pki/index.ts';
import { getCluster } from './clusters.service.ts';
import { configSettings } from '@kpki/shared/kubeconfigs';
import { encryptionConfigVersion } from './config-files.service.ts';

/** What the store keeps of a freshly issued certificate: its columns read by pki/'s one reader, and the PEMs. */
export function toNewCertificate(name: string, certPem: string, keyPem: string, keyAlgorithm: string): NewCertificate {
  return { name, ...certificateColumns(certPem), keyAlgorithm, pem: certPem, keyPem };
}

export async function createClusterCa(deps: Deps, clusterName: string): Promise<{ issuanceId: string }> {
  const row = getCluster(deps, clusterName);
  if (deps.certificates.getCurrent(row.id, 'ca')) {
    throw new AppError('CA_EXISTS', `cluster "${clusterName}" already has a CA: re-issue the leaves instead, or delete the cluster to start over`);
  }
  const input = row.input;
  const planned = buildCatalog(input).find((c) => c.isCa)!;
  const keys = (await deps.keys.take(row.id, input.keyAlgorithm)) ?? undefined;
  const ca = await createCa({ planned, subject: input.subject, algorithm: input.keyAlgorithm, validityHours: input.caValidityHours, now: deps.now(), keys });
  if (deps.certificates.getCurrent(row.id, 'ca')) throw new AppError('CA_EXISTS', `cluster "${clusterName}" already has a CA`);
  const prepared = deps.certificates.prepare(toNewCertificate('ca', ca.certPem, ca.keyPem, input.keyAlgorithm));
  const issuanceId = deps.certificates.storeIssuance(row.id, 'ca', null, [prepared], deps.now().toISOString(), null);
  // the cluster's other secret, created with its CA: the key of the API server's encryption config
  if (configSettings(input).generateConfigFiles) encryptionConfigVersion(deps, row, false);
  void deps.keys.refresh(row.id);
  return { issuanceId };
}

/** Key of a leaf being issued: kept, prepared (taken) or null for a new one. */
export type KeyChoice = (planned: PlannedCertificate) => Promise<CryptoKeyPair | null>;

/**
 * Issues `leaves` (entries of the current plan) under the cluster's CA and stores them as one
 * issuance of `kind` (retiring `retire` in the same transaction), logging progress on the job.
 * Keys come from `keyFor` (default: a prepared key when there is one, else a new one).
 * Leaves whose notAfter had to be capped at the CA's are logged as warnings.
 */
export async function issueAndStore(
  deps: Deps, ctx: JobContext, row: ClusterRow, leaves: PlannedCertificate[], kind: IssuanceKind,
  opts: { keyFor?: KeyChoice; retire?: string[] } = {},
): Promise<{ issuanceId: string; certificates: number }> {
  const input = row.input;
  const caRow = deps.certificates.getCurrent(row.id, 'ca');
  if (!caRow) throw new AppError('CA_NOT_FOUND', 'the cluster has no CA: create it first');
  const keyFor: KeyChoice = opts.keyFor ?? (() => deps.keys.take(row.id, input.keyAlgorithm));
  let prepared = 0;
  ctx.log('info', `issuing ${leaves.length} certificate(s) (${input.keyAlgorithm}, ${input.certValidityHours}h)`);
  ctx.progress(0, leaves.length);
  const issued = await issueAll({
    ca: { certPem: caRow.pem, keyPem: deps.certificates.keyPem(caRow) },
    certificates: leaves, subject: input.subject, algorithm: input.keyAlgorithm,
    validityHours: input.certValidityHours, now: deps.now(),
    keyFor: async (p) => {
      const keys = await keyFor(p);
      if (keys) prepared++;
      return keys;
    },
    onProgress: (done, total, name) => {
      ctx.progress(done, total);
      if (total <= 50 || done % 50 === 0 || done === total) ctx.log('info', `issued ${name} (${done}/${total})`);
    },
  });
  if (prepared) ctx.log('info', `${prepared} of ${leaves.length} key(s) were ready ahead of time or kept`);
  for (const c of issued.filter((i) => i.notAfterClamped)) {
    ctx.log('warn', `${c.name}: notAfter capped at the CA's notAfter (${caRow.notAfter}): ${input.certValidityHours}h would pass it`);
  }
  // parse and seal yielding every 4 ms of work, so the API keeps answering; then one short transaction
  const certs: PreparedCertificate[] = [];
  const pace = pacer();
  for (const c of issued) {
    certs.push(deps.certificates.prepare(toNewCertificate(c.name, c.certPem, c.keyPem, input.keyAlgorithm)));
    await pace();
  }
  const issuanceId = deps.certificates.storeIssuance(row.id, kind, ctx.id, certs, deps.now().toISOString(), input, { retire: opts.retire });
  ctx.log('info', `stored issuance ${issuanceId}: ${certs.length} certificate(s)${opts.retire?.length ? `, retired ${opts.retire.join(', ')}` : ''}`);
  void deps.keys.refresh(row.id);
  return { issuanceId, certificates: certs.length };
}

/** The lock that makes issuing jobs of one cluster (issuance, renewal, apply) run one after the other. */
export const issuingLock = (row: { id: number }) => `${row.id}/#issuing`;

/**
 * Starts an issuance job for every leaf certificate; the CA must exist and the issuance be within
 * the bound (issuance-cost.ts). `startedBy`: the user (the jobs list shows it).
 */
export function startIssuance(deps: Deps, clusterName: string, startedBy?: string): string {
  const row = getCluster(deps, clusterName);
  if (!deps.certificates.getCurrent(row.id, 'ca')) {
    throw new AppError('CA_NOT_FOUND', `cluster "${clusterName}" has no CA yet: create it first (POST .../ca)`);
  }
  checkIssuanceSize(row, buildCatalog(row.input).filter((c) => !c.isCa).length);
  return deps.jobs.enqueue('issuance', row, startedBy ? { startedBy } : {});
}

/**
 * Refuses one request that would generate more keys than the bound (issue 8; @kpki/shared
 * issuance-cost.ts): issuance, renewal, apply.
 * @throws AppError ISSUANCE_TOO_LARGE
 */
export function checkIssuanceSize(row: { input: { keyAlgorithm: ClusterRow['input']['keyAlgorithm'] } }, certificates: number): void {
  const tooLarge = issuanceSizeProblem(certificates, row.input.keyAlgorithm);
  if (tooLarge) throw new AppError('ISSUANCE_TOO_LARGE', tooLarge, { certificates, keyAlgorithm: row.input.keyAlgorithm });
}

export function issuanceJob(deps: Deps): JobHandler {
  return (ctx) => deps.nodeLocks.with(issuingLock({ id: ctx.clusterId }), async () => {
    // read inside the lock: an issuing job before this one may have run meanwhile
    const row = deps.clusters.getById(ctx.clusterId);
    if (!row) throw new AppError('CLUSTER_NOT_FOUND', 'the cluster was deleted before the issuance ran');
    return issueAndStore(deps, ctx, row, buildCatalog(row.input).filter((c) => !c.isCa), 'leaves');
  });
}
