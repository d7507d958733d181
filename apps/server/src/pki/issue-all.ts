/**
 * Issues every leaf of a catalog under one CA, in parallel: the CA is loaded once, and as many
 * key generations run at once as there are cores (keygenParallelism() + 1, so that a core never
 * waits while another task signs). Signing and encoding take well under a millisecond of
 * event-loop time per certificate; key generation none.
 */
import type { KeyAlgorithm, PlannedCertificate, Subject } from '@kpki/shared';
import type { CertificateAndKey } from './ca.ts';
import { PkiError } from './errors.ts';
import { loadIssuer } from './issuer.ts';
import { generateKeyPair, keygenParallelism } from './keys.ts';
import { signLeaf } from './leaf.ts';

export interface IssueAllOptions {
  /** the CA that signs: certificate and unencrypted private key, PEM */
  ca: CertificateAndKey;
  /** catalog entries to issue; CA entries (isCa) are skipped, so buildCatalog's output can be passed whole */
  certificates: PlannedCertificate[];
  /** cluster subject defaults: C, ST, L; OU when an entry has none */
  subject: Subject;
  /** algorithm of every new key */
  algorithm: KeyAlgorithm;
  /** hours from notBefore to notAfter for every leaf, clamped to the CA's notAfter */
  validityHours: number;
  /** issuance time, the same for every certificate (injected for tests) */
  now: Date;
  /** minutes of backdating, default 5 (cfssl's) */
  backdateMinutes?: number;
  /** called after each certificate is signed; `done` counts from 1 to `total` */
  onProgress?: (done: number, total: number, name: string) => void;
  /** certificates in flight at once; default keygenParallelism() + 1 */
  concurrency?: number;
  /**
   * the key pair of an entry when it has one already (a key kept on renewal, a prepared key);
   * null: generate a new one. Called once per entry.
   */
  keyFor?: (planned: PlannedCertificate) => Promise<CryptoKeyPair | null>;
}

export interface IssuedEntry extends CertificateAndKey {
  name: string;
  notAfterClamped: boolean;
}

/**
 * Issues a key pair and certificate for each leaf entry, and resolves with them in the order of
 * `certificates` once all are done. Rejects with the first error (no partial result: nothing
 * is half-issued from the caller's point of view); entries already in flight finish and are
 * dropped.
 * @throws PkiError when two entries share a name, or as issueCertificate.
 */
export async function issueAll(opts: IssueAllOptions): Promise<IssuedEntry[]> {
  const leaves = opts.certificates.filter((c) => !c.isCa);
  const seen = new Set<string>();
  for (const c of leaves) {
    if (seen.has(c.name)) throw new PkiError('VALIDATION_FAILED', `the catalog has two certificates named "${c.name}"`);
    seen.add(c.name);
  }
  const issuer = await loadIssuer(opts.ca);
  const results = new Array<IssuedEntry>(leaves.length);
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? keygenParallelism() + 1));
  let next = 0;
  let done = 0;
  let failed = false;

  const lane = async (): Promise<void> => {
    while (!failed && next < leaves.length) {
      const index = next++;
      const planned = leaves[index];
      try {
        const keys = (await opts.keyFor?.(planned)) ?? (await generateKeyPair(opts.algorithm));
        const issued = await signLeaf(issuer, keys, { ...opts, planned });
        results[index] = { name: planned.name, ...issued };
      } catch (err) {
        failed = true;
        throw err;
      }
      done++;
      opts.onProgress?.(done, leaves.length, planned.name);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, leaves.length) }, lane));
  return results;
}
