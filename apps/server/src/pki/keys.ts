/**
 * Key pairs: generation, PEM export in cfssl's format, and import of a CA key for signing.
 *
 * Generation goes through node's WebCrypto, which runs each RSA/EC key generation as an async
 * job on libuv's threadpool: the event loop is never blocked and N generations run on
 * min(N, UV_THREADPOOL_SIZE, cores) threads at once. libuv's pool has 4 threads unless
 * UV_THREADPOOL_SIZE says otherwise, and reads that variable once, at its first job: a process
 * entry (server.ts, the benchmarks) calls reserveThreadpool() first thing. Importing this module
 * changes nothing.
 */
import { availableParallelism } from 'node:os';
import { createPrivateKey, createPublicKey, KeyObject, webcrypto } from 'node:crypto';
import type { KeyAlgorithm } from '@kpki/shared';
import { algorithmSpec, keyAlgorithmOf } from './algorithms.ts';
import { PkiError } from './errors.ts';

const subtle = webcrypto.subtle;

/**
 * Gives libuv's threadpool at least one thread per core (at least 4, at most 1024) unless
 * UV_THREADPOOL_SIZE is set. Effective only before the pool's first job: call it first thing in a
 * process entry.
 */
export function reserveThreadpool(env: NodeJS.ProcessEnv = process.env): void {
  env.UV_THREADPOOL_SIZE ||= String(Math.min(Math.max(4, availableParallelism()), 1024));
}

/**
 * How many key generations to keep in flight to use every core: the number of cores, capped by
 * libuv's threadpool size (UV_THREADPOOL_SIZE, default 4), at least 1.
 */
export function keygenParallelism(): number {
  const pool = Number(process.env.UV_THREADPOOL_SIZE) || 4;
  return Math.max(1, Math.min(availableParallelism(), pool));
}

/**
 * Generates a new key pair off the event loop (libuv threadpool). RSA: RSASSA-PKCS1-v1_5 with
 * SHA-256 and e = 65537; ECDSA: P-256 or P-384. The private key is extractable, for
 * exportPrivateKeyPem.
 *
 * Typical time on one core: RSA 2048 ~100 ms (random, 20-400 ms), RSA 4096 ~1 s, ECDSA < 1 ms.
 */
export async function generateKeyPair(alg: KeyAlgorithm): Promise<CryptoKeyPair> {
  const spec = algorithmSpec(alg);
  return (await subtle.generateKey(spec.keyParams, true, ['sign', 'verify'])) as CryptoKeyPair;
}

/**
 * The private key as PEM, in the format cfssl writes: "RSA PRIVATE KEY" (PKCS#1) for RSA,
 * "EC PRIVATE KEY" (SEC1, with the curve OID and the public key) for ECDSA. Unencrypted: the
 * caller encrypts it at rest.
 */
export function exportPrivateKeyPem(privateKey: CryptoKey): string {
  const key = KeyObject.from(privateKey);
  const type = key.asymmetricKeyType === 'rsa' ? 'pkcs1' : 'sec1';
  return key.export({ type, format: 'pem' }) as string;
}

/** The public key as DER SubjectPublicKeyInfo (what a certificate embeds). */
export function exportPublicKeyDer(publicKey: CryptoKey): Uint8Array<ArrayBuffer> {
  return new Uint8Array(KeyObject.from(publicKey).export({ type: 'spki', format: 'der' }));
}

/** A private key PEM of `alg` as a KeyObject; the errors never contain key material. */
function privateKeyOf(pem: string, alg: KeyAlgorithm): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new PkiError('INVALID_PEM', 'the private key is not a readable unencrypted PEM private key');
  }
  const actual = keyAlgorithmOf(key);
  if (actual !== alg) throw new PkiError('UNSUPPORTED_KEY', `the private key is ${actual}, expected ${alg}`);
  return key;
}

/**
 * Loads a private key PEM (PKCS#1, SEC1 or PKCS#8, unencrypted) as a non-extractable signing
 * CryptoKey of algorithm `alg`.
 * @throws PkiError (INVALID_PEM, UNSUPPORTED_KEY) when the PEM is not a private key or its type/size is not `alg`. The message
 *   never contains key material.
 */
export async function importPrivateKey(pem: string, alg: KeyAlgorithm): Promise<CryptoKey> {
  const spec = algorithmSpec(alg);
  const key = privateKeyOf(pem, alg);
  try {
    const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
    return await subtle.importKey('pkcs8', pkcs8, spec.keyParams, false, ['sign']);
  } catch {
    throw new PkiError('INVALID_PEM', `the private key is not a valid ${alg} key`);
  }
}

/**
 * A key pair from an existing private key PEM (a key kept on renewal, or a prepared one), in the
 * form generateKeyPair returns: extractable, so exportPrivateKeyPem gives back the same PEM kpki
 * wrote (PKCS#1 or SEC1).
 * @throws Error when the PEM is not a private key of `alg`; the message never contains key material.
 */
export async function keyPairFromPem(pem: string, alg: KeyAlgorithm): Promise<CryptoKeyPair> {
  const spec = algorithmSpec(alg);
  const key = privateKeyOf(pem, alg);
  const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
  const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
  const [privateKey, publicKey] = await Promise.all([
    subtle.importKey('pkcs8', pkcs8, spec.keyParams, true, ['sign']),
    subtle.importKey('spki', spki, spec.keyParams, true, ['verify']),
  ]);
  return { privateKey, publicKey };
}

/** The KeyAlgorithm of a private key PEM. @throws PkiError INVALID_PEM when unreadable, UNSUPPORTED_KEY when unsupported. */
export function privateKeyAlgorithm(pem: string): KeyAlgorithm {
  try {
    return keyAlgorithmOf(createPrivateKey({ key: pem, format: 'pem' }));
  } catch (err) {
    if (err instanceof PkiError) throw err;
    throw new PkiError('INVALID_PEM', 'the private key is not a readable unencrypted PEM private key');
  }
}
