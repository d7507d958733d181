/**
 * The five key algorithms of kpki (KeyAlgorithm of packages/shared) as WebCrypto parameters,
 * and the signature each one makes as an issuer.
 *
 * | algorithm  | key                          | signs with                          |
 * |------------|------------------------------|-------------------------------------|
 * | rsa-2048   | RSA 2048 bit, e = 65537      | sha256WithRSAEncryption (PKCS#1 v1.5) |
 * | rsa-3072   | RSA 3072 bit, e = 65537      | sha256WithRSAEncryption             |
 * | rsa-4096   | RSA 4096 bit, e = 65537      | sha256WithRSAEncryption             |
 * | ecdsa-p256 | ECDSA P-256 (prime256v1)     | ecdsa-with-SHA256                   |
 * | ecdsa-p384 | ECDSA P-384 (secp384r1)      | ecdsa-with-SHA384                   |
 *
 * docs/domain.md fixes SHA-256 for every RSA size. cfssl 1.2 differs here: it picks the hash from
 * the CA key size (SHA-384 for RSA 3072, SHA-512 for RSA 4096); see test/pki-cfssl.test.ts.
 */
import type { KeyObject } from 'node:crypto';
import type { KeyAlgorithm } from '@kpki/shared';

export interface AlgorithmSpec {
  /** parameters of SubtleCrypto.generateKey / importKey */
  keyParams: RsaHashedKeyGenParams | EcKeyGenParams;
  /** parameters of SubtleCrypto.sign when this key signs a certificate (RSA: the hash is the key's, fixed at import) */
  signParams: { name: string; hash: string };
  /** PEM encoding of the private key as cfssl writes it: PKCS#1 ("RSA PRIVATE KEY") or SEC1 ("EC PRIVATE KEY") */
  pemType: 'pkcs1' | 'sec1';
}

const E_65537 = new Uint8Array([1, 0, 1]);

function rsa(bits: number): AlgorithmSpec {
  return {
    keyParams: { name: 'RSASSA-PKCS1-v1_5', modulusLength: bits, publicExponent: E_65537, hash: 'SHA-256' },
    signParams: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    pemType: 'pkcs1',
  };
}

function ec(namedCurve: 'P-256' | 'P-384', hash: 'SHA-256' | 'SHA-384'): AlgorithmSpec {
  return { keyParams: { name: 'ECDSA', namedCurve }, signParams: { name: 'ECDSA', hash }, pemType: 'sec1' };
}

const SPECS: Record<KeyAlgorithm, AlgorithmSpec> = {
  'rsa-2048': rsa(2048),
  'rsa-3072': rsa(3072),
  'rsa-4096': rsa(4096),
  'ecdsa-p256': ec('P-256', 'SHA-256'),
  'ecdsa-p384': ec('P-384', 'SHA-384'),
};

/** The WebCrypto parameters of `alg`. @throws TypeError for an unknown algorithm. */
export function algorithmSpec(alg: KeyAlgorithm): AlgorithmSpec {
  const spec = SPECS[alg];
  if (!spec) throw new TypeError(`unsupported key algorithm "${String(alg)}" (expected one of ${Object.keys(SPECS).join(', ')})`);
  return spec;
}

/**
 * The KeyAlgorithm of a node KeyObject (public or private), from its type and size.
 * @throws Error for key types or sizes kpki does not issue with (e.g. Ed25519, RSA 1024, P-521).
 */
export function keyAlgorithmOf(key: KeyObject): KeyAlgorithm {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') {
    const alg = `rsa-${details.modulusLength}` as KeyAlgorithm;
    if (alg in SPECS) return alg;
    throw new Error(`RSA keys of ${details.modulusLength} bits are not supported (2048, 3072 or 4096)`);
  }
  if (key.asymmetricKeyType === 'ec') {
    if (details.namedCurve === 'prime256v1') return 'ecdsa-p256';
    if (details.namedCurve === 'secp384r1') return 'ecdsa-p384';
    throw new Error(`EC curve ${details.namedCurve} is not supported (P-256 or P-384)`);
  }
  throw new Error(`${key.asymmetricKeyType} keys are not supported (RSA or ECDSA)`);
}
