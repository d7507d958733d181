/**
 * The files a link check reads, per source: for `issued`, the current version of each
 * certificate and key; for `deployed` and `planned`, what each node held at its last verify,
 * found through the file's SHA-256 (an issued version of any certificate, or content a verify
 * recorded), with a missing file, a node never verified or unreachable, and unknown content as
 * reasons of their own. The operator's files (admin) are always the issued ones.
 */
import type { FileUnavailableCode, NodeStatus } from '@kpki/shared';
import type { Deps } from '../context.ts';
import type { ObservedContent } from '../pki/cert-facts.ts';
import type { ClusterRow } from '../store/clusters.repository.ts';
import type { StoredCertificate } from '../store/certificates.repository.ts';
import { knownNodeStatus } from './node-status.ts';

/** What one file holds before its certificates are parsed. */
export type RawFile =
  | { kind: 'pem'; pem: string; provenance: string | null }
  /** an issued private key: its public half is the key of `certPem` */
  | { kind: 'key-of'; certPem: string; provenance: string | null }
  | { kind: 'observed'; content: ObservedContent; provenance: string | null }
  | { kind: 'unavailable'; code: FileUnavailableCode; message: string };

/** "<node>/<file>", node "" for the operator's copy. */
export const fileKey = (node: string | null, file: string) => `${node ?? ''}/${file}`;

const certificateOf = (file: string) => ({ name: file.replace(/(-key)?\.pem$/, ''), part: file.endsWith('-key.pem') ? 'key' : 'cert' });

/** The current version of the certificate a file name stands for, as that file. */
function issuedFile(current: Map<string, StoredCertificate>, file: string): RawFile {
  const { name, part } = certificateOf(file);
  const cert = current.get(name);
  if (!cert) return { kind: 'unavailable', code: 'not-issued', message: `${file} has not been issued yet: create the CA and issue` };
  return part === 'cert' ? { kind: 'pem', pem: cert.pem, provenance: null } : { kind: 'key-of', certPem: cert.pem, provenance: null };
}

const short = (sha: string) => `${sha.slice(0, 12)}…`;

/** Where content with this hash comes from, when it is not the current version of `file`. */
function provenance(file: string, c: StoredCertificate, part: 'cert' | 'key'): string | null {
  const same = certificateOf(file).name === c.name;
  if (same && c.status === 'current') return null;
  const what = `${c.name}${part === 'key' ? '-key' : ''}.pem`;
  return same ? `an earlier version (serial ${c.serial}, superseded): redistribute` : `this is ${what} (serial ${c.serial}), not ${file}: redistribute`;
}

/** Resolves one file of a node's last status. */
function deployedFile(deps: Deps, row: ClusterRow, node: string, status: NodeStatus | null, file: string, byPem: Map<string, StoredCertificate>, byKey: Map<string, StoredCertificate>): RawFile {
  if (!status?.checkedAt) return { kind: 'unavailable', code: 'not-verified', message: `${node} has not been verified yet: verify it to check ${file}` };
  const when = `last verify ${status.checkedAt}`;
  if (status.error) return { kind: 'unavailable', code: 'node-unreachable', message: `${node} could not be read (${when}): ${status.error.message}` };
  const entry = status.files.find((f) => f.file === file);
  if (!entry || entry.state === 'unknown') return { kind: 'unavailable', code: 'not-verified', message: `${node} was last verified before it had to hold ${file}: verify it` };
  const sha = entry.remoteSha256;
  if (!sha) return { kind: 'unavailable', code: 'file-missing', message: `${file} is missing on ${node} (${when})` };
  const cert = byPem.get(sha);
  if (cert) return { kind: 'pem', pem: cert.pem, provenance: provenance(file, cert, 'cert') };
  const keyOf = byKey.get(sha);
  if (keyOf) return { kind: 'key-of', certPem: keyOf.pem, provenance: provenance(file, keyOf, 'key') };
  const observed = deps.observedFiles.get(row.id, sha);
  if (observed) return { kind: 'observed', content: observed, provenance: `content kpki did not issue (sha256 ${short(sha)})` };
  return { kind: 'unavailable', code: 'content-unknown', message: `${node} holds ${file} with content kpki did not issue and could not read (sha256 ${short(sha)}, ${when})` };
}

/**
 * The raw content of every wanted file (`node/file` keys, node null for the operator) for the
 * source: the current issued versions, or the nodes' last known files.
 */
export function rawFiles(deps: Deps, row: ClusterRow, source: 'issued' | 'nodes', wanted: Array<[string | null, string]>): Map<string, RawFile> {
  const all = deps.certificates.listAll(row.id);
  const current = new Map(all.filter((c) => c.status === 'current').map((c) => [c.name, c]));
  const out = new Map<string, RawFile>();
  if (source === 'issued') {
    for (const [node, file] of wanted) out.set(fileKey(node, file), issuedFile(current, file));
    return out;
  }
  const byPem = new Map<string, StoredCertificate>();
  const byKey = new Map<string, StoredCertificate>();
  for (const c of all) {
    if (!byPem.has(c.pemSha256) || c.status === 'current') byPem.set(c.pemSha256, c);
    if (!byKey.has(c.keySha256) || c.status === 'current') byKey.set(c.keySha256, c);
  }
  const statuses = new Map<string, NodeStatus | null>();
  for (const [node, file] of wanted) {
    if (node === null) {
      out.set(fileKey(node, file), issuedFile(current, file));
      continue;
    }
    if (!statuses.has(node)) statuses.set(node, knownNodeStatus(deps, row, node));
    out.set(fileKey(node, file), deployedFile(deps, row, node, statuses.get(node)!, file, byPem, byKey));
  }
  return out;
}
