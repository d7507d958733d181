/**
 * The cluster's root CA, with the profile `cfssl gencert -initca` (cfssl 1.2) gives the
 * tutorial's ca-csr.json:
 *
 * - subject C, ST, L, O, OU, CN (empty attributes omitted); issuer = subject (self-signed)
 * - key usage (critical): certificate sign, CRL sign (the plan's `usages`; these two when it
 *   lists none; "certificate sign" is required)
 * - basic constraints (critical): CA:TRUE, no path length
 * - subject key identifier; no authority key identifier (cfssl 1.2 writes none on a root)
 * - random 20-byte serial, notBefore = now rounded to the minute minus 5 minutes,
 *   notAfter = notBefore + validityHours (docs/domain.md default 43800 h, cfssl's -initca default)
 */
import type { KeyAlgorithm, PlannedCertificate, Subject } from '@kpki/shared';
import { algorithmSpec } from './algorithms.ts';
import { KEY_USAGE_FLAGS, parseUsages } from './usages.ts';
import { exportPrivateKeyPem, exportPublicKeyDer, generateKeyPair } from './keys.ts';
import { basicConstraints, keyIdentifier, keyUsage, subjectKeyIdentifier } from './extensions.ts';
import { distinguishedName, randomSerial, signCertificate, validityWindow, type DnParts } from './template.ts';

/** A certificate and its private key, both PEM. The key is unencrypted: encrypt it at rest. */
export interface CertificateAndKey {
  certPem: string;
  keyPem: string;
}

/** What every certificate request names: which entry, whose subject, which key, how long. */
export interface CertificateRequest {
  /** the catalog entry: its cn, o and ou make the subject */
  planned: PlannedCertificate;
  /** cluster subject defaults: C, ST, L; OU only when the plan has none */
  subject: Subject;
  /** algorithm of the new key */
  algorithm: KeyAlgorithm;
  /** hours from notBefore to notAfter, > 0 */
  validityHours: number;
  /** issuance time (injected for tests) */
  now: Date;
  /** minutes notBefore lies before `now` (rounded to the minute); default 5, like cfssl */
  backdateMinutes?: number;
  /** hex serial, for tests; default random (randomSerial) */
  serial?: string;
}

/** A CA: `planned` is the catalog's "ca" entry (isCa: true). */
export interface CreateCaOptions extends CertificateRequest {
  /** the CA's key pair when it exists already (a prepared key); default: a new one */
  keys?: CryptoKeyPair;
}

/** The subject of a planned certificate: C, ST, L from the cluster, O, OU, CN from the plan. */
export function subjectParts(planned: PlannedCertificate, subject: Subject): DnParts {
  return { C: subject.C, ST: subject.ST, L: subject.L, O: planned.o, OU: planned.ou || subject.OU, CN: planned.cn };
}

/**
 * Generates a CA key pair (off the event loop) and its self-signed certificate.
 * @throws TypeError when `planned` is not a CA entry or lacks "certificate sign", Error for an
 *   unknown usage, RangeError for a non-positive validity.
 */
export async function createCa(opts: CreateCaOptions): Promise<CertificateAndKey> {
  if (!opts.planned.isCa) throw new TypeError(`"${opts.planned.name}" is not a CA entry of the catalog`);
  const spec = algorithmSpec(opts.algorithm);
  const usage = parseUsages(opts.planned.usages).keyUsage || KEY_USAGE_FLAGS.keyCertSign | KEY_USAGE_FLAGS.cRLSign;
  if (!(usage & KEY_USAGE_FLAGS.keyCertSign)) throw new TypeError('a CA needs the "certificate sign" usage');
  const { notBefore, notAfter } = validityWindow(opts);
  const keys = opts.keys ?? (await generateKeyPair(opts.algorithm));
  const publicKeyDer = exportPublicKeyDer(keys.publicKey);
  const name = distinguishedName(subjectParts(opts.planned, opts.subject));
  const certPem = await signCertificate({
    serial: opts.serial ?? randomSerial(),
    subject: name,
    issuer: name,
    notBefore,
    notAfter,
    publicKeyDer,
    signingKey: keys.privateKey,
    signParams: spec.signParams,
    extensions: [keyUsage(usage, true), basicConstraints(true, true), subjectKeyIdentifier(keyIdentifier(publicKeyDer))],
  });
  return { certPem, keyPem: exportPrivateKeyPem(keys.privateKey) };
}
