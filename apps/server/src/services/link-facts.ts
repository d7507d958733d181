/**
 * From raw files to the FileViews the link check reads: every certificate parsed once (cached by
 * the SHA-256 of its DER: content never changes under a hash), and for every certificate the
 * certificates among the files whose key verifies its signature (cached per pair). Works in
 * slices that yield to the event loop, so a 500-worker cluster never blocks the server.
 */
import { createHash } from 'node:crypto';
import type { CertFacts, FileContent, FileView } from '@kpki/shared';
import { certFacts, observeFile, signatureVerifies, type ObservedContent, type OwnFacts } from '../pki/cert-facts.ts';
import type { RawFile } from './link-sources.ts';

const FACTS_LIMIT = 20_000;
const facts = new Map<string, OwnFacts>();
const signatures = new Map<string, boolean>();
const observedPem = new Map<string, ObservedContent>();
/** Work items between two yields to the event loop. */
const SLICE = 64;

export const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

function remember<V>(map: Map<string, V>, key: string, value: V): V {
  if (map.size >= FACTS_LIMIT) map.clear();
  map.set(key, value);
  return value;
}

/** What Go reads in an issued certificate file (cached by the PEM's hash). */
function contentOfPem(pem: string, part: 'cert' | 'key'): ObservedContent {
  const key = `${part}:${sha256(pem)}`;
  return observedPem.get(key) ?? remember(observedPem, key, observeFile(pem, part));
}

/**
 * The views of `raw` (same keys), with parsed facts and signatures. `ders` of every certificate
 * seen are the signature pool: a certificate's `signedBy` lists the pool members with its
 * issuer's name whose key verifies it.
 */
export async function buildViews(raw: Map<string, RawFile>): Promise<Map<string, FileView>> {
  // 1. the observed content of every file, and every distinct DER
  const contents = new Map<string, { content: ObservedContent; provenance: string | null; keyOf?: string }>();
  const ders = new Map<string, string>(); // DER sha256 -> base64 DER
  const idOf = new Map<string, string>(); // base64 DER -> DER sha256
  const id = (b64: string) => idOf.get(b64) ?? remember(idOf, b64, sha256(Buffer.from(b64, 'base64')));
  let n = 0;
  for (const [k, r] of raw) {
    if (r.kind === 'unavailable') continue;
    const content = r.kind === 'observed' ? r.content : r.kind === 'pem' ? contentOfPem(r.pem, 'cert') : contentOfPem(r.certPem, 'cert');
    contents.set(k, { content, provenance: r.provenance, ...(r.kind === 'key-of' ? { keyOf: content.certificates[0] } : {}) });
    for (const b64 of content.certificates) if (!ders.has(id(b64))) ders.set(id(b64), b64);
    if (++n % SLICE === 0) await yieldToLoop();
  }
  // 2. facts of every certificate
  const own = new Map<string, OwnFacts>();
  for (const [sha, b64] of ders) {
    own.set(sha, facts.get(sha) ?? remember(facts, sha, certFacts(Buffer.from(b64, 'base64'))));
    if (own.size % SLICE === 0) await yieldToLoop();
  }
  // 3. signatures: each certificate against every pool member named as its issuer
  const bySubject = new Map<string, OwnFacts[]>();
  for (const f of own.values()) {
    const list = bySubject.get(f.subjectDer);
    if (list) list.push(f);
    else bySubject.set(f.subjectDer, [f]);
  }
  const full = new Map<string, CertFacts>();
  let checks = 0;
  for (const f of own.values()) {
    const signedBy: string[] = [];
    for (const parent of bySubject.get(f.issuerDer) ?? []) {
      const pair = `${f.id}>${parent.id}`;
      let ok = signatures.get(pair);
      if (ok === undefined) {
        ok = remember(signatures, pair, signatureVerifies(Buffer.from(ders.get(f.id)!, 'base64'), Buffer.from(ders.get(parent.id)!, 'base64')));
        if (++checks % SLICE === 0) await yieldToLoop();
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
    const certificates = c.content.certificates.map((b64) => full.get(id(b64))!);
    let content: FileContent = { ...c.content, certificates };
    if (c.keyOf) {
      const leaf = full.get(id(c.keyOf))!;
      content = { certificates: [], otherBlocks: [keyBlockOf(leaf)], malformed: 0, key: { algorithm: leaf.publicKeyAlgorithm, publicKeyId: leaf.publicKeyId }, keyError: null };
    }
    views.set(k, { kind: 'content', content, provenance: c.provenance });
  }
  return views;
}

/** The PEM type kpki writes an issued key with (cfssl's): PKCS#1 for RSA, SEC1 for ECDSA. */
const keyBlockOf = (leaf: CertFacts) => (leaf.publicKeyAlgorithm === 'RSA' ? 'RSA PRIVATE KEY' : 'EC PRIVATE KEY');
