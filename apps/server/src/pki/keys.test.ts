import { createPrivateKey, createPublicKey, KeyObject, verify, webcrypto } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { describe, expect, test } from 'vitest';
import type { KeyAlgorithm } from '@kpki/shared';
import { exportPrivateKeyPem, generateKeyPair, importPrivateKey, keygenParallelism, keyPairFromPem, privateKeyAlgorithm } from './keys.ts';

const CASES: Array<[KeyAlgorithm, string, Record<string, unknown>]> = [
  ['rsa-2048', 'RSA PRIVATE KEY', { modulusLength: 2048, publicExponent: 65537n }],
  ['rsa-3072', 'RSA PRIVATE KEY', { modulusLength: 3072, publicExponent: 65537n }],
  ['rsa-4096', 'RSA PRIVATE KEY', { modulusLength: 4096, publicExponent: 65537n }],
  ['ecdsa-p256', 'EC PRIVATE KEY', { namedCurve: 'prime256v1' }],
  ['ecdsa-p384', 'EC PRIVATE KEY', { namedCurve: 'secp384r1' }],
];

describe('generateKeyPair + exportPrivateKeyPem', () => {
  test.each(CASES)('%s: PEM "%s" as cfssl writes it', async (alg, label, details) => {
    const pair = await generateKeyPair(alg);
    const pem = exportPrivateKeyPem(pair.privateKey);
    expect(pem.startsWith(`-----BEGIN ${label}-----\n`)).toBe(true);
    expect(pem.endsWith(`-----END ${label}-----\n`)).toBe(true);
    const key = createPrivateKey(pem);
    expect(key.asymmetricKeyDetails).toMatchObject(details);
    expect(privateKeyAlgorithm(pem)).toBe(alg);
    // the exported private key belongs to the generated public key
    const spki = (k: KeyObject) => k.export({ type: 'spki', format: 'der' });
    expect(spki(createPublicKey(key)).equals(spki(KeyObject.from(pair.publicKey)))).toBe(true);
  });

  test('unknown algorithm is a TypeError', async () => {
    await expect(generateKeyPair('rsa-1024' as KeyAlgorithm)).rejects.toThrow(/unsupported key algorithm "rsa-1024"/);
  });
});

describe('importPrivateKey', () => {
  test('a PEM key signs, and the signature verifies with its public key (ECDSA P-384, SHA-384)', async () => {
    const pair = await generateKeyPair('ecdsa-p384');
    const pem = exportPrivateKeyPem(pair.privateKey);
    const key = await importPrivateKey(pem, 'ecdsa-p384');
    expect(key.extractable).toBe(false);
    const data = new TextEncoder().encode('hello');
    const sig = await webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-384' }, key, data);
    expect(await webcrypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-384' }, pair.publicKey, sig, data)).toBe(true);
  });

  test('RSA PKCS#1 PEM imports for RSASSA-PKCS1-v1_5 SHA-256', async () => {
    const pair = await generateKeyPair('rsa-2048');
    const pem = exportPrivateKeyPem(pair.privateKey);
    const key = await importPrivateKey(pem, 'rsa-2048');
    const data = new TextEncoder().encode('hello');
    const sig = Buffer.from(await webcrypto.subtle.sign('RSASSA-PKCS1-v1_5', key, data));
    expect(verify('sha256', data, createPublicKey(pem), sig)).toBe(true);
  });

  test('errors name the problem and never echo key material', async () => {
    const pair = await generateKeyPair('ecdsa-p256');
    const pem = exportPrivateKeyPem(pair.privateKey);
    const body = pem.split('\n')[1];
    const wrong = await importPrivateKey(pem, 'ecdsa-p384').catch((e: Error) => e);
    expect(wrong).toBeInstanceOf(Error);
    expect((wrong as Error).message).toBe('the private key is ecdsa-p256, expected ecdsa-p384');
    const broken = pem.replace(body, body.slice(0, 20) + 'AAAA' + body.slice(24));
    const garbage = await importPrivateKey(broken, 'ecdsa-p256').catch((e: Error) => e);
    expect((garbage as Error).message).toMatch(/^the private key is not a (readable unencrypted PEM private key|valid ecdsa-p256 key)$/);
    const notPem = await importPrivateKey('hello', 'ecdsa-p256').catch((e: Error) => e);
    expect((notPem as Error).message).toBe('the private key is not a readable unencrypted PEM private key');
    for (const e of [wrong, garbage] as Error[]) {
      expect(e.message).not.toContain(body.slice(0, 16));
      expect(String(e.stack)).not.toContain(body.slice(0, 16));
    }
  });
});

describe('concurrency', () => {
  test('keygenParallelism uses every core the threadpool allows', () => {
    const pool = Number(process.env.UV_THREADPOOL_SIZE) || 4;
    expect(keygenParallelism()).toBe(Math.max(1, Math.min(availableParallelism(), pool)));
  });

  // that key generation leaves the event loop free is timing: `npm run bench -- issuance` measures it
});

describe('keyPairFromPem', () => {
  test.each(['rsa-2048', 'ecdsa-p256', 'ecdsa-p384'] as KeyAlgorithm[])('%s: the same key comes back, byte for byte, and signs', async (alg) => {
    const pem = exportPrivateKeyPem((await generateKeyPair(alg)).privateKey);
    const pair = await keyPairFromPem(pem, alg);
    expect(exportPrivateKeyPem(pair.privateKey)).toBe(pem);
    expect(createPublicKey(pem).export({ type: 'spki', format: 'der' }).equals(KeyObject.from(pair.publicKey).export({ type: 'spki', format: 'der' }))).toBe(true);
  });

  test('a key of another algorithm, or garbage, is refused without echoing it', async () => {
    const pem = exportPrivateKeyPem((await generateKeyPair('ecdsa-p256')).privateKey);
    await expect(keyPairFromPem(pem, 'rsa-2048')).rejects.toThrow('the private key is ecdsa-p256, expected rsa-2048');
    await expect(keyPairFromPem('-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n', 'rsa-2048')).rejects.toThrow(/^the private key is not a readable/);
  });
});
