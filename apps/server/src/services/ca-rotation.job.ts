/**
 * The job of one CA rotation phase (issue 13). It runs under the cluster's issuing lock (one
 * issuing job at a time), decides again what the phase does (rotationStep), makes the change in
 * one transaction (the rotation's state and the certificates together: a crash before it leaves
 * everything as it was, a crash after it leaves the phase reached), logs the restart order, and
 * with `distribute` writes the files the phase changed to every node (the normal distribution,
 * CA key rule included). Run again after an interruption, a phase already reached only writes its
 * files again; one not reached starts over (a new CA's key or new leaves' keys from the
 * interrupted run were never stored).
 */
import type { CaRotationAction, KeyAlgorithm, PlannedCertificate } from '@kpki/shared';
import { buildCatalog } from '@kpki/shared/catalog';
import { changedByPhase, restartOrder, restartOrderLines } from '@kpki/shared/ca-rotation';
import type { Deps } from '../context.ts';
import { AppError } from '../lib/errors.ts';
import type { JobContext, JobHandler } from '../jobs/runner.ts';
import type { ClusterRow } from '../store/clusters.repository.ts';
import type { PreparedCertificate } from '../store/certificates.repository.ts';
import type { RotationRow } from '../store/ca-rotations.repository.ts';
import { createCa, crossSignCa, issueAll } from '../pki/index.ts';
import { pacer } from '../lib/pace.ts';
import { distributeNodes, nodesFailed } from './distribution.job.ts';
import { issuingLock, toNewCertificate } from './issuance.ts';
import { keyChoice } from './lifecycle.job.ts';
import { rotationStep, type PhaseFiles } from './ca-rotation.service.ts';

/** prepare: a new CA (a prepared key when there is one) and its cross-signed copy, stored as the active rotation. */
async function prepare(deps: Deps, ctx: JobContext, row: ClusterRow): Promise<Record<string, unknown>> {
  const old = deps.certificates.getCurrent(row.id, 'ca')!;
  const planned = buildCatalog(row.input).find((c) => c.isCa)!;
  const algorithm = row.input.keyAlgorithm as KeyAlgorithm;
  const keys = (await deps.keys.take(row.id, algorithm)) ?? undefined;
  const ca = await createCa({ planned, subject: row.input.subject, algorithm, validityHours: row.input.caValidityHours, now: deps.now(), keys });
  const crossSignedPem = await crossSignCa(ca.certPem, { certPem: old.pem, keyPem: deps.certificates.keyPem(old) });
  // the one write of the phase
  const r = deps.caRotations.start(row.id, { oldCaId: old.id, newCaPem: ca.certPem, newCaKeyPem: ca.keyPem, crossSignedPem }, deps.now().toISOString());
  ctx.log('info', `new CA created (${algorithm}, ${row.input.caValidityHours}h); ca.pem and the kubeconfigs now trust the old CA (serial ${old.serial}, still signing) and the new one`);
  ctx.log('info', 'a cross-signed copy of the new CA (signed by the old key) downloads from GET .../ca-rotation/cross-signed.pem');
  return { rotation: r.id, phase: 'prepared' };
}

/**
 * Re-issues every leaf of the plan with `signer` (new keys; the service-account key kept, as a
 * renewal keeps it) and stores them with `store` in one transaction.
 */
async function reissue(
  deps: Deps, ctx: JobContext, row: ClusterRow, signer: { certPem: string; keyPem: string },
  store: (certs: PreparedCertificate[], now: string) => void,
): Promise<string[]> {
  const leaves = buildCatalog(row.input).filter((c) => !c.isCa);
  const keyFor = keyChoice(deps, ctx, row, (p: PlannedCertificate) => Boolean(p.keepsKey));
  const algorithm = row.input.keyAlgorithm as KeyAlgorithm;
  ctx.log('info', `issuing ${leaves.length} certificate(s) (${algorithm}, ${row.input.certValidityHours}h)`);
  ctx.progress(0, leaves.length);
  const issued = await issueAll({
    ca: signer, certificates: leaves, subject: row.input.subject, algorithm, validityHours: row.input.certValidityHours, now: deps.now(),
    keyFor: (p) => keyFor(p),
    onProgress: (done, total, name) => {
      ctx.progress(done, total);
      if (total <= 50 || done % 50 === 0 || done === total) ctx.log('info', `issued ${name} (${done}/${total})`);
    },
  });
  const certs: PreparedCertificate[] = [];
  const pace = pacer();
  for (const c of issued) {
    certs.push(deps.certificates.prepare(toNewCertificate(c.name, c.certPem, c.keyPem, algorithm)));
    await pace();
  }
  store(certs, deps.now().toISOString());
  void deps.keys.refresh(row.id);
  return leaves.map((c) => c.name);
}

/** switch: every leaf by the new CA; the new CA becomes the cluster's CA (its signing pair); the rotation switched. */
async function switchToNew(deps: Deps, ctx: JobContext, row: ClusterRow, r: RotationRow): Promise<Record<string, unknown>> {
  const newKey = deps.caRotations.newCaKeyPem(r);
  const algorithm = row.input.keyAlgorithm;
  const issued = await reissue(deps, ctx, row, { certPem: r.newCaPem, keyPem: newKey }, (certs, now) => {
    const ca = deps.certificates.prepare(toNewCertificate('ca', r.newCaPem, newKey, algorithm));
    deps.transaction(() => {
      deps.certificates.storeIssuance(row.id, 'rotation', ctx.id, [ca, ...certs], now, row.input);
      deps.caRotations.setPhase(r.id, 'switched', deps.certificates.getCurrent(row.id, 'ca')!.id, now);
    });
  });
  ctx.log('info', `switched: ${issued.length} certificate(s) issued by the new CA, which signs from now on (ca.pem first, ca-key.pem); trust stays both CAs`);
  return { rotation: r.id, phase: 'switched', issued };
}

/** abort after switch: every leaf by the old CA again, the old CA the cluster's CA again; back to prepared. */
async function switchBack(deps: Deps, ctx: JobContext, row: ClusterRow, r: RotationRow): Promise<Record<string, unknown>> {
  const old = deps.certificates.getById(row.id, r.oldCaId);
  if (!old) throw new AppError('CA_NOT_FOUND', 'the old CA of this rotation is gone');
  const issued = await reissue(deps, ctx, row, { certPem: old.pem, keyPem: deps.certificates.keyPem(old) }, (certs, now) => {
    deps.transaction(() => {
      deps.caRotations.reinstateCa(row.id, r.oldCaId);
      deps.certificates.storeIssuance(row.id, 'rotation', ctx.id, certs, now, row.input);
      deps.caRotations.setPhase(r.id, 'prepared', null, now);
    });
  });
  ctx.log('info', `back to prepared: ${issued.length} certificate(s) issued by the old CA, which signs again; trust stays both CAs. ` +
    'Restart in order, then abort again to return to the old CA alone');
  return { rotation: r.id, phase: 'prepared', issued };
}

/** params: { phase: 'prepare'|'switch'|'finalize'|'abort', distribute: boolean, caKey... } */
export function caRotationJob(deps: Deps): JobHandler {
  return (ctx) => deps.nodeLocks.with(issuingLock({ id: ctx.clusterId }), async () => {
    const row = deps.clusters.getById(ctx.clusterId);
    if (!row) throw new AppError('CLUSTER_NOT_FOUND', 'the cluster was deleted before the job ran');
    const action = ctx.params.phase as CaRotationAction;
    const step = rotationStep(deps, row, action);
    let result: Record<string, unknown>;
    let files: PhaseFiles;
    const now = () => deps.now().toISOString();
    switch (step.step) {
      case 'prepare':
        result = await prepare(deps, ctx, row);
        files = 'trust';
        break;
      case 'switch':
        result = await switchToNew(deps, ctx, row, step.rotation);
        files = 'leaves';
        break;
      case 'finalize':
        deps.transaction(() => {
          deps.caRotations.end(step.rotation.id, 'finalized', now());
          deps.caRotations.retireCa(row.id, step.rotation.oldCaId);
        });
        ctx.log('info', 'finalized: ca.pem and the kubeconfigs trust the new CA alone; the old CA is kept in the history as retired');
        result = { rotation: step.rotation.id, phase: 'none', finalized: true };
        files = 'trust';
        break;
      case 'abort-prepared':
        deps.caRotations.end(step.rotation.id, 'aborted', now());
        ctx.log('info', 'aborted: ca.pem and the kubeconfigs trust the old CA alone again; the new CA was never used');
        result = { rotation: step.rotation.id, phase: 'none', aborted: true };
        files = 'trust';
        break;
      case 'abort-switched':
        result = await switchBack(deps, ctx, row, step.rotation);
        files = 'leaves';
        break;
      case 'again':
        ctx.log('info', `the cluster is ${step.phase === 'none' ? 'out of its rotation' : step.phase} already (an earlier run reached it): nothing to change, its files are written again`);
        result = { phase: step.phase, again: true };
        files = step.files;
        break;
    }
    ctx.log('info', 'restart order once the files are on the nodes:');
    for (const line of restartOrderLines(restartOrder(row.input))) ctx.log('info', line);
    if (!ctx.params.distribute) return result;
    const nodes = row.input.nodes.map((n) => n.name);
    ctx.log('info', `writing the files the phase changed (${files === 'trust' ? 'ca.pem and the kubeconfigs' : 'every certificate, key and kubeconfig'}) to ${nodes.join(', ')}`);
    const outcomes = await distributeNodes(deps, row, ctx, nodes, (f) => changedByPhase(files, f));
    const err = nodesFailed(outcomes, result);
    if (err) throw err;
    return { ...result, nodes: outcomes };
  });
}
