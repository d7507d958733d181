/**
 * A CA loaded for signing: its certificate parsed once, its key imported once, and checked to
 * belong together, so that issuing N leaves costs one import and no re-parsing.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { algorithmSpec, keyAlgorithmOf } from './algorithms.ts';
import type { CertificateAndKey } from './ca.ts';
import { keyIdentifier } from './extensions.ts';
import { loadCertificate, readExtensions } from './inspect.ts';
import { importPrivateKey } from './keys.ts';
import { PkiError } from './errors.ts';
import { KEY_USAGE_FLAGS } from './usages.ts';

export interface Issuer {
  /** DER of the CA's subject, written as each leaf's issuer (byte for byte) */
  name: Uint8Array;
  /** lower-case hex; each leaf's authority key identifier */
  keyId: string;
  notBefore: Date;
  notAfter: Date;
  signingKey: CryptoKey;
  /** chosen by the CA's key: SHA-256, or SHA-384 for an ECDSA P-384 CA */
  signParams: { name: string; hash: string };
}

/**
 * Parses the CA certificate, imports its key and checks that it can sign: the certificate is a
 * CA (basic constraints CA:TRUE, key usage certificate sign when present) and the key is the
 * certificate's. Does not check dates (the caller clamps or refuses).
 * @throws PkiError CA_INVALID with a message that names the problem and never contains key material.
 */
export async function loadIssuer(ca: CertificateAndKey): Promise<Issuer> {
  let loaded: ReturnType<typeof loadCertificate>;
  try {
    loaded = loadCertificate(ca.certPem);
  } catch {
    throw new PkiError('CA_INVALID', 'the CA certificate is not a readable PEM certificate');
  }
  const ext = readExtensions(loaded);
  if (!ext.basicConstraints?.ca) throw new PkiError('CA_INVALID', 'the CA certificate is not a CA (basic constraints CA:TRUE missing)');
  if (ext.keyUsage && !(ext.keyUsage.flags & KEY_USAGE_FLAGS.keyCertSign)) {
    throw new PkiError('CA_INVALID', 'the CA certificate may not sign certificates (key usage lacks certificate sign)');
  }

  const caPublic = loaded.node.publicKey;
  const alg = keyAlgorithmOf(caPublic);
  const spki = caPublic.export({ type: 'spki', format: 'der' });
  let matches: boolean;
  try {
    matches = createPublicKey(createPrivateKey({ key: ca.keyPem, format: 'pem' })).export({ type: 'spki', format: 'der' }).equals(spki);
  } catch {
    throw new PkiError('CA_INVALID', 'the CA private key is not a readable unencrypted PEM private key');
  }
  if (!matches) throw new PkiError('CA_INVALID', 'the CA private key does not belong to the CA certificate');

  return {
    name: loaded.subjectDer,
    keyId: ext.subjectKeyIdentifier ?? keyIdentifier(spki),
    notBefore: loaded.notBefore,
    notAfter: loaded.notAfter,
    signingKey: await importPrivateKey(ca.keyPem, alg),
    signParams: algorithmSpec(alg).signParams,
  };
}
