/**
 * The content of every planned file, and the generated ones in particular: a kubeconfig is
 * rendered from the current CA and client certificate (so it can never fall behind them: a
 * renewal or re-issue changes it in the same transaction that stores the certificate), and each
 * version's SHA-256 is recorded so that an earlier one on a node reads as stale. The encryption
 * config's key is created once per cluster and sealed like a private key.
 */
import type { KubeconfigSummary, Plan, PlannedFile, PlannedKubeconfig } from '@kpki/shared';
import { ENCRYPTION_CONFIG_FILE, buildKubeconfigs, configSettings, generatedFileName } from '@kpki/shared/kubeconfigs';
import { buildCatalog } from '@kpki/shared/catalog';
import type { KnownContent } from '@kpki/shared/drift';
import { underCaKeyRule } from '@kpki/shared/distribution';
import type { Deps } from '../context.ts';
import { planOf as memoPlanOf } from './plans.ts';
import { AppError } from '../lib/errors.ts';
import type { ClusterRow } from '../store/clusters.repository.ts';
import { sha256Hex, type CurrentFile } from '../store/certificates.repository.ts';
import { caTrustPem } from './ca-trust.ts';
import type { GeneratedVersion } from '../store/generated-files.repository.ts';
import { newEncryptionKey, renderEncryptionConfig, renderKubeconfig } from '../kube/config-files.ts';

/** A file's current version: its SHA-256, and its content when asked for. */
export interface FileVersion {
  sha256: string;
  content: string | null;
}

/** Bump when the rendering changes, so every kubeconfig gets a new version. */
const KUBECONFIG_FORMAT = 1;

/**
 * The CA data every kubeconfig embeds: the current CA certificate, or during a CA rotation the
 * bundle of both CAs (ca-trust.ts). Null before the CA exists.
 */
export function kubeconfigCaPem(deps: Deps, row: ClusterRow): string | null {
  return caTrustPem(deps, row.id);
}

/** The fingerprint of what a kubeconfig version is rendered from (recorded with each version as `inputs`). */
function kubeconfigInputs(k: Pick<PlannedKubeconfig, 'cluster' | 'context' | 'server' | 'user'>, caPemSha256: string, certPemSha256: string, keySha256: string): string {
  return sha256Hex(JSON.stringify([KUBECONFIG_FORMAT, k.cluster, k.context, k.server, k.user, caPemSha256, certPemSha256, keySha256]));
}

/** The kubeconfigs a recorded topology (JSON) planned; none when it cannot be read as a topology any more. */
function kubeconfigsOf(topology: string): PlannedKubeconfig[] {
  try {
    const cluster = JSON.parse(topology) as ClusterRow['input'];
    return buildKubeconfigs(cluster, buildCatalog(cluster));
  } catch {
    return [];
  }
}

/** Topologies of the latest issuances looked at when telling which server a held kubeconfig names. */
const SERVER_CANDIDATES = 10;

/**
 * Tells which server URL the kubeconfig versions nodes hold name (kubeconfig names are not stored,
 * only what they were rendered from): a version recorded by kpki is matched against the same
 * kubeconfig as planned from the topologies of the cluster's latest issuances (and the current
 * one), checked by recomputing its recorded inputs. Returns a lookup `(kubeconfig, sha256) ->
 * server URL`, null when no candidate rendered that version. Memoised for one read.
 */
export function heldKubeconfigServer(deps: Deps, row: ClusterRow, plan: Plan): (kubeconfig: string, sha256: string) => string | null {
  let candidates: Array<Map<string, PlannedKubeconfig>> | null = null;
  const planned = () => {
    candidates ??= [plan.kubeconfigs, ...deps.certificates.recentTopologies(row.id, SERVER_CANDIDATES).map(kubeconfigsOf)]
      .map((ks) => new Map(ks.map((k) => [k.name, k])));
    return candidates;
  };
  const memo = new Map<string, string | null>();
  return (name, sha256) => {
    const key = `${name}\0${sha256}`;
    if (!memo.has(key)) {
      let server: string | null = null;
      const v = deps.generatedFiles.findBySha(row.id, sha256);
      const cert = v && v.name === name && v.embeds.length === 2 ? deps.certificates.findByPemSha256(row.id, v.embeds[1]) : null;
      if (v && cert) {
        for (const ks of planned()) {
          const k = ks.get(name);
          if (k && kubeconfigInputs(k, v.embeds[0], cert.pemSha256, cert.keySha256) === v.inputs) {
            server = k.server;
            break;
          }
        }
      }
      memo.set(key, server);
    }
    return memo.get(key)!;
  };
}

/**
 * The current version of a kubeconfig; null while the CA or its client certificate is not
 * issued. Rendered (and recorded as a new version, with the certificates it embeds) only when
 * what it embeds changed since the last rendering, or when the content is asked for.
 */
export function kubeconfigVersion(deps: Deps, row: ClusterRow, k: PlannedKubeconfig, withContent: boolean, read: StoreReads = directReads(deps, row)): FileVersion | null {
  const caPem = read.caPem();
  const cert = read.current(k.certificate);
  if (caPem === null || !cert) return null;
  const inputs = kubeconfigInputs(k, read.sha256(caPem), cert.pemSha256, cert.keySha256);
  const known = read.generated(k.name);
  if (known?.inputs === inputs && !withContent) return { sha256: known.sha256, content: null };
  const content = renderKubeconfig({ cluster: k.cluster, context: k.context, server: k.server, user: k.user, caPem, certPem: pemOf(deps, cert), keyPem: deps.certificates.keyPem(cert) });
  const sha256 = sha256Hex(content);
  if (known?.inputs !== inputs) deps.generatedFiles.record(row.id, k.name, { sha256, inputs, embeds: [sha256Hex(caPem), cert.pemSha256] }, deps.now().toISOString());
  return { sha256, content };
}

/** The encryption config: its key is created (sealed) the first time it is needed, then kept. */
export function encryptionConfigVersion(deps: Deps, row: ClusterRow, withContent: boolean): FileVersion {
  let known = deps.generatedFiles.current(row.id, ENCRYPTION_CONFIG_FILE);
  if (!known) {
    const key = newEncryptionKey();
    const sha256 = sha256Hex(renderEncryptionConfig(key));
    known = deps.transaction(() => {
      const again = deps.generatedFiles.current(row.id, ENCRYPTION_CONFIG_FILE);
      if (again) return again;
      const secretId = deps.secrets.put(key);
      return deps.generatedFiles.record(row.id, ENCRYPTION_CONFIG_FILE, { sha256, inputs: sha256, secretId }, deps.now().toISOString());
    });
  }
  return { sha256: known.sha256, content: withContent ? renderEncryptionConfig(deps.secrets.get(known.secretId!)) : null };
}

/** A current certificate's PEM: the one it carries, else read (a bulk read lists them without). */
const pemOf = (deps: Deps, cert: CurrentFile): string => cert.pem ?? deps.certificates.pemOf(cert.id);

/** The reads of the store a file version needs: the current certificate of a name, the trust PEM (caTrustPem). */
export interface StoreReads {
  current(name: string): CurrentFile | null;
  caPem(): string | null;
  /** the current version of a generated file (read once per file: a kubeconfig version recorded meanwhile is not seen again) */
  generated(name: string): GeneratedVersion | null;
  sha256(text: string): string;
}

/** StoreReads straight from the store, each call a read. */
const directReads = (deps: Deps, row: ClusterRow): StoreReads => ({
  current: (name) => deps.certificates.getCurrent(row.id, name),
  caPem: () => caTrustPem(deps, row.id),
  generated: (name) => deps.generatedFiles.current(row.id, name),
  sha256: sha256Hex,
});

/**
 * Past this many nodes a read of their states loads every current certificate, generated file and
 * node's last look at once (one query each, not one per file or node).
 */
export const BULK_NODES = 20;

/**
 * The current version (no content) of every planned file, for one read of many nodes (statusReader):
 * each certificate and the trust PEM read once, each file (ca.pem, kube-proxy.kubeconfig held by a
 * thousand workers) looked up once, instead of once per node. Kept only for that one read: the next
 * read sees what changed meanwhile.
 */
export function fileVersionReader(deps: Deps, row: ClusterRow, plan: Plan, bulk = Object.keys(plan.files).length > BULK_NODES): (f: PlannedFile) => FileVersion | null {
  let certs: Map<string, CurrentFile | null> | null = null;
  let generated: Map<string, GeneratedVersion> | null = null;
  let caPem: string | null | undefined;
  const hashes = new Map<string, string>();
  const read: StoreReads = {
    current: (name) => {
      certs ??= new Map(bulk ? deps.certificates.listCurrentFiles(row.id).map((c) => [c.name, c]) : []);
      if (!bulk && !certs.has(name)) certs.set(name, deps.certificates.getCurrent(row.id, name));
      return certs.get(name) ?? null;
    },
    caPem: () => (caPem === undefined ? (caPem = caTrustPem(deps, row.id)) : caPem),
    generated: (name) => {
      if (!bulk) return deps.generatedFiles.current(row.id, name);
      generated ??= new Map(deps.generatedFiles.listCurrent(row.id).map((g) => [g.name, g]));
      return generated.get(name) ?? null;
    },
    sha256: (text) => hashes.get(text) ?? (hashes.set(text, sha256Hex(text)), hashes.get(text)!),
  };
  const kubeconfigs = new Map(plan.kubeconfigs.map((k) => [k.name, k]));
  const versions = new Map<string, FileVersion | null>();
  return (f) => {
    const key = `${f.part}\0${f.certificate ?? ''}\0${f.kubeconfig ?? ''}`;
    if (!versions.has(key)) versions.set(key, plannedFileVersion(deps, row, plan, f, false, read, kubeconfigs));
    return versions.get(key)!;
  };
}

/** The current version of any planned file; null when what it holds has not been issued yet. */
export function plannedFileVersion(
  deps: Deps, row: ClusterRow, plan: Plan, f: PlannedFile, withContent: boolean, read: StoreReads = directReads(deps, row),
  kubeconfigs?: Map<string, PlannedKubeconfig>,
): FileVersion | null {
  if (f.part === 'encryption-config') return encryptionConfigVersion(deps, row, withContent);
  if (f.part === 'kubeconfig') {
    const k = kubeconfigs ? kubeconfigs.get(f.kubeconfig ?? '') : plan.kubeconfigs.find((x) => x.name === f.kubeconfig);
    return k ? kubeconfigVersion(deps, row, k, withContent, read) : null;
  }
  const cert = read.current(f.certificate!);
  if (!cert) return null;
  if (f.part === 'cert' && f.certificate === 'ca') {
    // ca.pem is the trust file: during a CA rotation the bundle of both CAs
    const trust = read.caPem()!;
    return { sha256: sha256Hex(trust), content: withContent ? trust : null };
  }
  if (f.part === 'cert') return { sha256: cert.pemSha256, content: withContent ? pemOf(deps, cert) : null };
  return { sha256: cert.keySha256, content: withContent ? deps.certificates.keyPem(cert) : null };
}

/**
 * Which generated file (kubeconfig, encryption config) a content is, and which version: for
 * identifyContent (node-status.ts), so a node holding an earlier version reads stale and one
 * holding another generated file reads foreign, named. Null when kpki never generated it. An
 * earlier kubeconfig was superseded when the first certificate it embeds was (a renewal, a
 * re-issue, a new CA), whenever the next version was first rendered; or, after a change of the
 * settings, when the next version was recorded.
 */
export function generatedVersionOf(deps: Deps, clusterId: number, sha256: string): KnownContent | null {
  const v = deps.generatedFiles.findBySha(clusterId, sha256);
  if (!v) return null;
  const current = v.status === 'current';
  const times = current ? [] : [
    ...v.embeds.map((pem) => deps.certificates.versionOf(clusterId, pem)?.supersededAt),
    v.nextRecordedAt,
  ].filter((t): t is string => !!t);
  return { file: generatedFileName(v.name), serial: null, current, supersededAt: times.sort()[0] ?? null };
}

function planOf(row: ClusterRow, plan?: Plan): Plan {
  return plan ?? memoPlanOf(row.input);
}

/** GET /kubeconfigs: every kubeconfig of the plan, what it embeds now, its current SHA-256. */
export function listKubeconfigs(deps: Deps, row: ClusterRow, only: { name?: string } = {}): KubeconfigSummary[] {
  const plan = planOf(row);
  const serial = (name: string) => deps.certificates.getCurrent(row.id, name)?.serial ?? null;
  // filtered before anything is read or hashed: a page that shows one kubeconfig of a 1,000-node cluster costs one
  const wanted = only.name === undefined ? plan.kubeconfigs : plan.kubeconfigs.filter((k) => k.name === only.name);
  return wanted.map((k) => ({
    ...k,
    embeds: k.embeds.map((name) => ({ name, serial: serial(name) })),
    sha256: kubeconfigVersion(deps, row, k, false)?.sha256 ?? null,
    caKeyRule: underCaKeyRule({ part: 'kubeconfig', certificate: k.certificate }),
  }));
}

/** The planned kubeconfig of that name, or KUBECONFIG_NOT_FOUND saying what exists. */
export function findKubeconfig(row: ClusterRow, name: string): PlannedKubeconfig {
  if (!configSettings(row.input).generateConfigFiles) {
    throw new AppError('KUBECONFIG_NOT_FOUND', `cluster "${row.name}" does not generate kubeconfigs: set generateConfigFiles to true in its settings`);
  }
  const plan = planOf(row);
  const k = plan.kubeconfigs.find((x) => x.name === name);
  if (!k) {
    throw new AppError('KUBECONFIG_NOT_FOUND', `kubeconfig "${name}" does not exist in cluster "${row.name}": use one of ${plan.kubeconfigs.map((x) => x.name).join(', ')}`);
  }
  return k;
}

/** The content of a kubeconfig; NOT_ISSUED until the CA and its client certificate exist. */
export function kubeconfigContent(deps: Deps, row: ClusterRow, k: PlannedKubeconfig): string {
  const v = kubeconfigVersion(deps, row, k, true);
  if (!v) throw new AppError('NOT_ISSUED', `${k.file} embeds the CA and ${k.certificate}.pem, which are not issued yet: create the CA and issue the certificates first`);
  return v.content!;
}

/** The encryption config's content; KUBECONFIG_NOT_FOUND-like 404 when the cluster generates no config files. */
export function encryptionConfigContent(deps: Deps, row: ClusterRow): string {
  if (!configSettings(row.input).generateConfigFiles) {
    throw new AppError('NOT_FOUND', `cluster "${row.name}" does not generate the encryption config: set generateConfigFiles to true in its settings`);
  }
  return encryptionConfigVersion(deps, row, true).content!;
}
