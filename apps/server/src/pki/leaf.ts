/**
 * Leaf certificates with the tutorial's `kubernetes` signing profile (docs/domain.md section 2):
 *
 * - subject C, ST, L, O, OU, CN (empty attributes, e.g. an empty O, omitted); issuer = CA subject
 * - key usage (critical) digital signature + key encipherment; extended key usage server auth +
 *   client auth (both taken from the plan's `usages`; the catalog's LEAF_USAGES when it lists none)
 * - basic constraints (critical) CA:FALSE, subject key identifier, authority key identifier =
 *   the CA's subject key identifier, SANs (DNS and IP, v4 and v6) when the plan has any
 * - extensions in cfssl's order: KU, EKU, BC, SKI, AKI, SAN
 * - validity like cfssl: notBefore = now rounded to the minute minus 5 minutes, notAfter =
 *   notBefore + validityHours, clamped to the CA's notAfter (reported as notAfterClamped)
 * - signed with SHA-256 (SHA-384 when the CA key is ECDSA P-384)
 */
import { subjectParts, type CertificateAndKey, type CertificateRequest } from './ca.ts';
import { loadIssuer, type Issuer } from './issuer.ts';
import { exportPrivateKeyPem, exportPublicKeyDer, generateKeyPair } from './keys.ts';
import {
  authorityKeyIdentifier, basicConstraints, extendedKeyUsage, keyIdentifier, keyUsage, subjectAltName, subjectKeyIdentifier,
  type CertExtension,
} from './extensions.ts';
import { distinguishedName, randomSerial, signCertificate, validityWindow } from './template.ts';
import { LEAF_USAGES } from '@kpki/shared/catalog';
import { PkiError } from './errors.ts';
import { parseUsages } from './usages.ts';


/** A leaf: `planned` is a catalog entry with isCa false; validity ends at the CA's notAfter at most. */
export interface IssueOptions extends CertificateRequest {
  /** the CA that signs: certificate and unencrypted private key, PEM */
  ca: CertificateAndKey;
}

export interface IssuedCertificate extends CertificateAndKey {
  /** true when notAfter was moved back to the CA's notAfter */
  notAfterClamped: boolean;
}

/**
 * Generates a key pair (off the event loop) and a certificate for it signed by the CA.
 * @throws PkiError CA_INVALID when the CA cannot sign (not a CA, key mismatch), CA_EXPIRED when it has expired at `now`,
 *   TypeError when `planned` is the CA entry.
 */
export async function issueCertificate(opts: IssueOptions): Promise<IssuedCertificate> {
  const [issuer, keys] = await Promise.all([loadIssuer(opts.ca), generateKeyPair(opts.algorithm)]);
  return signLeaf(issuer, keys, opts);
}

/** The part of issueCertificate after the CA is loaded and the key generated (used by issueAll). */
export async function signLeaf(
  issuer: Issuer,
  keys: CryptoKeyPair,
  opts: Omit<IssueOptions, 'ca' | 'algorithm'>,
): Promise<IssuedCertificate> {
  const { planned } = opts;
  if (planned.isCa) throw new TypeError(`"${planned.name}" is the CA entry, not a leaf: use createCa`);
  const window = validityWindow(opts);
  if (opts.now.getTime() >= issuer.notAfter.getTime()) {
    throw new PkiError('CA_EXPIRED', `the CA expired at ${issuer.notAfter.toISOString()}: create a new CA before issuing`);
  }
  const notAfterClamped = window.notAfter.getTime() > issuer.notAfter.getTime();
  const notAfter = notAfterClamped ? issuer.notAfter : window.notAfter;

  const usages = parseUsages(planned.usages.length ? planned.usages : LEAF_USAGES);
  const publicKeyDer = exportPublicKeyDer(keys.publicKey);
  const extensions: CertExtension[] = [keyUsage(usages.keyUsage, true)];
  if (usages.extendedKeyUsage.length) extensions.push(extendedKeyUsage(usages.extendedKeyUsage, false));
  extensions.push(basicConstraints(false, true), subjectKeyIdentifier(keyIdentifier(publicKeyDer)), authorityKeyIdentifier(issuer.keyId));
  if (planned.sans.length) extensions.push(subjectAltName(planned.sans));

  const certPem = await signCertificate({
    serial: opts.serial ?? randomSerial(),
    subject: distinguishedName(subjectParts(planned, opts.subject)),
    issuer: issuer.name,
    notBefore: window.notBefore,
    notAfter,
    publicKeyDer,
    signingKey: issuer.signingKey,
    signParams: issuer.signParams,
    extensions,
  });
  return { certPem, keyPem: exportPrivateKeyPem(keys.privateKey), notAfterClamped };
}
