/**
 * What the imports service (imports.service.ts) takes from the import domain (services/import/,
 * pure): the files of an archive, the report, the proposal, and the facts adoption reads from a
 * report. The one place that knows the domain's shapes.
 */
import type { ClusterInput, ImportReport } from '@kpki/shared';
import { DEFAULT_ARCHIVE_LIMITS, buildImportReport, proposeTopology, readArchive, type ImportEntry } from './import/index.ts';
import { AppError } from '../lib/errors.ts';
import type { ImportedFile } from '../store/imports.repository.ts';

export type { ImportReport };

/** The largest archive body taken: what the archive reader may unpack at most (a compressed archive is smaller); also what a pull reads at most. */
export const ARCHIVE_MAX_BYTES = DEFAULT_ARCHIVE_LIMITS.maxTotalBytes;
/** The largest one file may be, in an archive or a pulled folder. */
export const FILE_MAX_BYTES = DEFAULT_ARCHIVE_LIMITS.maxEntryBytes;

const toEntries = (files: ImportedFile[]): ImportEntry[] => files.map((f) => ({ path: f.path, data: f.content }));

/** The files of an uploaded archive (application/gzip: a .tar.gz; application/zip). @throws ARCHIVE_REFUSED naming the entry. */
export async function archiveFiles(body: Buffer, mediaType: string): Promise<ImportedFile[]> {
  const type = mediaType === 'application/zip' ? 'zip' : mediaType === 'application/gzip' || mediaType === 'application/x-gzip' ? 'gzip' : null;
  if (!type) throw new AppError('UNSUPPORTED_MEDIA_TYPE', `send the archive as application/gzip (a .tar.gz) or application/zip, not ${mediaType}`);
  return (await readArchive(body, type)).map((e) => ({ path: e.path, content: e.data }));
}

/** The report of `files` against the plan of `cluster`, at `now`. */
export function importReport(files: ImportedFile[], cluster: ClusterInput, now: Date): ImportReport {
  return buildImportReport(toEntries(files), cluster, now);
}

/** A topology proposed from the certificates alone. */
export function proposedTopology(files: ImportedFile[]): ClusterInput {
  return proposeTopology(toEntries(files)).cluster;
}

/** Key files named as a CA's: ca-key.pem (the tutorial), ca.key (kubeadm: ca, etcd/ca, front-proxy-ca). */
const CA_KEY_NAME = /(?:^|\/)(?:[A-Za-z0-9._-]*-)?ca(?:-key\.pem|\.key)$/;

/**
 * Whether the files hold a CA key, for the CA key rule: the report found the CA key, or a key
 * of a CA certificate is there, or a key file is named as a CA's (matching or not, a CA key
 * of some CA is not for an operator to move).
 */
export function holdsCaKey(files: ImportedFile[], report: ImportReport | null): boolean {
  if (report?.hasCaKey) return true;
  if (report?.files.some((f) => f.isCa && f.keyPath !== null)) return true;
  return files.some((f) => CA_KEY_NAME.test(f.path));
}

/** Why the report's layout cannot be adopted at all (read-only layouts, nothing recognised), or null. */
export function readOnlyReason(report: ImportReport): string | null {
  return report.layout === 'tutorial' ? null : (report.notAdoptableReason ?? `a ${report.layout} layout is read-only: inventoried, not adopted`);
}

/** Each catalog name the report recognised, with its certificate and key files: the first file per name (a second one is a duplicate). */
export function catalogMatches(report: ImportReport): Array<{ name: string; certPath: string; keyPath: string | null }> {
  const seen = new Set<string>();
  const out: Array<{ name: string; certPath: string; keyPath: string | null }> = [];
  for (const f of report.files) {
    if (seen.has(f.name)) continue;
    seen.add(f.name);
    out.push({ name: f.name, certPath: f.path, keyPath: f.keyPath });
  }
  return out;
}
