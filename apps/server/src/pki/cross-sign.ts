/**
 * A cross-signed CA (issue 13): a copy of one CA certificate (same subject, same key, same subject
 * key identifier) issued by another CA. A client that trusts only the other CA verifies
 * certificates of the first one through it (leaf -> cross-signed copy -> trusted CA), which is how
 * clients kpki does not manage keep working during a CA rotation. Validity: the CA's own window,
 * clamped to the issuer's notAfter.
 */
import type { CertificateAndKey } from './ca.ts';
import { loadIssuer } from './issuer.ts';
import { loadCertificate, readExtensions } from './inspect.ts';
import { authorityKeyIdentifier, basicConstraints, keyIdentifier, keyUsage, subjectKeyIdentifier } from './extensions.ts';
import { KEY_USAGE_FLAGS } from './usages.ts';
import { randomSerial, signCertificate } from './template.ts';
import { PkiError } from './errors.ts';

/** `caPem` (a CA certificate) issued by `issuer` (a CA certificate and its key); PEM. */
export async function crossSignCa(caPem: string, issuer: CertificateAndKey, serial?: string): Promise<string> {
  const signer = await loadIssuer(issuer);
  const ca = loadCertificate(caPem);
  const ext = readExtensions(ca);
  if (!ext.basicConstraints?.ca) throw new PkiError('CA_INVALID', 'only a CA certificate can be cross-signed');
  const spki = new Uint8Array(ca.node.publicKey.export({ type: 'spki', format: 'der' }));
  const notAfter = ca.notAfter.getTime() > signer.notAfter.getTime() ? signer.notAfter : ca.notAfter;
  return signCertificate({
    serial: serial ?? randomSerial(),
    subject: ca.subjectDer,
    issuer: signer.name,
    notBefore: ca.notBefore,
    notAfter,
    publicKeyDer: spki,
    signingKey: signer.signingKey,
    signParams: signer.signParams,
    extensions: [
      keyUsage(ext.keyUsage?.flags ?? KEY_USAGE_FLAGS.keyCertSign | KEY_USAGE_FLAGS.cRLSign, true),
      basicConstraints(true, true),
      subjectKeyIdentifier(ext.subjectKeyIdentifier ?? keyIdentifier(spki)),
      authorityKeyIdentifier(signer.keyId),
    ],
  });
}
