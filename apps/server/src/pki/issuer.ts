/**
 * A CA loaded for signing: its certificate parsed once, its key imported once, and checked to
 * belong together, so that issuing N leaves costs one import and no re-parsing.
 */
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { algorithmSpec, keyAlgorithmOf } from './algorithms.ts';
import type { CertificateAndKey } from './ca.ts';
import { importPrivateKey } from './keys.ts';
import { keyIdentifier } from './template.ts';
import { x509 } from './x509.ts';

export interface Issuer {
  /** the CA's subject, written as each leaf's issuer (byte for byte) */
  name: x509.Name;
  /** lower-case hex; each leaf's authority key identifier */
  keyId: string;
  notBefore: Date;
  notAfter: Date;
  signingKey: CryptoKey;
  /** chosen by the CA's key: SHA-256, or SHA-384 for an ECDSA P-384 CA */
  signParams: { name: string; hash?: string };
}

/**
 * Parses the CA certificate, imports its key and checks that it can sign: the certificate is a
 * CA (basic constraints CA:TRUE, key usage certificate sign when present) and the key is the
 * certificate's. Does not check dates (the caller clamps or refuses).
 * @throws Error with a message that names the problem and never contains key material.
 */
export async function loadIssuer(ca: CertificateAndKey): Promise<Issuer> {
  let cert: x509.X509Certificate;
  let nodeCert: X509Certificate;
  try {
    cert = new x509.X509Certificate(ca.certPem);
    nodeCert = new X509Certificate(ca.certPem);
  } catch {
    throw new Error('the CA certificate is not a readable PEM certificate');
  }
  const bc = cert.getExtension(x509.BasicConstraintsExtension);
  if (!bc?.ca) throw new Error('the CA certificate is not a CA (basic constraints CA:TRUE missing)');
  const ku = cert.getExtension(x509.KeyUsagesExtension);
  if (ku && !(ku.usages & x509.KeyUsageFlags.keyCertSign)) throw new Error('the CA certificate may not sign certificates (key usage lacks certificate sign)');

  const caPublic = nodeCert.publicKey;
  const alg = keyAlgorithmOf(caPublic);
  let matches = false;
  try {
    const fromKey = createPublicKey(createPrivateKey({ key: ca.keyPem, format: 'pem' }));
    matches = fromKey.export({ type: 'spki', format: 'der' }).equals(caPublic.export({ type: 'spki', format: 'der' }));
  } catch {
    throw new Error('the CA private key is not a readable unencrypted PEM private key');
  }
  if (!matches) throw new Error('the CA private key does not belong to the CA certificate');

  const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension);
  const spki = new Uint8Array(caPublic.export({ type: 'spki', format: 'der' }));
  return {
    name: cert.subjectName,
    keyId: ski ? ski.keyId.toLowerCase() : await keyIdentifier(spki),
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    signingKey: await importPrivateKey(ca.keyPem, alg),
    signParams: algorithmSpec(alg).signParams,
  };
}
