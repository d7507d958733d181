/**
 * From raw files to the FileViews the link check reads: every certificate parsed once (cached by
 * the SHA-256 of its DER, and an issued PEM's certificates by the PEM's hash: content never
 * changes under a hash), and for every certificate the certificates among the files whose key
 * verifies its signature (cached per pair). Paced (lib/pace.ts): a 500-worker cluster never
 * blocks the server.
 */
import { createHash, type KeyObject } from 'node:crypto';
import type { CertFacts, FileContent, FileView } from '@kpki/shared';
import { goVerify, type VerifyFailure } from '@kpki/shared/go-x509';
import { pemBlocks, readForCheck, type CheckedCertificate, type ObservedContent, type OwnFacts } from '../pki/cert-facts.ts';
import type { Pace } from '../lib/pace.ts';
import type { RawFile } from './link-sources.ts';

const CACHE_LIMIT = 20_000;
/** DER sha256 -> facts; pair -> signature verified; DER sha256 -> public key; PEM sha256 -> base64 DERs */
const facts = new Map<string, OwnFacts>();
const signatures = new Map<string, boolean>();
const publicKeys = new Map<string, KeyObject>();
const dersOfPem = new Map<string, string[]>();

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

function remember<V>(map: Map<string, V>, key: string, value: V): V {
  if (map.size >= CACHE_LIMIT) map.clear();
  map.set(key, value);
  return value;
}

/** The base64 DERs of an issued PEM (read from the store only when not cached). */
function dersOf(cert: { pemSha256: string; pem: () => string }): string[] {
  return dersOfPem.get(cert.pemSha256) ??
    remember(dersOfPem, cert.pemSha256, pemBlocks(cert.pem()).filter((b) => b.type === 'CERTIFICATE').map((b) => b.der.toString('base64')));
}

const emptyContent = (certificates: string[]): ObservedContent => ({ certificates, otherBlocks: [], malformed: 0, key: null, keyError: null });

/** The PEM type kpki writes an issued key with (cfssl's): PKCS#1 for RSA, SEC1 for ECDSA. */
const keyBlockOf = (leaf: CertFacts) => (leaf.publicKeyAlgorithm === 'RSA' ? 'RSA PRIVATE KEY' : 'EC PRIVATE KEY');

/**
 * The views of `raw` (same keys), with parsed facts and signatures. Every certificate seen is in
 * the signature pool: a certificate's `signedBy` lists the pool members with its issuer's name
 * whose key verifies it.
 */
export async function buildViews(raw: Map<string, RawFile>, pace: Pace): Promise<Map<string, FileView>> {
  // 1. what each file holds, and every distinct DER
  const contents = new Map<string, { content: ObservedContent; provenance: string | null; keyOf?: string }>();
  const ders = new Map<string, string>(); // DER sha256 -> base64 DER
  const idOf = new Map<string, string>(); // base64 DER -> DER sha256
  const id = (b64: string) => idOf.get(b64) ?? remember(idOf, b64, sha256(Buffer.from(b64, 'base64')));
  for (const [k, r] of raw) {
    if (r.kind === 'unavailable') continue;
    const content = r.kind === 'observed' ? r.content : emptyContent(dersOf(r.cert));
    contents.set(k, { content, provenance: r.provenance, ...(r.kind === 'key-of' ? { keyOf: content.certificates[0] } : {}) });
    for (const b64 of content.certificates) if (!ders.has(id(b64))) ders.set(id(b64), b64);
    await pace();
  }
  // 2. facts of every certificate (parsed once; kept for the signature checks below)
  const own = new Map<string, OwnFacts>();
  const parsed = new Map<string, CheckedCertificate>();
  const read = (sha: string) => parsed.get(sha) ?? remember(parsed, sha, readForCheck(Buffer.from(ders.get(sha)!, 'base64')));
  for (const sha of ders.keys()) {
    const cached = facts.get(sha);
    own.set(sha, cached ?? remember(facts, sha, read(sha).facts));
    if (!cached) await pace();
  }
  // 3. signatures: each certificate against every pool member named as its issuer
  const bySubject = new Map<string, OwnFacts[]>();
  for (const f of own.values()) {
    const list = bySubject.get(f.subjectDer);
    if (list) list.push(f);
    else bySubject.set(f.subjectDer, [f]);
  }
  const full = new Map<string, CertFacts>();
  for (const f of own.values()) {
    const signedBy: string[] = [];
    for (const parent of bySubject.get(f.issuerDer) ?? []) {
      const pair = `${f.id}>${parent.id}`;
      let ok = signatures.get(pair);
      if (ok === undefined) {
        const key = publicKeys.get(parent.id) ?? remember(publicKeys, parent.id, read(parent.id).publicKey);
        ok = remember(signatures, pair, read(f.id).signedWith(key));
        await pace();
      }
      if (ok) signedBy.push(parent.id);
    }
    full.set(f.id, { ...f, signedBy });
  }
  // 4. the views
  const views = new Map<string, FileView>();
  for (const [k, r] of raw) {
    if (r.kind === 'unavailable') {
      views.set(k, { kind: 'unavailable', code: r.code, message: r.message });
      continue;
    }
    const c = contents.get(k)!;
    let content: FileContent = { ...c.content, certificates: c.content.certificates.map((b64) => full.get(id(b64))!) };
    if (c.keyOf) {
      const leaf = full.get(id(c.keyOf))!;
      content = { certificates: [], otherBlocks: [keyBlockOf(leaf)], malformed: 0, key: { algorithm: leaf.publicKeyAlgorithm, publicKeyId: leaf.publicKeyId }, keyError: null };
    }
    views.set(k, { kind: 'content', content, provenance: c.provenance });
    await pace();
  }
  return views;
}

/**
 * goVerify memoised for one check of many links (a thousand kubelets verify the same API server
 * certificate against the same ca.pem): by the certificates' ids (the SHA-256 of their DER), the
 * host name, the usage and the time. Only for the views of one buildViews: there a certificate's
 * id stands for the same facts and signatures everywhere. Not kept past the check.
 */
export function memoVerify(): typeof goVerify {
  const memo = new Map<string, VerifyFailure | null>();
  return (leaf, opts) => {
    const key = [leaf.id, opts.roots.map((r) => r.id).join(','), opts.intermediates.map((c) => c.id).join(','), opts.dnsName ?? '', opts.usage, opts.at.getTime()].join('|');
    let failure = memo.get(key);
    if (failure === undefined) {
      failure = goVerify(leaf, opts);
      memo.set(key, failure);
    }
    return failure;
  };
}
