/**
 * CA rotation (issue 13): where a rotation stands, which nodes are in step with its phase (judged
 * at read time from their last look, node-status.ts), and the checks that refuse a phase before a
 * job starts (and again when it runs): no CA, a rotation job already running, a phase that does not
 * follow the current one, a node not in step with the current phase's files.
 *
 * The phases: prepare (a new CA; ca.pem and every kubeconfig's CA data become old + new; the old
 * CA still signs), switch (every leaf re-issued by the new CA, new keys except the kept
 * service-account key; the new CA signs; trust new + old), finalize (trust the new CA alone; the
 * old CA retired). Abort after prepare: the old CA alone again. Abort after switch: back to
 * prepared (the leaves re-issued by the old CA, trust still both), so that no restart ever meets
 * a certificate its peer does not trust; a second abort then returns to the old CA alone.
 */
import type { CaRotationAction, CaRotationCa, CaRotationNode, CaRotationPhase, CaRotationRequest, CaRotationStatus, CaRotationSummary } from '@kpki/shared';
import { changedByPhase, restartOrder } from '@kpki/shared/ca-rotation';
import type { Deps } from '../context.ts';
import { planOf } from './plans.ts';
import { AppError } from '../lib/errors.ts';
import type { ClusterRow } from '../store/clusters.repository.ts';
import type { RotationRow } from '../store/ca-rotations.repository.ts';
import { certificateColumns } from '../pki/index.ts';
import { getCluster } from './clusters.service.ts';
import { statusReader } from './node-status.ts';
import { writtenNodesFacts, type CaKeyParams } from './distribution.job.ts';

/** The files a phase governs: trust files (prepared, none) or every certificate, key and kubeconfig (switched). */
export type PhaseFiles = 'trust' | 'leaves';
export const filesOfPhase = (phase: CaRotationPhase): PhaseFiles => (phase === 'switched' ? 'leaves' : 'trust');

/** What a POST phase does now. */
export type RotationStep =
  | { step: 'prepare' }
  | { step: 'switch'; rotation: RotationRow }
  | { step: 'finalize'; rotation: RotationRow }
  | { step: 'abort-prepared'; rotation: RotationRow }
  | { step: 'abort-switched'; rotation: RotationRow }
  /** the phase was reached already (an interrupted job run again): write its files again */
  | { step: 'again'; files: PhaseFiles; phase: CaRotationPhase };

export function rotationPhase(r: RotationRow | null): CaRotationPhase {
  return r ? r.phase : 'none';
}

/** Each node against the files the phase says it must hold, as of its last look. */
export function nodesInStep(deps: Deps, row: ClusterRow, files: PhaseFiles): CaRotationNode[] {
  const plan = planOf(row.input);
  const status = statusReader(deps, row, plan);
  return row.input.nodes.map((n) => {
    const s = status(n.name);
    const planned = new Map((plan.files[n.name] ?? []).map((f) => [f.file, f]));
    const off = s.files.filter((f) => changedByPhase(files, planned.get(f.file)!) && f.state !== 'in-sync').map((f) => `${f.file} ${f.state}`);
    const reachable = !['unreachable', 'not-configured', 'not-checked'].includes(s.state);
    const notInStep = s.state === 'nothing-to-hold' ? [] : reachable ? off : [`${s.state}${s.error ? `: ${s.error.message}` : ''}`];
    return { node: n.name, inStep: notInStep.length === 0, state: s.state, notInStep, checkedAt: s.checkedAt };
  });
}

/** Refuses the next phase while a node is not in step with the current one, naming each such node and why. */
function requireInStep(deps: Deps, row: ClusterRow, phase: CaRotationPhase, next: string): void {
  const problem = blockedBy(deps, row, phase, next);
  if (problem) throw new AppError('NODES_NOT_IN_STEP', problem.message, { nodes: problem.nodes });
}

function blockedBy(deps: Deps, row: ClusterRow, phase: CaRotationPhase, next: string): { message: string; nodes: string[] } | null {
  const off = nodesInStep(deps, row, filesOfPhase(phase)).filter((n) => !n.inStep);
  if (!off.length) return null;
  const again = phase === 'prepared' ? 'prepare' : 'switch';
  return {
    nodes: off.map((n) => n.node),
    message: `cannot ${next}: ${off.map((n) => `node ${n.node} is not in step with the ${phase} phase (${n.notInStep.join(', ')})`).join('; ')}. ` +
      `Write the phase's files (POST .../ca-rotation {"phase":"${again}","distribute":true}) or verify the node, restart its components in order, then ${next}`,
  };
}

/** Refuses when a rotation job of the cluster is queued or running. */
function requireNoRunningJob(deps: Deps, row: ClusterRow, except?: string): void {
  const running = ['queued', 'running'].flatMap((status) => deps.jobsRepo.list(row.name, 5, { type: 'ca-rotation', status })).filter((j) => j.id !== except);
  if (running.length) {
    const j = running[0];
    throw new AppError('CA_ROTATION_RUNNING', `a CA rotation job of cluster "${row.name}" is still ${j.status} (phase ${String(j.params.phase)}, job ${j.id}): wait for it to end before starting another`, { jobId: j.id });
  }
}

/**
 * What `action` does on the cluster as it stands, or the refusal. Called when the request comes
 * and again inside the job (under the cluster's issuing lock), so a race or a crash never applies
 * a phase twice.
 */
export function rotationStep(deps: Deps, row: ClusterRow, action: CaRotationAction): RotationStep {
  if (!deps.certificates.getCurrent(row.id, 'ca')) {
    throw new AppError('CA_NOT_FOUND', `cluster "${row.name}" has no CA: there is nothing to rotate; create it (POST .../ca) and issue first`);
  }
  const r = deps.caRotations.active(row.id);
  const last = deps.caRotations.list(row.id)[0] ?? null;
  const phase = rotationPhase(r);
  const since = r ? ` (started ${r.startedAt})` : '';
  switch (action) {
    case 'prepare':
      if (!r) return { step: 'prepare' };
      if (r.phase === 'prepared') return { step: 'again', files: 'trust', phase };
      throw new AppError('CA_ROTATION_IN_PROGRESS', `a CA rotation of cluster "${row.name}" is already in progress, ${r.phase}${since}: finalize or abort it before starting another`);
    case 'switch':
      if (!r) throw new AppError('CA_ROTATION_NOT_STARTED', `no CA rotation is in progress in cluster "${row.name}": start one with {"phase":"prepare"}`);
      if (r.phase === 'switched') return { step: 'again', files: 'leaves', phase };
      requireInStep(deps, row, phase, 'switch');
      return { step: 'switch', rotation: r };
    case 'finalize':
      if (!r) {
        if (last?.status === 'finalized') return { step: 'again', files: 'trust', phase };
        throw new AppError('CA_ROTATION_NOT_STARTED', `no CA rotation is in progress in cluster "${row.name}": start one with {"phase":"prepare"}`);
      }
      if (r.phase === 'prepared') {
        throw new AppError('CA_ROTATION_PHASE', `the CA rotation of cluster "${row.name}" is prepared, not switched: switch first (finalizing now would drop the new CA before it signs anything; to go back, abort)`);
      }
      requireInStep(deps, row, phase, 'finalize');
      return { step: 'finalize', rotation: r };
    case 'abort':
      if (!r) {
        if (last?.status === 'aborted') return { step: 'again', files: 'trust', phase };
        throw new AppError('CA_ROTATION_NOT_STARTED', `no CA rotation is in progress in cluster "${row.name}": there is nothing to abort${last?.status === 'finalized' ? ' (the last one was finalized: its old CA is retired)' : ''}`);
      }
      return r.phase === 'prepared' ? { step: 'abort-prepared', rotation: r } : { step: 'abort-switched', rotation: r };
  }
}

/** POST .../ca-rotation: checks, then starts the phase's job. `caKey`: the CA key rule's decision for whoever asks (distribution part). */
export function startCaRotation(
  deps: Deps, clusterName: string, body: CaRotationRequest, caKey: CaKeyParams,
): { jobId: string; message: string; auditFacts: Record<string, unknown> } {
  const row = getCluster(deps, clusterName);
  requireNoRunningJob(deps, row);
  const step = rotationStep(deps, row, body.phase);
  const jobId = deps.jobs.enqueue('ca-rotation', row, {
    phase: body.phase, distribute: !!body.distribute, ...(body.distribute ? caKey : {}), ...(caKey.startedBy ? { startedBy: caKey.startedBy } : {}),
  });
  const what: Record<RotationStep['step'], string> = {
    prepare: 'creating a new CA; ca.pem and the kubeconfigs will trust both CAs, the old one still signs',
    switch: 're-issuing every certificate with the new CA (new keys; the service-account key kept); the new CA signs, trust stays both',
    finalize: 'ca.pem and the kubeconfigs will trust the new CA alone; the old CA is retired',
    'abort-prepared': 'removing the new CA: ca.pem and the kubeconfigs trust the old CA alone again',
    'abort-switched': 'going back to prepared: every certificate re-issued by the old CA, which signs again; trust stays both (abort again afterwards to drop the new CA)',
    again: `the phase was reached already: writing its files again`,
  };
  // the audit line names the nodes written and those the CA key goes to (as a distribution's does)
  const written = body.distribute ? writtenNodesFacts(row.input, row.input.nodes.map((n) => n.name), caKey.caKey === true) : {};
  return {
    jobId,
    message: `${what[step.step]}${body.distribute ? ', then writing the changed files to every node' : ''}`,
    auditFacts: { phase: body.phase, job: jobId, ...written },
  };
}

function caOf(pem: string, signing: boolean): CaRotationCa {
  const c = certificateColumns(pem);
  return { serial: c.serial, sha256: c.sha256, subject: [`CN=${c.cn}`, c.o && `O=${c.o}`].filter(Boolean).join(', '), notBefore: c.notBefore, notAfter: c.notAfter, signing };
}

/** GET .../ca-rotation. */
export function rotationStatus(deps: Deps, row: ClusterRow): CaRotationStatus {
  const current = deps.certificates.getCurrent(row.id, 'ca');
  const r = deps.caRotations.active(row.id);
  const phase = rotationPhase(r);
  const oldPem = r ? deps.certificates.pemOf(r.oldCaId) : current?.pem ?? null;
  const nodes = current ? nodesInStep(deps, row, filesOfPhase(phase)) : [];
  const forward = phase === 'none' ? 'prepare' : phase === 'prepared' ? 'switch' : 'finalize';
  const next: CaRotationAction[] = !current ? [] : phase === 'none' ? ['prepare'] : [forward, 'abort'];
  const blocked = phase !== 'none' && current ? blockedBy(deps, row, phase, forward)?.message ?? null : null;
  return {
    phase,
    oldCa: oldPem ? caOf(oldPem, phase !== 'switched') : null,
    newCa: r ? caOf(r.newCaPem, phase === 'switched') : null,
    nodes, next, blocked,
    restartOrder: restartOrder(row.input),
    crossSigned: r !== null,
    startedAt: r?.startedAt ?? null,
    history: deps.caRotations.list(row.id).map((h) => ({
      id: h.id, status: h.status, phase: h.phase,
      oldCaSerial: certificateColumns(deps.certificates.pemOf(h.oldCaId)).serial, newCaSerial: certificateColumns(h.newCaPem).serial,
      startedAt: h.startedAt, updatedAt: h.updatedAt, endedAt: h.endedAt,
    })),
  };
}

/**
 * GET .../ca-rotation?view=summary: the phase and, while a rotation is in progress, how many nodes
 * are in step with it (nodesInStep, the full answer's judgement, made once); without a rotation no
 * node is judged and nothing else is read.
 */
export function rotationSummary(deps: Deps, row: ClusterRow): CaRotationSummary {
  const r = deps.caRotations.active(row.id);
  const phase = rotationPhase(r);
  if (phase === 'none') return { phase, startedAt: null, nodes: null, nodesInStep: null };
  const nodes = deps.certificates.getCurrent(row.id, 'ca') ? nodesInStep(deps, row, filesOfPhase(phase)) : [];
  return { phase, startedAt: r?.startedAt ?? null, nodes: nodes.length, nodesInStep: nodes.filter((n) => n.inStep).length };
}

/** GET .../ca-rotation/cross-signed.pem: the new CA signed by the old CA's key; 404 when no rotation is in progress. */
export function crossSignedPem(deps: Deps, row: ClusterRow): string {
  const r = deps.caRotations.active(row.id);
  if (!r) throw new AppError('NOT_FOUND', `no CA rotation is in progress in cluster "${row.name}": the cross-signed CA exists only during one (start it with {"phase":"prepare"})`);
  return r.crossSignedPem;
}
