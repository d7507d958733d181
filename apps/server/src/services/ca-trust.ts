/**
 * What a node must trust, and which trust files kpki ever wrote (issue 13). Without a rotation the
 * trust file (ca.pem, every kubeconfig's CA data) is the current CA. During a rotation it is the
 * bundle of both CAs, the signing CA first (ca-key.pem is its key, and Go's tls.X509KeyPair takes
 * the first certificate of the file as the key's): prepared = old + new, switched = new + old.
 * Finalized: the new CA alone (it is then the current CA). Read at every read of a node's state,
 * so the phase alone decides what a node must hold.
 */
import type { KnownContent } from '@kpki/shared/drift';
import type { Deps } from '../context.ts';
import { sha256Hex } from '../store/certificates.repository.ts';
import type { RotationRow } from '../store/ca-rotations.repository.ts';

/** The trust bundle of a rotation in a phase: the signing CA first. */
export function bundleOf(deps: Deps, r: RotationRow, phase: RotationRow['phase']): string {
  const oldPem = deps.certificates.pemOf(r.oldCaId);
  return phase === 'prepared' ? oldPem + r.newCaPem : r.newCaPem + oldPem;
}

/** The PEM every trust file holds now (ca.pem on every node, the kubeconfigs' CA data); null before the CA exists. */
export function caTrustPem(deps: Deps, clusterId: number): string | null {
  const current = deps.certificates.getCurrent(clusterId, 'ca');
  if (!current) return null;
  const r = deps.caRotations.active(clusterId);
  return r ? bundleOf(deps, r, r.phase) : current.pem;
}

/** Every trust bundle the cluster's rotations made, by SHA-256: its PEM, and whether the active rotation's phase says the nodes hold it now. */
export function trustBundles(deps: Deps, clusterId: number): Map<string, { pem: string; current: boolean; rotation: RotationRow; phase: 'prepared' | 'switched' }> {
  const out = new Map<string, { pem: string; current: boolean; rotation: RotationRow; phase: 'prepared' | 'switched' }>();
  for (const r of deps.caRotations.list(clusterId)) {
    for (const phase of ['prepared', 'switched'] as const) {
      const current = r.status === 'active' && r.phase === phase;
      const pem = bundleOf(deps, r, phase);
      const sha = sha256Hex(pem);
      if (!out.has(sha) || current) out.set(sha, { pem, current, rotation: r, phase });
    }
  }
  return out;
}

/**
 * The trust bundles of every rotation of the cluster, by SHA-256, as identifyContent names them:
 * ca.pem, current when it is what the active rotation's phase says, else an earlier version.
 * Also: while a rotation is active, a ca.pem holding one CA alone is not the current one.
 */
export function trustVersions(deps: Deps, clusterId: number): { bundles: Map<string, KnownContent>; active: RotationRow | null } {
  const bundles = new Map<string, KnownContent>();
  for (const [sha, { current, rotation: r, phase }] of trustBundles(deps, clusterId)) {
    const supersededAt = current ? null : (phase === 'prepared' ? (r.switchedAt ?? r.endedAt ?? r.updatedAt) : (r.endedAt ?? r.updatedAt));
    bundles.set(sha, { file: 'ca.pem', serial: null, current, supersededAt });
  }
  return { bundles, active: deps.caRotations.active(clusterId) };
}
