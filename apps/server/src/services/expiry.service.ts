/**
 * Expiry at a glance (issue 10): every current certificate and the CA against the cluster's
 * thresholds, and the certificates the nodes hold as of their last look (certificate files and
 * the client certificates embedded in kubeconfigs), so that a node still holding an older version
 * that expires sooner is named.
 */
import type { CertificateExpiry, DeployedExpiry, ExpiryAttention, ExpiryReport, ExpirySummary, SoonestExpiry } from '@kpki/shared';
import { CA_EXPIRY_THRESHOLDS, expiresIn, expiryOf, expiryThresholds, thresholdsFor } from '@kpki/shared/expiry';
import type { Deps } from '../context.ts';
import { planOf } from './plans.ts';
import type { ClusterRow } from '../store/clusters.repository.ts';
import type { CertificateRow, PemVersion, StoredCertificate } from '../store/certificates.repository.ts';
import { statusReader, targetOf } from './node-status.ts';

/** Whether a leaf's notAfter was capped at its CA's (it ends when the CA ends, or later would have). */
export const notAfterCapped = (c: Pick<StoredCertificate, 'name' | 'notAfter'>, ca: Pick<StoredCertificate, 'notAfter'> | null) =>
  c.name !== 'ca' && ca !== null && Date.parse(c.notAfter) >= Date.parse(ca.notAfter);

/**
 * The certificate a node file holds: a certificate file kpki issued, or the client certificate a
 * kubeconfig kpki generated embeds (its last embedded PEM; the first is the CA's). Null for keys,
 * the encryption config and content kpki never wrote. For one read of every node: every version
 * by its PEM's hash and what every kubeconfig version embeds, read in one query each (a query
 * per file of a thousand nodes cost most of GET .../expiry), when first needed.
 */
function certificateFinder(deps: Deps, row: ClusterRow): (sha256: string) => PemVersion | null {
  let byPem: Map<string, PemVersion> | null = null;
  let embeds: Map<string, string[]> | null = null;
  const issued = (sha256: string) => (byPem ??= deps.certificates.versionsByPemSha256(row.id)).get(sha256) ?? null;
  return (sha256) => {
    const found = issued(sha256);
    if (found) return found;
    const e = (embeds ??= deps.generatedFiles.embedsBySha(row.id)).get(sha256);
    return e && e.length >= 2 ? issued(e[e.length - 1]) : null;
  };
}

/** "worker1.pem serial 1f2e3d4c.." or "worker1.kubeconfig with worker1 serial 1f2e3d4c..". */
const held = (file: string, c: PemVersion) => `${file}${file.endsWith('.pem') ? '' : ` with ${c.name}`} serial ${c.serial.slice(0, 8)}..`;

/** The deployed versions of the cluster's certificates (files and kubeconfigs), from each node's last known status. */
function deployedVersions(deps: Deps, row: ClusterRow, now: Date, current: Map<string, CertificateRow>): DeployedExpiry[] {
  const statusOf = statusReader(deps, row, planOf(row.input));
  const certificateIn = certificateFinder(deps, row);
  const out: DeployedExpiry[] = [];
  for (const node of row.input.nodes) {
    const status = statusOf(node.name);
    for (const f of status.files) {
      if (!f.remoteSha256 || f.file.endsWith('-key.pem')) continue;
      const version = certificateIn(f.remoteSha256);
      if (!version) continue; // no certificate kpki issued
      const e = expiryOf(version.notAfter, now, thresholdsFor(version.name, row.input));
      const newer = current.get(version.name);
      const isCurrent = version.status === 'current';
      const sooner = !isCurrent && newer !== undefined && Date.parse(version.notAfter) < Date.parse(newer.notAfter);
      out.push({
        node: node.name, file: f.file, name: version.name, serial: version.serial, notAfter: version.notAfter, ...e,
        current: isCurrent, checkedAt: status.filesCheckedAt,
        message: sooner
          ? `${node.name} holds ${held(f.file, version)}: ${expiresIn(e.residualSeconds)}; a renewed version exists (serial ${newer.serial.slice(0, 8)}..): redistribute`
          : !isCurrent ? `${node.name} holds ${held(f.file, version)}, a ${version.status} version: redistribute` : null,
      });
    }
  }
  return out.sort((a, b) => a.residualSeconds - b.residualSeconds);
}

/** GET .../expiry at deps.now(). */
export function expiryReport(deps: Deps, row: ClusterRow): ExpiryReport {
  const now = deps.now();
  const t = expiryThresholds(row.input);
  const kinds = new Map(planOf(row.input).certificates.map((c) => [c.name, c.kind]));
  const all = deps.certificates.listCurrentRows(row.id);
  const caRow = all.find((c) => c.name === 'ca') ?? null;
  const entry = (c: CertificateRow): CertificateExpiry => ({
    name: c.name, kind: kinds.get(c.name) ?? null, serial: c.serial, notAfter: c.notAfter, ...expiryOf(c.notAfter, now, thresholdsFor(c.name, row.input)),
    notAfterCapped: notAfterCapped(c, caRow),
  });
  const certificates = all.filter((c) => c.name !== 'ca').map(entry).sort((a, b) => a.residualSeconds - b.residualSeconds);
  const deployed = deployedVersions(deps, row, now, new Map(all.map((c) => [c.name, c])));
  const ca = caRow ? entry(caRow) : null;
  const candidates: SoonestExpiry[] = [
    ...(ca ? [ca] : []), ...certificates,
    ...deployed.filter((d) => !d.current).map((d) => ({ ...d, node: d.node })),
  ].map((c) => ({
    name: c.name, serial: c.serial, notAfter: c.notAfter, residualSeconds: c.residualSeconds, state: c.state,
    ...('node' in c && c.node ? { node: c.node } : {}),
  }));
  const soonest = candidates.reduce<SoonestExpiry | null>((s, c) => (s === null || c.residualSeconds < s.residualSeconds ? c : s), null);
  return { now: now.toISOString(), thresholds: t, caThresholds: CA_EXPIRY_THRESHOLDS, certificates, ca, deployed, soonest };
}

/**
 * GET .../expiry?view=summary at deps.now(): summariseExpiry(expiryReport(...)), computed without
 * the report and without judging any node's state. The leaves and the CA come from the
 * certificates table; the older versions nodes hold from each node's last look at the files it must
 * hold (the look at its SSH target in force, as node-status reads it), each content found as the
 * report finds it (certificateFinder). Nothing is kept between reads.
 */
export function expirySummary(deps: Deps, row: ClusterRow): ExpirySummary {
  const now = deps.now();
  const attention: ExpiryAttention = { warning: 0, critical: 0, expired: 0 };
  type Version = Pick<PemVersion, 'name' | 'serial' | 'notAfter'>;
  const judge = (v: Version, node?: string): SoonestExpiry => {
    const e = expiryOf(v.notAfter, now, thresholdsFor(v.name, row.input));
    if (e.state !== 'ok') attention[e.state]++;
    return { name: v.name, serial: v.serial, notAfter: v.notAfter, ...e, ...(node ? { node } : {}) };
  };
  // the first of the soonest in the report's order: the CA, the leaves, the older versions nodes hold (each group soonest first, stable)
  const sooner = (s: SoonestExpiry | null, c: SoonestExpiry) => (s === null || c.residualSeconds < s.residualSeconds ? c : s);
  let ca: SoonestExpiry | null = null;
  let leaf: SoonestExpiry | null = null;
  let held: SoonestExpiry | null = null;
  for (const c of deps.certificates.listCurrentRows(row.id)) {
    if (c.name === 'ca') ca ??= judge(c);
    else leaf = sooner(leaf, judge(c));
  }
  const plan = planOf(row.input);
  const certificateIn = certificateFinder(deps, row);
  const observations = deps.clusters.observations(row.id);
  for (const node of row.input.nodes) {
    const files = plan.files[node.name] ?? [];
    const seen = files.length ? observations.get(node.name)?.seen : undefined;
    if (!seen || seen.target !== targetOf(row.input, node)) continue;
    for (const f of files) {
      const sha256 = f.file in seen.files ? seen.files[f.file]?.sha256 : undefined;
      if (!sha256 || f.file.endsWith('-key.pem')) continue;
      const v = certificateIn(sha256);
      if (v && v.status !== 'current') held = sooner(held, judge(v, node.name));
    }
  }
  const soonest = [ca, leaf, held].reduce<SoonestExpiry | null>((s, c) => (c === null ? s : sooner(s, c)), null);
  return { now: now.toISOString(), attention, soonest };
}

/** The soonest expiry of a cluster (for lists), null before anything is issued. */
export function soonestExpiry(deps: Deps, row: ClusterRow): SoonestExpiry | null {
  return expirySummary(deps, row).soonest;
}
