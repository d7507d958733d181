/**
 * What a topology change requires (issue 10): the issued certificates compared with the plan of
 * the current topology, field by field, and the files each node would receive. Pure: the server
 * reads the facts from the certificates and the nodes' last known file states, and so can any
 * other consumer (e.g. link checks of the "planned" topology).
 */
import type { ClusterInput, KeyAlgorithm } from './api/cluster.ts';
import type { CaChange, CertificateChange, CertificateChangeKind, ChangeSet, FieldDifference, NodeChange, NodeFileWrite } from './api/lifecycle.ts';
import type { FileState } from './api/nodes.ts';
import type { PlannedCertificate, PlannedFile, PlannedKubeconfig, SanEntry } from './plan.ts';
import { buildCatalog, nodesWithRole } from './catalog.ts';
import { buildFiles, isCaKeyFile } from './distribution.ts';
import { buildKubeconfigs } from './kubeconfigs.ts';
import { normalizeIp } from './net.ts';

export type SubjectKey = 'C' | 'ST' | 'L' | 'O' | 'OU' | 'CN';
const SUBJECT_KEYS: readonly SubjectKey[] = ['C', 'ST', 'L', 'O', 'OU', 'CN'];

/** What an issued certificate says, as far as the plan decides it. */
export interface IssuedFacts {
  name: string;
  serial: string;
  /** subject attributes present in the certificate (several values joined with ", ") */
  subject: Partial<Record<SubjectKey, string>>;
  sans: Array<{ type: 'dns' | 'ip'; value: string }>;
  /** key usage and extended key usage names, as the plan writes them ("digital signature", "server auth") */
  usages: string[];
  keyAlgorithm: KeyAlgorithm;
  notBefore: string;
  notAfter: string;
}

export interface ChangeInput {
  /** the current topology */
  cluster: ClusterInput;
  /** the current version of every issued certificate, the CA's included */
  issued: IssuedFacts[];
  /**
   * node -> file -> its last known state on the node. A file that is not "in-sync" there (or a
   * node or file absent from this map) is written by the next distribution.
   */
  held?: Record<string, Record<string, FileState>>;
  /**
   * node -> kubeconfig file -> the server URL written in the version the node holds, where it is
   * known (the server tells it from the recorded versions): a kubeconfig held for another server
   * is written with that reason ("server address changed: ...") instead of a generic one.
   */
  heldServers?: Record<string, Record<string, string>>;
}

/** The subject a plan entry gets: C, ST, L from the cluster, O, OU, CN from the plan; empty ones absent. */
export function plannedSubject(planned: PlannedCertificate, cluster: ClusterInput): Partial<Record<SubjectKey, string>> {
  const parts: Record<SubjectKey, string> = {
    C: cluster.subject.C, ST: cluster.subject.ST, L: cluster.subject.L, O: planned.o, OU: planned.ou || cluster.subject.OU, CN: planned.cn,
  };
  return Object.fromEntries(Object.entries(parts).filter(([, v]) => v !== '')) as Partial<Record<SubjectKey, string>>;
}

const sanKey = (type: string, value: string) => `${type}:${type === 'ip' ? (normalizeIp(value) ?? value) : value.toLowerCase()}`;
const HOUR = 3_600_000;
const hoursOf = (f: IssuedFacts) => Math.round((Date.parse(f.notAfter) - Date.parse(f.notBefore)) / HOUR);
const quoted = (v: string | undefined) => (v === undefined ? '(none)' : `"${v}"`);

function subjectDifferences(planned: PlannedCertificate, cluster: ClusterInput, issued: IssuedFacts): FieldDifference[] {
  const want = plannedSubject(planned, cluster);
  const out: FieldDifference[] = [];
  for (const key of SUBJECT_KEYS) {
    const from = issued.subject[key];
    const to = want[key];
    if (from === to) continue;
    const why = ['C', 'ST', 'L'].includes(key) || (key === 'OU' && !planned.ou) ? "the cluster's subject changed" : "the catalog's identity for it changed";
    out.push({
      field: `subject.${key}`, change: from === undefined ? 'added' : to === undefined ? 'removed' : 'changed', from: from ?? null, to: to ?? null,
      reason: `subject ${key} ${quoted(from)} -> ${quoted(to)}: ${why}`,
    });
  }
  return out;
}

function sanDifferences(planned: SanEntry[], issued: IssuedFacts): FieldDifference[] {
  const have = new Set(issued.sans.map((s) => sanKey(s.type, s.value)));
  const want = new Set(planned.map((s) => sanKey(s.type, s.value)));
  const out: FieldDifference[] = [];
  for (const s of planned) {
    if (!have.has(sanKey(s.type, s.value))) out.push({ field: 'san', change: 'added', from: null, to: s.value, reason: `SAN ${s.value} added: ${s.reason}` });
  }
  for (const s of issued.sans) {
    if (!want.has(sanKey(s.type, s.value))) {
      out.push({ field: 'san', change: 'removed', from: s.value, to: null, reason: `SAN ${s.value} removed: nothing in the current topology needs it` });
    }
  }
  return out;
}

function usageDifference(planned: string[], issued: IssuedFacts): FieldDifference[] {
  const a = [...issued.usages].sort();
  const b = [...planned].sort();
  if (a.join('|') === b.join('|')) return [];
  return [{ field: 'usages', change: 'changed', from: issued.usages.join(', '), to: planned.join(', '), reason: `usages ${issued.usages.join(', ')} -> ${planned.join(', ')}: the signing profile changed` }];
}

function algorithmDifference(issued: IssuedFacts, want: KeyAlgorithm, whose: string): FieldDifference[] {
  if (issued.keyAlgorithm === want) return [];
  return [{ field: 'keyAlgorithm', change: 'changed', from: issued.keyAlgorithm, to: want, reason: `key algorithm ${issued.keyAlgorithm} -> ${want}: ${whose} key algorithm changed` }];
}

/**
 * Validity: a leaf whose notAfter was capped at the CA's notAfter counts as unchanged while the
 * plan asks for at least what it got (it would be capped again).
 */
function validityDifference(issued: IssuedFacts, wantHours: number, caNotAfter: string | null, whose: string): FieldDifference[] {
  const hours = hoursOf(issued);
  const capped = caNotAfter !== null && Date.parse(issued.notAfter) >= Date.parse(caNotAfter);
  if (hours === wantHours || (capped && wantHours >= hours)) return [];
  return [{ field: 'validity', change: 'changed', from: `${hours}h`, to: `${wantHours}h`, reason: `validity ${hours}h -> ${wantHours}h: ${whose} validity changed` }];
}

/**
 * Every field in which a certificate differs from its plan entry: subject, SANs (leaves), usages
 * (leaves), key algorithm and validity (the CA's validity for the CA, the cluster's certificate
 * validity for a leaf, a leaf capped at `caNotAfter` counting as unchanged). What the change
 * review calls outdated, and what an import reports as differences from the plan.
 */
export function planDifferences(cluster: ClusterInput, planned: PlannedCertificate, issued: IssuedFacts, caNotAfter: string | null): FieldDifference[] {
  if (planned.isCa) {
    return [
      ...subjectDifferences(planned, cluster, issued),
      ...algorithmDifference(issued, cluster.keyAlgorithm, "the cluster's"),
      ...validityDifference(issued, cluster.caValidityHours, null, "the CA's"),
    ];
  }
  return [
    ...subjectDifferences(planned, cluster, issued),
    ...sanDifferences(planned.sans, issued),
    ...usageDifference(planned.usages, issued),
    ...algorithmDifference(issued, cluster.keyAlgorithm, "the cluster's"),
    ...validityDifference(issued, cluster.certValidityHours, caNotAfter, "the cluster's certificate"),
  ];
}

function compareCa(cluster: ClusterInput, planned: PlannedCertificate, ca: IssuedFacts | undefined): CaChange {
  if (!ca) return { change: 'missing', differences: [], message: 'the cluster has no CA yet: create it first (POST .../ca)' };
  const differences = planDifferences(cluster, planned, ca, null);
  if (!differences.length) return { change: 'unchanged', differences, message: 'the CA matches the plan' };
  return {
    change: 'rotation-required', differences,
    message: `the CA differs from the plan (${differences.map((d) => d.field).join(', ')}): that needs a CA rotation (trust both CAs, switch, finalize), which apply does not do; apply re-issues the leaves under the current CA`,
  };
}

function compareLeaf(cluster: ClusterInput, planned: PlannedCertificate, issued: IssuedFacts | undefined, caNotAfter: string | null): CertificateChange {
  const base = { name: planned.name, kind: planned.kind, recipients: planned.recipients };
  if (!issued) {
    return { ...base, change: 'new', serial: null, differences: [], newKey: true, reason: `new certificate: ${planned.usedBy} (${planned.usedFor})` };
  }
  const differences = planDifferences(cluster, planned, issued, caNotAfter);
  const algorithmChanged = differences.some((d) => d.field === 'keyAlgorithm');
  return {
    ...base, serial: issued.serial, differences,
    change: differences.length ? 'outdated' : 'unchanged',
    newKey: !planned.keepsKey || algorithmChanged,
    reason: differences.map((d) => d.reason).join('; '),
  };
}

/** Why the next distribution writes a file whose node state is not in-sync. */
const PENDING: Record<Exclude<FileState, 'in-sync'>, string> = {
  missing: 'the node does not hold it',
  stale: 'the node holds an earlier version',
  foreign: 'the node holds content kpki did not issue',
  mode: "the node's copy has the wrong mode",
  unknown: 'the node was not looked at yet',
};

/** Why a file the node already should hold would be written (null: it holds it in sync). */
function pendingReason(f: PlannedFile, state: FileState | undefined): string | null {
  if (state === 'in-sync') return null;
  const why = state === undefined ? 'the node has not received it yet' : PENDING[state];
  return isCaKeyFile(f) ? `${why} (only a distribution by an admin who re-entered the password writes the CA key)` : why;
}

/** The host of a server URL ("https://10.0.0.1:6443" -> "10.0.0.1", "https://[fd00::1]:6443" -> "fd00::1"), null when it is none. */
export function serverHost(url: string): string | null {
  const m = /^https:\/\/(?:\[([^\]]+)\]|([^:/]+))(?::\d+)?\/?$/.exec(url);
  return m ? (m[1] ?? m[2]) : null;
}

/**
 * Why a kubeconfig held for `from` is written now that it reaches `k.server`: the load balancer
 * moved ("load balancer lb moved from 192.168.56.20 to 192.168.56.30"), or the server changed
 * with the reason the plan gives for the new one.
 */
export function serverChangeReason(cluster: ClusterInput, k: PlannedKubeconfig, from: string): string {
  const lb = nodesWithRole(cluster, 'load-balancer')[0];
  const [oldHost, newHost] = [serverHost(from), serverHost(k.server)];
  const samePort = from.slice(from.lastIndexOf(':')) === k.server.slice(k.server.lastIndexOf(':'));
  if (lb && newHost === k.serverAddress && lb.addresses[0] === newHost && oldHost && oldHost !== newHost && samePort) {
    return `server address changed: load balancer ${lb.name} moved from ${oldHost} to ${newHost}`;
  }
  return `server address changed: ${from} -> ${k.server} (${k.serverReason})`;
}

function nodeWrites(
  cluster: ClusterInput, catalog: PlannedCertificate[], changes: Map<string, CertificateChange>, held: ChangeInput['held'], heldServers: ChangeInput['heldServers'],
): NodeChange[] {
  const files = buildFiles(cluster, catalog);
  const kubeconfigs = new Map(buildKubeconfigs(cluster, catalog).map((k) => [k.name, k]));
  const out: NodeChange[] = [];
  for (const node of cluster.nodes) {
    const writes = (files[node.name] ?? []).flatMap((f): NodeFileWrite[] => {
      if (f.part === 'kubeconfig') {
        // derived from the current certificates: a new version when one it embeds is re-issued
        const embedded = ['ca', f.certificate!].map((n) => changes.get(n)).filter((c) => c?.change === 'new' || c?.change === 'outdated');
        if (embedded.length) {
          const what = embedded.map((c) => `${c!.name} (${c!.change === 'new' ? 'new' : 're-issued'})`).join(' and ');
          return [{ file: f.file, certificate: f.certificate, reason: `regenerated: it embeds ${what}` }];
        }
      }
      const c = f.part === 'cert' || f.part === 'key' ? changes.get(f.certificate!) : undefined;
      if (c?.change === 'new') return [{ file: f.file, certificate: f.certificate, reason: 'new certificate' }];
      if (c?.change === 'outdated' && (f.part === 'cert' || c.newKey)) {
        return [{ file: f.file, certificate: f.certificate, reason: `re-issued: ${c.differences.map((d) => d.field).filter((v, i, a) => a.indexOf(v) === i).join(', ')} changed` }];
      }
      const state = held?.[node.name]?.[f.file];
      const k = f.part === 'kubeconfig' ? kubeconfigs.get(f.kubeconfig!) : undefined;
      const server = heldServers?.[node.name]?.[f.file];
      if (k && state !== 'in-sync' && server && server !== k.server) {
        return [{ file: f.file, certificate: f.certificate, reason: serverChangeReason(cluster, k, server) }];
      }
      const reason = pendingReason(f, state);
      return reason ? [{ file: f.file, certificate: f.certificate, reason }] : [];
    });
    if (writes.length) out.push({ node: node.name, files: writes });
  }
  return out;
}

/**
 * Compares the issued certificates with the plan of `cluster`: every leaf of the plan is `new`
 * (never issued), `outdated` (with each field difference and its reason) or `unchanged`; an
 * issued leaf the plan no longer has is `retired`. The CA is compared separately: a difference
 * there needs a CA rotation. `nodes` lists, per node, the files a distribution would write
 * after the new and outdated certificates are issued (a key that is kept is not rewritten; a
 * kubeconfig is regenerated when a certificate it embeds is re-issued) plus any file the node
 * does not hold in sync yet (e.g. a kubeconfig whose server address changed: with `heldServers`
 * the reason names the old and the new address).
 * Assumes a cluster that passed validateCluster.
 */
export function computeChanges(input: ChangeInput): ChangeSet {
  const { cluster } = input;
  const catalog = buildCatalog(cluster);
  const issued = new Map(input.issued.map((f) => [f.name, f]));
  const caPlanned = catalog.find((c) => c.isCa)!;
  const caFacts = issued.get(caPlanned.name);
  const ca = compareCa(cluster, caPlanned, caFacts);
  const certificates = catalog.filter((c) => !c.isCa).map((c) => compareLeaf(cluster, c, issued.get(c.name), caFacts?.notAfter ?? null));
  const planned = new Set(catalog.map((c) => c.name));
  for (const f of input.issued) {
    if (planned.has(f.name)) continue;
    certificates.push({
      name: f.name, kind: null, change: 'retired', serial: f.serial, differences: [], recipients: [], newKey: false,
      reason: `the plan has no certificate "${f.name}" any more (its node was removed): it is marked retired, no file is deleted anywhere`,
    });
  }
  const byName = new Map(certificates.map((c) => [c.name, c]));
  byName.set(caPlanned.name, {
    name: caPlanned.name, kind: 'ca', change: caFacts ? 'unchanged' : 'new', serial: caFacts?.serial ?? null, differences: [], reason: '',
    recipients: caPlanned.recipients, newKey: false,
  });
  const nodes = nodeWrites(cluster, catalog, byName, input.held, input.heldServers);
  const counts: Record<CertificateChangeKind, number> = { new: 0, outdated: 0, retired: 0, unchanged: 0 };
  for (const c of certificates) counts[c.change]++;
  const nothingToDo = counts.new + counts.outdated + counts.retired === 0;
  const fileCount = nodes.reduce((n, x) => n + x.files.length, 0);
  const parts = (['outdated', 'new', 'retired'] as const).filter((k) => counts[k]).map((k) => `${counts[k]} ${k}`);
  const summary = `${parts.length ? parts.join(', ') : 'no certificate to re-issue'}, ${counts.unchanged} unchanged; ` +
    (nodes.length ? `${nodes.length} node(s) would receive ${fileCount} file(s)` : 'no node receives a file') +
    (ca.change === 'rotation-required' ? '; the CA differs: CA rotation needed' : '');
  return { ca, certificates, nodes, counts, nothingToDo, summary };
}

/** Names of the certificates an apply issues (new and outdated), in catalog order. */
export function certificatesToIssue(changes: ChangeSet): string[] {
  return changes.certificates.filter((c) => c.change === 'new' || c.change === 'outdated').map((c) => c.name);
}
