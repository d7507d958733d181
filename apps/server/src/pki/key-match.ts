/**
 * Pairs and signatures of certificates kpki did not issue (issue 14, adoption): whether a private
 * key is the one of a certificate, and whether a certificate was signed by a CA whatever the
 * dates. Never throws; never returns or echoes key material.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { loadCertificate } from './inspect.ts';

/** True when `keyPem` is the private key of the certificate `certPem` (their public keys are equal). */
export function keyMatchesCertificate(certPem: string, keyPem: string): boolean {
  try {
    const fromKey = createPublicKey(createPrivateKey({ key: keyPem, format: 'pem' })).export({ type: 'spki', format: 'der' });
    const fromCert = loadCertificate(certPem).node.publicKey.export({ type: 'spki', format: 'der' });
    return Buffer.from(fromKey).equals(Buffer.from(fromCert));
  } catch {
    return false;
  }
}

/** Null when `certPem` names `caPem` as its issuer and its signature verifies with the CA's key; else why not, in words. */
export function notSignedBy(certPem: string, caPem: string): string | null {
  try {
    const cert = loadCertificate(certPem);
    const ca = loadCertificate(caPem);
    if (!Buffer.from(cert.issuerDer).equals(Buffer.from(ca.subjectDer))) return 'issued by another CA (its issuer is not the CA\'s subject)';
    return cert.node.verify(ca.node.publicKey) ? null : 'its signature does not verify with the CA\'s public key';
  } catch {
    return 'not a readable PEM certificate';
  }
}
