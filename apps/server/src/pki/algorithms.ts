/**
 * The one table of kpki's algorithms: the five key algorithms (KeyAlgorithm of packages/shared)
 * as WebCrypto parameters, the curves, and the signature algorithms with their OIDs and the
 * names OpenSSL prints. Every file of pki/ that writes or reads an algorithm looks it up here.
 *
 * | algorithm  | key                          | signs with                            |
 * |------------|------------------------------|---------------------------------------|
 * | rsa-2048   | RSA 2048 bit, e = 65537      | sha256WithRSAEncryption (PKCS#1 v1.5) |
 * | rsa-3072   | RSA 3072 bit, e = 65537      | sha256WithRSAEncryption               |
 * | rsa-4096   | RSA 4096 bit, e = 65537      | sha256WithRSAEncryption               |
 * | ecdsa-p256 | ECDSA P-256 (prime256v1)     | ecdsa-with-SHA256                     |
 * | ecdsa-p384 | ECDSA P-384 (secp384r1)      | ecdsa-with-SHA384                     |
 *
 * docs/domain.md section 2 fixes SHA-256 for every RSA size. cfssl 1.2 differs here: it picks the
 * hash from the CA key size (SHA-384 for RSA 3072, SHA-512 for RSA 4096); see test/pki-cfssl.test.ts.
 */
import type { KeyObject } from 'node:crypto';
import type { KeyAlgorithm } from '@kpki/shared';
import { PkiError } from './errors.ts';

/** A named curve: node's name, the NIST name, its size, and the KeyAlgorithm kpki issues with it (none for P-521). */
export interface Curve {
  node: string;
  nist: 'P-256' | 'P-384' | 'P-521';
  bits: number;
  algorithm: KeyAlgorithm | null;
}

export const CURVES: readonly Curve[] = [
  { node: 'prime256v1', nist: 'P-256', bits: 256, algorithm: 'ecdsa-p256' },
  { node: 'secp384r1', nist: 'P-384', bits: 384, algorithm: 'ecdsa-p384' },
  { node: 'secp521r1', nist: 'P-521', bits: 521, algorithm: null },
];

/** The curve of node's name ("prime256v1") or the NIST name ("P-256"), or undefined. */
export const curveOf = (name: string): Curve | undefined => CURVES.find((c) => c.node === name || c.nist === name);

/** WebCrypto's parameters of a signature, e.g. { name: 'ECDSA', hash: 'SHA-384' }. */
export interface SignParams {
  name: string;
  hash: string;
}

/** A signature algorithm: its OID, OpenSSL's name, and, for those kpki makes, the WebCrypto parameters. */
export interface SignatureAlgorithm {
  oid: string;
  name: string;
  sign?: SignParams;
  /** RSA PKCS#1 v1.5 writes NULL parameters in its AlgorithmIdentifier, ECDSA none */
  nullParameters?: boolean;
}

const RSA = 'RSASSA-PKCS1-v1_5';
export const SIGNATURE_ALGORITHMS: readonly SignatureAlgorithm[] = [
  { oid: '1.2.840.113549.1.1.4', name: 'md5WithRSAEncryption' },
  { oid: '1.2.840.113549.1.1.5', name: 'sha1WithRSAEncryption' },
  { oid: '1.2.840.113549.1.1.10', name: 'rsassaPss' },
  { oid: '1.2.840.113549.1.1.11', name: 'sha256WithRSAEncryption', sign: { name: RSA, hash: 'SHA-256' }, nullParameters: true },
  { oid: '1.2.840.113549.1.1.12', name: 'sha384WithRSAEncryption', sign: { name: RSA, hash: 'SHA-384' }, nullParameters: true },
  { oid: '1.2.840.113549.1.1.13', name: 'sha512WithRSAEncryption', sign: { name: RSA, hash: 'SHA-512' }, nullParameters: true },
  { oid: '1.2.840.10045.4.1', name: 'ecdsa-with-SHA1' },
  { oid: '1.2.840.10045.4.3.2', name: 'ecdsa-with-SHA256', sign: { name: 'ECDSA', hash: 'SHA-256' } },
  { oid: '1.2.840.10045.4.3.3', name: 'ecdsa-with-SHA384', sign: { name: 'ECDSA', hash: 'SHA-384' } },
  { oid: '1.2.840.10045.4.3.4', name: 'ecdsa-with-SHA512', sign: { name: 'ECDSA', hash: 'SHA-512' } },
  { oid: '1.3.101.112', name: 'ED25519' },
  { oid: '1.3.101.113', name: 'ED448' },
];

/** OpenSSL's name of a signature algorithm OID, or the OID itself. */
export const signatureName = (oid: string): string => SIGNATURE_ALGORITHMS.find((s) => s.oid === oid)?.name ?? oid;

/** The signature algorithm kpki writes for WebCrypto's parameters, or undefined when it makes none such. */
export const signatureFor = (p: SignParams): SignatureAlgorithm | undefined =>
  SIGNATURE_ALGORITHMS.find((s) => s.sign?.name === p.name && s.sign.hash === p.hash);

export interface AlgorithmSpec {
  /** parameters of SubtleCrypto.generateKey / importKey */
  keyParams: RsaHashedKeyGenParams | EcKeyGenParams;
  /** parameters of SubtleCrypto.sign when this key signs a certificate (RSA: the hash is the key's, fixed at import) */
  signParams: SignParams;
  /** PEM encoding of the private key as cfssl writes it: PKCS#1 ("RSA PRIVATE KEY") or SEC1 ("EC PRIVATE KEY") */
  pemType: 'pkcs1' | 'sec1';
}

const E_65537 = new Uint8Array([1, 0, 1]);

function rsa(bits: number): AlgorithmSpec {
  return {
    keyParams: { name: RSA, modulusLength: bits, publicExponent: E_65537, hash: 'SHA-256' },
    signParams: { name: RSA, hash: 'SHA-256' },
    pemType: 'pkcs1',
  };
}

function ec(alg: KeyAlgorithm, hash: 'SHA-256' | 'SHA-384'): AlgorithmSpec {
  return { keyParams: { name: 'ECDSA', namedCurve: CURVES.find((c) => c.algorithm === alg)!.nist }, signParams: { name: 'ECDSA', hash }, pemType: 'sec1' };
}

const SPECS: Record<KeyAlgorithm, AlgorithmSpec> = {
  'rsa-2048': rsa(2048),
  'rsa-3072': rsa(3072),
  'rsa-4096': rsa(4096),
  'ecdsa-p256': ec('ecdsa-p256', 'SHA-256'),
  'ecdsa-p384': ec('ecdsa-p384', 'SHA-384'),
};

/** The WebCrypto parameters of `alg`. @throws PkiError UNSUPPORTED_KEY for an unknown algorithm. */
export function algorithmSpec(alg: KeyAlgorithm): AlgorithmSpec {
  const spec = SPECS[alg];
  if (!spec) throw new PkiError('UNSUPPORTED_KEY', `unsupported key algorithm "${String(alg)}" (expected one of ${Object.keys(SPECS).join(', ')})`);
  return spec;
}

/**
 * The KeyAlgorithm of a node KeyObject (public or private), from its type and size.
 * @throws PkiError UNSUPPORTED_KEY for key types or sizes kpki does not issue with (e.g. Ed25519, RSA 1024, P-521).
 */
export function keyAlgorithmOf(key: KeyObject): KeyAlgorithm {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') {
    const alg = `rsa-${details.modulusLength}` as KeyAlgorithm;
    if (alg in SPECS) return alg;
    throw new PkiError('UNSUPPORTED_KEY', `RSA keys of ${details.modulusLength} bits are not supported (2048, 3072 or 4096)`);
  }
  if (key.asymmetricKeyType === 'ec') {
    const alg = curveOf(details.namedCurve ?? '')?.algorithm;
    if (alg) return alg;
    throw new PkiError('UNSUPPORTED_KEY', `EC curve ${details.namedCurve} is not supported (P-256 or P-384)`);
  }
  throw new PkiError('UNSUPPORTED_KEY', `${key.asymmetricKeyType} keys are not supported (RSA or ECDSA)`);
}
