/**
 * Lean answers of GET /clusters/{cluster}/plan?view=... for pages of a large cluster: each is the
 * full plan (buildPlan) trimmed to what one page reads, computed from it, so the two never
 * disagree. Pure. The full plan of 1,000 nodes is about 2 MB (every kubelet certificate with its
 * SANs and reasons, every node's files, every kubeconfig); these are a few tens of kB.
 *
 * - `talks`: the who-talks-to-whom page (matrix, identities, SANs of the servers).
 * - `ca-key-files`: the files under the CA key rule per node (ca-key.pem, admin.kubeconfig): what
 *   a distribution asks about before it sends them.
 */
import Type from 'typebox';
import { underCaKeyRule } from './distribution.ts';
import { MatrixRow, PlannedCertificate, PlannedFile, type Plan, type SanEntry } from './plan.ts';

/** The kubelet certificates a `talks` view carries in full (the first ones, in topology order); a page groups them past this many. */
export const KUBELETS_IN_FULL = 10;

/**
 * A kubelet SAN's reason with its own node's name left out, so that the same reason on every
 * kubelet groups together: "worker w7: ..." -> "workers: ...". The catalog's kubelet reasons
 * ("worker hostname: ...", "worker address: ...") name no node and stay as they are.
 */
export function kubeletSanReason(reason: string, node: string): string {
  const prefix = `worker ${node}: `;
  return reason.startsWith(prefix) ? `workers: ${reason.slice(prefix.length)}` : reason;
}

/** Across every kubelet certificate: the SANs there for one reason (kubeletSanReason). */
export const KubeletSanGroup = Type.Object({
  /** the reason, the node's own name left out (kubeletSanReason) */
  reason: Type.String(),
  type: Type.Union([Type.Literal('dns'), Type.Literal('ip'), Type.Literal('ip and dns')]),
  /** how many SANs, over every kubelet certificate */
  sans: Type.Integer({ minimum: 0 }),
  /** how many kubelet certificates have at least one */
  certificates: Type.Integer({ minimum: 0 }),
});
export type KubeletSanGroup = Type.Static<typeof KubeletSanGroup>;

/** GET /clusters/{cluster}/plan?view=talks */
export const PlanTalksView = Type.Object({
  view: Type.Literal('talks'),
  /** the plan's certificates, in its order, without the kubelet certificates past the first KUBELETS_IN_FULL */
  certificates: Type.Array(PlannedCertificate, { description: "the plan's certificates without the kubelet certificates past the first 10 (kubelets has them all, counted)" }),
  /** the plan's matrixRows, unchanged */
  matrixRows: Type.Array(MatrixRow),
  /** every kubelet certificate, counted */
  kubelets: Type.Object({
    /** their names, in topology order */
    names: Type.Array(Type.String()),
    /** how many SANs in all */
    sans: Type.Integer({ minimum: 0 }),
    /** their SANs grouped by reason, in order of first appearance */
    sanGroups: Type.Array(KubeletSanGroup),
  }),
});
export type PlanTalksView = Type.Static<typeof PlanTalksView>;

/** GET /clusters/{cluster}/plan?view=ca-key-files */
export const PlanCaKeyFilesView = Type.Object({
  view: Type.Literal('ca-key-files'),
  /** node name -> its planned files under the CA key rule; nodes without any are left out */
  files: Type.Record(Type.String(), Type.Array(PlannedFile)),
});
export type PlanCaKeyFilesView = Type.Static<typeof PlanCaKeyFilesView>;

export type PlanView = 'talks' | 'ca-key-files';

/** The kubelets' SANs grouped by reason (kubeletSanReason, the node being the certificate's name): how many SANs, how many certificates. */
export function kubeletSanGroups(kubelets: ReadonlyArray<{ name: string; sans: readonly SanEntry[] }>): KubeletSanGroup[] {
  const groups = new Map<string, KubeletSanGroup>();
  for (const c of kubelets) {
    const seen = new Set<string>();
    for (const s of c.sans) {
      const reason = kubeletSanReason(s.reason, c.name);
      let g = groups.get(reason);
      if (!g) groups.set(reason, (g = { reason, type: s.type, sans: 0, certificates: 0 }));
      g.sans++;
      if (g.type !== s.type) g.type = 'ip and dns';
      if (!seen.has(reason)) {
        seen.add(reason);
        g.certificates++;
      }
    }
  }
  return [...groups.values()];
}

export function planTalksView(plan: Plan): PlanTalksView {
  const kubelets = plan.certificates.filter((c) => c.kind === 'kubelet');
  const inFull = new Set(kubelets.slice(0, KUBELETS_IN_FULL));
  return {
    view: 'talks',
    certificates: plan.certificates.filter((c) => c.kind !== 'kubelet' || inFull.has(c)),
    matrixRows: plan.matrixRows,
    kubelets: { names: kubelets.map((c) => c.name), sans: kubelets.reduce((n, c) => n + c.sans.length, 0), sanGroups: kubeletSanGroups(kubelets) },
  };
}

export function planCaKeyFilesView(plan: Plan): PlanCaKeyFilesView {
  const files: Record<string, PlannedFile[]> = {};
  for (const [node, list] of Object.entries(plan.files)) {
    const under = list.filter(underCaKeyRule);
    if (under.length) files[node] = under;
  }
  return { view: 'ca-key-files', files };
}
