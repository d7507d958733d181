/**
 * Adopting an existing PKI (issue 14): the files of an uploaded archive or of a folder pulled
 * over SFTP from a node of the cluster become a pending import with its report (the import
 * domain, services/import/, classifies them against the plan); nothing else is stored until the
 * operator adopts it. Adoption stores the accepted certificates and keys byte for byte as
 * imported (so that nodes already holding them read in sync) as one issuance of kind `import`.
 *
 * The CA key rule (auth/ca-key-rule.ts) applies to every import that holds a CA key, at upload
 * and at adoption: the route passes the one decision as `guard`. Any refusal stores nothing.
 */
import type { ClusterInput, ImportAdopted, ImportView } from '@kpki/shared';
import { buildCatalog } from '@kpki/shared/catalog';
import { remoteFolderProblem, REMOTE_FOLDER_HINT } from '@kpki/shared/remote-folder';
import { configSettings } from '@kpki/shared/kubeconfigs';
import type { Deps } from '../context.ts';
import { AppError, notFound } from '../lib/errors.ts';
import type { ClusterRow } from '../store/clusters.repository.ts';
import type { ImportedFile, ImportRow } from '../store/imports.repository.ts';
import { sha256Hex, type PreparedCertificate } from '../store/certificates.repository.ts';
import { keyMatchesCertificate, notSignedBy } from '../pki/key-match.ts';
import { privateKeyAlgorithm } from '../pki/index.ts';
import { getCluster } from './clusters.service.ts';
import { findNode } from './node-status.ts';
import { openNodeDir, releaseNode } from './node-look.ts';
import { issuingLock, toNewCertificate } from './issuance.ts';
import { encryptionConfigVersion } from './config-files.service.ts';
import { archiveFiles, catalogMatches, holdsCaKey, importReport, proposedTopology, readOnlyReason, type ImportReport, ARCHIVE_MAX_BYTES, FILE_MAX_BYTES } from './import-domain.ts';
import type { SshSession } from '../ssh/transport.ts';

/** A pending import not adopted within this time is discarded (its sealed files deleted). */
export const IMPORT_TTL_HOURS = 24;
/** The largest archive body the import routes take (the archive reader has its own limits on what it unpacks). */
export const IMPORT_BODY_LIMIT = ARCHIVE_MAX_BYTES;
/** Media types of an uploaded archive. */
export const ARCHIVE_MEDIA_TYPES = ['application/gzip', 'application/x-gzip', 'application/zip'] as const;

/** Called when the files hold a CA key: throws unless the request may move it (the CA key rule). */
export type CaKeyImportGuard = (action: string) => void;

/** What an import is made from: an uploaded archive, or a folder of a node of the cluster. */
export type ImportSource =
  | { kind: 'archive'; mediaType: string; body: Buffer }
  | { kind: 'pull'; node: string; path: string };

/** Pulled from a node: names read (what a PKI folder holds); hidden files and anything else are left alone. */
const PKI_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*\.(?:pem|crt|key|pub|kubeconfig|conf)$/;
/** Subfolders a pull reads too (kubeadm's etcd/ under /etc/kubernetes/pki). */
const PULL_SUBFOLDERS = new Set(['etcd']);
/** PKI files a pull reads at most. */
const PULL_MAX_FILES = 500;

/** The answer of POST/GET .../imports/{id}: the import's facts and its report. */
function view(row: ImportRow): ImportView {
  return {
    id: row.id, state: row.state, origin: row.origin as ImportView['origin'], hasCaKey: row.hasCaKey,
    createdBy: row.createdBy, createdAt: row.createdAt, expiresAt: row.expiresAt,
    endedAt: row.endedAt, endedBy: row.endedBy, endReason: row.endReason, issuanceId: row.issuanceId,
    report: row.report as ImportView['report'],
  };
}

/** The files of a pull: the folder's PKI files (and those of its etcd/ subfolder), refused as a whole on a link or a special file among them. */
async function pullFiles(deps: Deps, row: ClusterRow, nodeName: string, path: string): Promise<ImportedFile[]> {
  const node = findNode(row, nodeName);
  const problem = remoteFolderProblem(path);
  if (problem) throw new AppError('VALIDATION_FAILED', `path ${JSON.stringify(path)} ${problem}: ${REMOTE_FOLDER_HINT}`, [{ path: '/path', code: 'VALIDATION_FAILED', message: problem }]);
  // the node's SSH settings and pinned host key, the folder asked for (links on the way refused)
  const target = { ...node, ssh: { ...node.ssh, remoteDir: path, followLinks: false } };
  let session: SshSession | null = null;
  let ok = false;
  try {
    const open = await openNodeDir(deps, row, target);
    session = open.session;
    const files: ImportedFile[] = [];
    let bytes = 0;
    const readFolder = async (dir: string, prefix: string): Promise<void> => {
      for (const e of await session!.list(dir)) {
        const entry = `${prefix}${e.name}`;
        if (e.type === 'directory' && !prefix && PULL_SUBFOLDERS.has(e.name)) {
          await readFolder(`${dir}/${e.name}`, `${e.name}/`);
          continue;
        }
        if (!PKI_FILE.test(e.name)) continue;
        if (e.type !== 'file') {
          throw new AppError('ARCHIVE_REFUSED', `${nodeName}:${dir}/${e.name} is a ${e.type === 'symlink' ? 'symbolic link' : e.type}, not a file: kpki imports regular files only (remove it or copy the folder without it)`, { entry });
        }
        if (files.length >= PULL_MAX_FILES) throw new AppError('ARCHIVE_REFUSED', `${nodeName}:${dir} holds more than ${PULL_MAX_FILES} PKI files: pull a folder of one cluster`, { entry });
        // the archive reader's limits: one file at most FILE_MAX_BYTES, all of them ARCHIVE_MAX_BYTES
        const limit = Math.min(FILE_MAX_BYTES, ARCHIVE_MAX_BYTES - bytes);
        const content = await session!.readFile(dir, e.name, limit).catch((err: Error) => {
          throw new AppError('ARCHIVE_REFUSED', `${nodeName}:${dir}/${e.name} could not be read: ${err.message}${limit < FILE_MAX_BYTES ? ' (the pulled files together are past the limit)' : ''}`, { entry });
        });
        if (content === null) continue; // gone meanwhile
        bytes += content.length;
        files.push({ path: entry, content });
      }
    };
    await readFolder(open.dir, '');
    ok = true;
    return files;
  } finally {
    if (session) releaseNode(deps, session, ok);
  }
}

/** The files of a source (archive refused as a whole with IMPORT_REFUSED naming the entry). */
async function filesOf(deps: Deps, row: ClusterRow, source: ImportSource): Promise<{ files: ImportedFile[]; origin: ImportView['origin'] }> {
  if (source.kind === 'pull') {
    return { files: await pullFiles(deps, row, source.node, source.path), origin: { kind: 'pull', node: source.node, path: source.path } };
  }
  return { files: await archiveFiles(source.body, source.mediaType), origin: { kind: 'archive', mediaType: source.mediaType, bytes: source.body.length } };
}

/**
 * POST .../imports: reads the files, builds the report against the cluster's plan and stores a
 * pending import (its files sealed). A CA key among the files needs `guard` to pass.
 */
export async function createImport(deps: Deps, clusterName: string, source: ImportSource, by: string, guard: CaKeyImportGuard): Promise<ImportView> {
  const row = getCluster(deps, clusterName);
  const { files, origin } = await filesOf(deps, row, source);
  const report = importReport(files, row.input, deps.now());
  const caKey = holdsCaKey(files, report);
  if (caKey) guard('importing a CA key (ca-key.pem)');
  const now = deps.now();
  const id = deps.imports.create({
    clusterId: row.id, origin, report, hasCaKey: caKey, files, createdBy: by,
    createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + IMPORT_TTL_HOURS * 3_600_000).toISOString(),
  });
  return view(deps.imports.get(row.id, id)!);
}

/** Facts of a created import for its audit line (never key material). */
export function importAuditFacts(v: ImportView): Record<string, unknown> {
  const o = v.origin as { kind: string; node?: string; path?: string };
  return { importId: v.id, caKey: v.hasCaKey, files: countFiles(v.report), ...(o.kind === 'pull' ? { node: o.node, path: o.path } : {}) };
}

function countFiles(report: unknown): number | null {
  const files = (report as { files?: unknown[] } | null)?.files;
  return Array.isArray(files) ? files.length : null;
}

/** The import `id` of the cluster; a pending one past its expiry is discarded first. */
function findImport(deps: Deps, row: ClusterRow, id: string): ImportRow {
  discardExpiredImports(deps);
  const imp = deps.imports.get(row.id, id);
  if (!imp) throw notFound('IMPORT_NOT_FOUND', `import ${id} of cluster "${row.name}"`);
  return imp;
}

/** GET .../imports/{id} */
export function getImport(deps: Deps, clusterName: string, id: string): ImportView {
  return view(findImport(deps, getCluster(deps, clusterName), id));
}

function requirePending(imp: ImportRow): void {
  if (imp.state !== 'pending') {
    throw new AppError('IMPORT_ENDED', `import ${imp.id} was ${imp.state} at ${imp.endedAt} by ${imp.endedBy}${imp.endReason ? ` (${imp.endReason})` : ''}: import the files again`);
  }
}

/** DELETE .../imports/{id}: discards a pending import (its sealed files are deleted). */
export function discardImport(deps: Deps, clusterName: string, id: string, by: string): ImportView {
  const row = getCluster(deps, clusterName);
  const imp = findImport(deps, row, id);
  requirePending(imp);
  if (!deps.imports.discard(id, deps.now().toISOString(), by, `discarded by ${by}`)) requirePending(deps.imports.get(row.id, id)!);
  return view(deps.imports.get(row.id, id)!);
}

/** Discards every pending import past its expiry (maintenance, and before any import is read). */
export function discardExpiredImports(deps: Deps): string[] {
  const ids = deps.imports.discardExpired(deps.now().toISOString());
  if (ids.length) {
    deps.audit.append({
      at: deps.now().toISOString(), actor: 'kpki', action: 'imports-expired', object: `imports=${ids.length}`, address: '-', result: 'ok',
      details: { ids, reason: `not adopted within ${IMPORT_TTL_HOURS} hours` },
    });
  }
  return ids;
}

/** What adoption would store, and why the rest is left out; `refusals` non-empty: nothing may be stored. */
interface AdoptionPlan {
  certificates: PreparedCertificate[];
  adopted: ImportAdopted['adopted'];
  skipped: ImportAdopted['skipped'];
  refusals: string[];
}

/**
 * Decides what adopting the files into `row` stores: the CA (with its key, which must be its
 * own; or nothing when it is the cluster's CA already) and every leaf of the plan the report
 * matched whose key is its own and which the CA signed, byte for byte as imported. Leaves that
 * differ from the plan are adopted (the change review shows them outdated); leaves without
 * their key, with another key or from another CA are left out, and read as new in the review.
 */
function adoptionPlan(deps: Deps, row: ClusterRow, files: ImportedFile[], report: ImportReport): AdoptionPlan {
  const refusals: string[] = [];
  const readOnly = readOnlyReason(report);
  if (readOnly) refusals.push(readOnly);
  if (deps.caRotations.active(row.id)) refusals.push('a CA rotation of the cluster is in progress: finish or abort it first');
  const text = new Map(files.map((f) => [f.path, f.content.toString('utf8')]));
  const matches = catalogMatches(report);
  const plannedNames = new Set(buildCatalog(row.input).map((c) => c.name));
  const current = deps.certificates.getCurrent(row.id, 'ca');
  const ca = matches.find((m) => m.name === 'ca');
  const out: AdoptionPlan = { certificates: [], adopted: [], skipped: [], refusals };
  const caPem = ca ? text.get(ca.certPath)! : current?.pem;
  if (!ca && !current) refusals.push('the import holds no CA certificate (ca.pem) and the cluster has no CA: kpki needs the CA and its key to manage the certificates');
  if (ca && current && current.pemSha256 !== sha256Hex(text.get(ca.certPath)!)) {
    refusals.push(`the cluster "${row.name}" has another CA (serial ${current.serial}): adopting this one would replace it without a CA rotation; import into a cluster without a CA`);
  }
  const keep = (name: string, certPath: string, keyPath: string) => {
    const pem = text.get(certPath)!;
    const keyPem = text.get(keyPath)!;
    out.certificates.push(deps.certificates.prepare(toNewCertificate(name, pem, keyPem, privateKeyAlgorithm(keyPem))));
    out.adopted.push({ name, certificate: certPath, key: keyPath });
  };
  if (ca && !current) {
    if (!ca.keyPath) refusals.push(`${ca.certPath} (the CA) comes without its key (ca-key.pem): kpki needs the CA key to renew and issue`);
    else if (!keyMatchesCertificate(text.get(ca.certPath)!, text.get(ca.keyPath)!)) refusals.push(`${ca.keyPath} is not the key of the CA certificate ${ca.certPath}`);
    else if (!refusals.length) keep('ca', ca.certPath, ca.keyPath);
  }
  if (refusals.length) return out;
  for (const m of matches) {
    if (m.name === 'ca') continue;
    if (!plannedNames.has(m.name)) {
      out.skipped.push({ name: m.name, file: m.certPath, reason: `the plan of cluster "${row.name}" has no certificate ${m.name}` });
    } else if (!m.keyPath) {
      out.skipped.push({ name: m.name, file: m.certPath, reason: `its key (${m.name}-key.pem) is not in the import` });
    } else if (!keyMatchesCertificate(text.get(m.certPath)!, text.get(m.keyPath)!)) {
      out.skipped.push({ name: m.name, file: m.certPath, reason: `${m.keyPath} is not its key` });
    } else {
      const foreign = notSignedBy(text.get(m.certPath)!, caPem!);
      if (foreign) out.skipped.push({ name: m.name, file: m.certPath, reason: `not signed by the cluster's CA: ${foreign}` });
      else keep(m.name, m.certPath, m.keyPath);
    }
  }
  return out;
}

/**
 * POST .../imports/{id}/adopt: stores the accepted certificates and keys as the cluster's current
 * versions (one issuance of kind `import`) and ends the import, or refuses with
 * IMPORT_NOT_ADOPTABLE and stores nothing. A CA key among the files needs `guard` to pass.
 */
export async function adoptImport(deps: Deps, clusterName: string, id: string, by: string, guard: CaKeyImportGuard): Promise<ImportAdopted> {
  const first = getCluster(deps, clusterName);
  const imp = findImport(deps, first, id);
  requirePending(imp);
  if (imp.hasCaKey) guard('adopting an import that holds the CA key (ca-key.pem)');
  // one after the other with issuance, renewal and apply jobs of the cluster
  return deps.nodeLocks.with(issuingLock(first), async () => {
    const row = getCluster(deps, clusterName);
    const again = findImport(deps, row, id);
    requirePending(again);
    const files = deps.imports.files(id);
    if (!files) throw new AppError('IMPORT_ENDED', `import ${id} has no files any more: import them again`);
    // judged against the topology as it is now (it may have changed since the upload)
    const report = importReport(files, row.input, deps.now());
    const plan = adoptionPlan(deps, row, files, report);
    if (plan.refusals.length) {
      throw new AppError('IMPORT_NOT_ADOPTABLE', `import ${id} cannot be adopted: ${plan.refusals.join('; ')}`, { reasons: plan.refusals });
    }
    if (!plan.certificates.length) {
      throw new AppError('IMPORT_NOT_ADOPTABLE', `import ${id} holds no certificate kpki can adopt: ${plan.skipped.map((s) => `${s.file}: ${s.reason}`).join('; ') || 'none matched the plan'}`, { reasons: plan.skipped.map((s) => `${s.file}: ${s.reason}`) });
    }
    const at = deps.now().toISOString();
    const issuanceId = deps.transaction(() => {
      const issuance = deps.certificates.storeIssuance(row.id, 'import', null, plan.certificates, at, row.input);
      if (!deps.imports.markAdopted(id, at, by, issuance)) throw new AppError('IMPORT_ENDED', `import ${id} ended meanwhile`);
      return issuance;
    });
    // as when kpki creates a CA: the encryption config's key, created with the cluster's CA
    if (configSettings(row.input).generateConfigFiles) encryptionConfigVersion(deps, row, false);
    void deps.keys.refresh(row.id);
    return { id, issuanceId, adopted: plan.adopted, skipped: plan.skipped, import: view(deps.imports.get(row.id, id)!) };
  });
}

/** POST /imports/proposal: a topology proposed from the certificates of an archive; nothing stored. A CA key among the files needs `guard`. */
export async function proposeFromArchive(deps: Deps, mediaType: string, body: Buffer, guard: CaKeyImportGuard): Promise<{ proposal: ClusterInput; caKey: boolean; files: number }> {
  const files = await archiveFiles(body, mediaType);
  const caKey = holdsCaKey(files, null);
  if (caKey) guard('sending a CA key (ca-key.pem)');
  return { proposal: proposedTopology(files), caKey, files: files.length };
}
