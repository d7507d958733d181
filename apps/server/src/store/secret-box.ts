/**
 * Private keys at rest: AES-256-GCM under the master key. A sealed value stores the format
 * version, the key id (first 8 bytes of SHA-256 of the master key, hex), a 12-byte IV, the
 * 16-byte tag and the ciphertext; the owner's row id is the additional data, so a sealed value
 * moved to another row does not open.
 */
import crypto from 'node:crypto';

export interface Sealed {
  version: number;
  keyId: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

export function keyIdOf(masterKey: Buffer): string {
  return crypto.createHash('sha256').update(masterKey).digest('hex').slice(0, 16);
}

export function seal(masterKey: Buffer, rowId: string, plaintext: string): Sealed {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', masterKey, iv);
  cipher.setAAD(Buffer.from(rowId, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { version: 1, keyId: keyIdOf(masterKey), iv, tag: cipher.getAuthTag(), ciphertext };
}

export function open(masterKey: Buffer, rowId: string, s: Sealed): string {
  if (s.version !== 1) throw new Error(`unknown sealed format version ${s.version}`);
  if (s.keyId !== keyIdOf(masterKey)) {
    throw new Error(`secret ${rowId} is sealed under master key ${s.keyId}, not the configured one: set KPKI_MASTER_KEY to the key that belongs to this database`);
  }
  const decipher = crypto.createDecipheriv('aes-256-gcm', masterKey, s.iv);
  decipher.setAAD(Buffer.from(rowId, 'utf8'));
  decipher.setAuthTag(s.tag);
  return Buffer.concat([decipher.update(s.ciphertext), decipher.final()]).toString('utf8');
}
