/**
 * Renewal and the apply of topology changes (issue 10): the checks that refuse a request before
 * anything happens (unknown certificate 404, no CA 409, the CA itself 409), the answer when there
 * is nothing to do, and the jobs otherwise. With `distribute`, ca-key.pem goes to a node only when
 * an admin who re-entered the password asked (the CA key rule, decided at enqueue time); other
 * jobs leave it out. Also: which keys a cluster will need soon, for the key preparer.
 */
import type { ApplyChangesRequest, LifecycleAnswer, PlannedCertificate, RenewalRequest } from '@kpki/shared';
import { buildCatalog } from '@kpki/shared/catalog';
import { certificatesToIssue } from '@kpki/shared/changes';
import { expiryOf, expiryThresholds, needsAttention } from '@kpki/shared/expiry';
import type { Deps } from '../context.ts';
import { planOf } from './plans.ts';
import { AppError } from '../lib/errors.ts';
import type { ClusterRow } from '../store/clusters.repository.ts';
import { checkIssuanceSize } from './issuance.ts';
import type { KeyTarget } from './key-preparer.ts';
import { clusterChanges } from './changes.service.ts';
import { getCluster } from './clusters.service.ts';
import type { CaKeyParams } from './distribution.job.ts';

type Started = { status: 200 | 202; answer: LifecycleAnswer };
const answer = (a: Partial<LifecycleAnswer> & { message: string }): LifecycleAnswer => ({
  jobId: null, certificates: [], retired: [], nodes: [], caRotation: null, ...a,
});

/** Nodes whose files include one of `names` or a kubeconfig embedding one (what a distribution after renewing them writes to). */
export function nodesHolding(row: ClusterRow, names: string[]): string[] {
  const wanted = new Set(names);
  const files = planOf(row.input).files;
  return row.input.nodes.filter((n) => (files[n.name] ?? []).some((f) => f.certificate !== null && wanted.has(f.certificate))).map((n) => n.name);
}

/** Leaves in warning, critical or expired at deps.now() that the plan still has (what renewal takes by default). */
export function dueLeaves(deps: Deps, row: ClusterRow, marginDays = 0): string[] {
  const t = expiryThresholds(row.input);
  const planned = new Set(buildCatalog(row.input).filter((c) => !c.isCa).map((c) => c.name));
  const soon = { ...t, warningDays: t.warningDays + marginDays };
  return deps.certificates.listCurrent(row.id)
    .filter((c) => planned.has(c.name) && needsAttention(expiryOf(c.notAfter, deps.now(), soon).state))
    .map((c) => c.name);
}

function requireCa(deps: Deps, row: ClusterRow, what: string): void {
  if (!deps.certificates.getCurrent(row.id, 'ca')) {
    throw new AppError('CA_NOT_FOUND', `cluster "${row.name}" has no CA: create it (POST .../ca) and issue before ${what}`);
  }
}

/**
 * POST .../renewals: checks the names, then starts a renewal job (202) or says there is nothing to
 * renew (200). `caKey` is the CA key rule's decision for whoever asks (distribution part).
 */
export function startRenewal(deps: Deps, clusterName: string, body: RenewalRequest, caKey: CaKeyParams): Started {
  const row = getCluster(deps, clusterName);
  const planned = new Map(buildCatalog(row.input).map((c) => [c.name, c]));
  for (const name of body.certificates ?? []) {
    if (name === 'ca') {
      throw new AppError('CA_ROTATION_REQUIRED', 'the CA is never renewed in place: a new CA needs a CA rotation (trust both, switch, finalize); renew the leaves it signs instead', { certificate: 'ca' });
    }
    if (!planned.has(name)) {
      const some = [...planned.keys()].filter((n) => n !== 'ca').slice(0, 12).join(', ');
      throw new AppError('CERTIFICATE_NOT_FOUND', `certificate "${name}" is not in cluster "${row.name}": name certificates of its plan (${some}${planned.size > 13 ? ', ...' : ''})`, { certificate: name });
    }
  }
  requireCa(deps, row, 'renewing');
  for (const name of body.certificates ?? []) {
    if (!deps.certificates.getCurrent(row.id, name)) {
      throw new AppError('NOT_ISSUED', `certificate "${name}" has not been issued yet: apply the changes (POST .../changes/apply) or issue first`, { certificate: name });
    }
  }
  const names = [...new Set(body.certificates ?? dueLeaves(deps, row))];
  if (!names.length) {
    const t = expiryThresholds(row.input);
    return { status: 200, answer: answer({ message: `nothing to renew: no certificate is in warning (< ${t.warningDays} days left), critical or expired; name certificates to renew them anyway` }) };
  }
  // kept keys cost no key generation (the service-account's by default)
  checkIssuanceSize(row, names.filter((n) => !(body.keepKeys ?? Boolean(planned.get(n)?.keepsKey))).length);
  const nodes = body.distribute ? nodesHolding(row, names) : [];
  const jobId = deps.jobs.enqueue('renewal', row, {
    certificates: names, ...(body.keepKeys !== undefined ? { keepKeys: body.keepKeys } : {}), distribute: !!body.distribute, ...(body.distribute ? caKey : {}), ...(caKey.startedBy ? { startedBy: caKey.startedBy } : {}),
  });
  return {
    status: 202,
    answer: answer({
      jobId, certificates: names, nodes,
      message: `renewing ${names.length} certificate(s)${body.distribute ? (nodes.length ? `, then writing to ${nodes.join(', ')}` : ', no node holds them') : ''}`,
    }),
  };
}

/**
 * POST .../changes/apply: retires what left the topology and, when certificates must be issued
 * (or `distribute` has nodes to write), starts an apply job (202). A change of the CA itself is
 * reported (caRotation) and never applied; when it is the only change the answer is 409.
 */
export async function startApply(deps: Deps, clusterName: string, body: ApplyChangesRequest, caKey: CaKeyParams): Promise<Started> {
  const row = getCluster(deps, clusterName);
  requireCa(deps, row, 'applying changes');
  const changes = await clusterChanges(deps, row);
  const toIssue = certificatesToIssue(changes);
  const retired = changes.certificates.filter((c) => c.change === 'retired').map((c) => c.name);
  const caRotation = changes.ca.change === 'rotation-required' ? changes.ca.message : null;
  const nodes = body.distribute ? changes.nodes.map((n) => n.node) : [];
  checkIssuanceSize(row, changes.certificates.filter((c) => toIssue.includes(c.name) && c.newKey).length); // a kept key costs nothing
  if (!toIssue.length && !retired.length && !nodes.length) {
    if (caRotation) throw new AppError('CA_ROTATION_REQUIRED', caRotation, changes.ca.differences);
    return { status: 200, answer: answer({ message: 'nothing to apply: every certificate matches the plan' + (body.distribute ? ' and every node holds its files' : '') }) };
  }
  if (!toIssue.length) {
    // nothing to issue: retiring is one short transaction, no job
    if (retired.length) deps.certificates.storeIssuance(row.id, 'changes', null, [], deps.now().toISOString(), row.input, { retire: retired });
    if (!nodes.length) {
      return { status: 200, answer: answer({ retired, caRotation, message: `retired ${retired.join(', ')}; nothing to issue, no node receives a file (no file is deleted anywhere)` }) };
    }
  }
  // who started it is recorded either way (the jobs list shows it); the CA key decision only with a distribution
  const jobId = deps.jobs.enqueue('apply', row, { distribute: !!body.distribute, ...(body.distribute ? caKey : {}), ...(caKey.startedBy ? { startedBy: caKey.startedBy } : {}) });
  return {
    status: 202,
    answer: answer({
      jobId, certificates: toIssue, retired, nodes, caRotation,
      message: `${toIssue.length ? `issuing ${toIssue.join(', ')}` : 'nothing to issue'}${retired.length ? `, retiring ${retired.join(', ')}` : ''}` +
        `${nodes.length ? `, then writing to ${nodes.join(', ')}` : ''}${caRotation ? '; the CA itself is not changed: it needs a CA rotation' : ''}`,
    }),
  };
}

/**
 * The keys a cluster will need soon: without a CA, the CA's and every leaf's; else one per new
 * or outdated certificate that gets a new key, and one per leaf that comes due for renewal
 * within its warning threshold plus a week (keys kept on renewal excluded).
 */
export async function keysNeeded(deps: Deps, clusterId: number): Promise<KeyTarget | null> {
  const row = deps.clusters.getById(clusterId);
  if (!row) return null;
  const algorithm = row.input.keyAlgorithm;
  const catalog = buildCatalog(row.input);
  if (!deps.certificates.getCurrent(row.id, 'ca')) return { algorithm, count: catalog.length };
  const changes = await clusterChanges(deps, row, false);
  const fresh = new Set(changes.certificates.filter((c) => (c.change === 'new' || c.change === 'outdated') && c.newKey).map((c) => c.name));
  const keeps = new Set(catalog.filter((c: PlannedCertificate) => c.keepsKey).map((c) => c.name));
  const due = dueLeaves(deps, row, 7).filter((n) => !fresh.has(n) && !keeps.has(n));
  return { algorithm, count: fresh.size + due.length };
}
