/**
 * The files a link check reads, per source: for `issued`, the current version of each
 * certificate and key; for `deployed` and `planned`, what each node held at its last verify,
 * found through the file's SHA-256 (an issued version of any certificate, or content a verify
 * recorded), with a missing file, a node never verified or unreachable, and unknown content as
 * reasons of their own. The operator's files (admin) are always the issued ones. PEMs are read
 * only when their certificates are not parsed yet (link-facts.ts caches by the PEM's hash).
 */
import type { FileUnavailableCode, NodeStatus } from '@kpki/shared';
import type { Deps } from '../context.ts';
import type { Pace } from '../lib/pace.ts';
import type { ClusterRow } from '../store/clusters.repository.ts';
import type { CertificateVersion } from '../store/certificates.repository.ts';
import { observeFile, type ObservedContent } from '../pki/cert-facts.ts';
import { trustBundles } from './ca-trust.ts';
import { statusReader } from './node-status.ts';

/** An issued version's certificate file: its hash, and its PEM on demand. */
export interface IssuedPem {
  pemSha256: string;
  pem: () => string;
}

/** What one file holds before its certificates are parsed. */
export type RawFile =
  | { kind: 'pem'; cert: IssuedPem; provenance: string | null }
  /** an issued private key: its public half is the key of `cert` */
  | { kind: 'key-of'; cert: IssuedPem; provenance: string | null }
  | { kind: 'observed'; content: ObservedContent; provenance: string | null }
  | { kind: 'unavailable'; code: FileUnavailableCode; message: string };

/** "<node>/<file>", node "" for the operator's copy. */
export const fileKey = (node: string | null, file: string) => `${node ?? ''}/${file}`;

const certificateOf = (file: string) => ({ name: file.replace(/(-key)?\.pem$/, ''), part: file.endsWith('-key.pem') ? 'key' : 'cert' });
const short = (sha: string) => `${sha.slice(0, 12)}…`;

/**
 * The state of every node as the node-status service judges it from its last look (paced);
 * null for a node the saved topology no longer has (links of the applied topology ask).
 */
export async function lastStatuses(deps: Deps, row: ClusterRow, nodes: string[], pace: Pace): Promise<Map<string, NodeStatus | null>> {
  const read = statusReader(deps, row);
  const known = new Set(row.input.nodes.map((n) => n.name));
  const out = new Map<string, NodeStatus | null>();
  for (const node of nodes) {
    out.set(node, known.has(node) ? read(node) : null);
    await pace();
  }
  return out;
}

class Versions {
  readonly current = new Map<string, CertificateVersion>();
  readonly byPem = new Map<string, CertificateVersion>();
  readonly byKey = new Map<string, CertificateVersion>();

  constructor(private readonly deps: Deps, all: CertificateVersion[]) {
    for (const v of all) {
      if (v.status === 'current') this.current.set(v.name, v);
      if (!this.byPem.has(v.pemSha256) || v.status === 'current') this.byPem.set(v.pemSha256, v);
      if (!this.byKey.has(v.keySha256) || v.status === 'current') this.byKey.set(v.keySha256, v);
    }
  }

  pem(v: CertificateVersion): IssuedPem {
    return { pemSha256: v.pemSha256, pem: () => this.deps.certificates.pemOf(v.id) };
  }

  /** The current version of the certificate a file name stands for, as that file. */
  issued(file: string): RawFile {
    const { name, part } = certificateOf(file);
    const v = this.current.get(name);
    if (!v) return { kind: 'unavailable', code: 'not-issued', message: `${file} has not been issued yet: create the CA and issue` };
    return { kind: part === 'cert' ? 'pem' : 'key-of', cert: this.pem(v), provenance: null };
  }
}

/** Where content with this hash comes from, when it is not the current version of `file`. */
function provenance(file: string, v: CertificateVersion, part: 'cert' | 'key'): string | null {
  const same = certificateOf(file).name === v.name;
  if (same && v.status === 'current') return null;
  const what = `${v.name}${part === 'key' ? '-key' : ''}.pem`;
  return same ? `an earlier version (serial ${v.serial}, superseded): redistribute` : `this is ${what} (serial ${v.serial}), not ${file}: redistribute`;
}

/** Resolves one file of a node's last status. */
function deployedFile(deps: Deps, row: ClusterRow, node: string, status: NodeStatus | null, file: string, versions: Versions, trust: ReturnType<typeof trustBundles>): RawFile {
  if (!status?.checkedAt) return { kind: 'unavailable', code: 'not-verified', message: `${node} has not been verified yet: verify it to check ${file}` };
  const when = `last verify ${status.checkedAt}`;
  if (status.error) return { kind: 'unavailable', code: 'node-unreachable', message: `${node} could not be read (${when}): ${status.error.message}` };
  const entry = status.files.find((f) => f.file === file);
  if (!entry || entry.state === 'unknown') return { kind: 'unavailable', code: 'not-verified', message: `${node} was last verified before it had to hold ${file}: verify it` };
  const sha = entry.remoteSha256;
  if (!sha) return { kind: 'unavailable', code: 'file-missing', message: `${file} is missing on ${node} (${when})` };
  const cert = versions.byPem.get(sha);
  if (cert) return { kind: 'pem', cert: versions.pem(cert), provenance: provenance(file, cert, 'cert') };
  const keyOf = versions.byKey.get(sha);
  if (keyOf) return { kind: 'key-of', cert: versions.pem(keyOf), provenance: provenance(file, keyOf, 'key') };
  // a trust bundle of a CA rotation (both CAs in ca.pem): kpki wrote it
  const bundle = trust.get(sha);
  if (bundle) return { kind: 'observed', content: observeFile(bundle.pem, 'cert'), provenance: bundle.current ? null : 'an earlier trust bundle of a CA rotation: redistribute' };
  const observed = deps.observedFiles.get(row.id, sha);
  if (observed) return { kind: 'observed', content: observed, provenance: `content kpki did not issue (sha256 ${short(sha)})` };
  return { kind: 'unavailable', code: 'content-unknown', message: `${node} holds ${file} with content kpki did not issue and could not read (sha256 ${short(sha)}, ${when})` };
}

/**
 * The raw content of every wanted file (`node/file` keys, node null for the operator): the
 * current issued versions, or (with `statuses`) what the nodes held at their last verify.
 */
export async function rawFiles(deps: Deps, row: ClusterRow, wanted: Array<[string | null, string]>, statuses: Map<string, NodeStatus | null> | null, pace: Pace): Promise<Map<string, RawFile>> {
  const versions = new Versions(deps, deps.certificates.listVersions(row.id));
  const trust = statuses ? trustBundles(deps, row.id) : new Map();
  const out = new Map<string, RawFile>();
  for (const [node, file] of wanted) {
    const raw = node === null || !statuses ? versions.issued(file) : deployedFile(deps, row, node, statuses.get(node) ?? null, file, versions, trust);
    out.set(fileKey(node, file), raw);
    await pace();
  }
  return out;
}
