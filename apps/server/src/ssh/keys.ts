/**
 * SSH keys: the cluster's deploy key (generated ed25519), uploaded private keys, fingerprints.
 *
 * ssh2 1.17 cannot read the PKCS#8 PEM that node:crypto exports for ed25519 ("Unsupported key
 * format"), so generated and normalised ed25519 keys are written in OpenSSH's own
 * "openssh-key-v1" format (unencrypted), which both ssh2 and `ssh-keygen` read. RSA and ECDSA keys
 * are normalised to PKCS#1 / SEC1 PEM, which ssh2 reads as well.
 *
 * Nothing here ever puts key material into an error message.
 */
import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import ssh2 from 'ssh2';
import type { ParsedKey } from 'ssh2';
import { SshKeyError } from './errors.ts';

const { utils } = ssh2;

/** A key pair ready to store (private half) and to show (public line, fingerprint). */
export interface DeployKey {
  /** "-----BEGIN OPENSSH PRIVATE KEY-----..." (unencrypted; encrypt it at rest) */
  privateKey: string;
  /** OpenSSH public line: "ssh-ed25519 AAAA... comment" */
  publicKey: string;
  /** "SHA256:..." as `ssh-keygen -lf` prints it */
  fingerprint: string;
}

/** An uploaded private key, checked and normalised to a format ssh2 reads. */
export interface ParsedPrivateKey extends DeployKey {
  /** SSH key type, e.g. "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256" */
  keyType: string;
}

/** Largest private key text accepted (an RSA 16384 key in OpenSSH format is about 12 kB). */
const MAX_KEY_TEXT = 64 * 1024;
/** Smallest accepted RSA modulus. */
const MIN_RSA_BITS = 2048;

/** SSH wire "string": uint32 length + bytes. */
function sshString(data: Buffer | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length, 0);
  return Buffer.concat([len, body]);
}

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0, 0);
  return b;
}

/** OpenSSH fingerprint of a public key blob: "SHA256:" + unpadded base64 of its SHA-256. */
export function fingerprintOfPublicBlob(blob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

/** Key type named at the start of a public key blob (e.g. "ssh-ed25519"), or "unknown". */
export function keyTypeOfPublicBlob(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const len = blob.readUInt32BE(0);
  if (len === 0 || len > 64 || blob.length < 4 + len) return 'unknown';
  return blob.subarray(4, 4 + len).toString('latin1');
}

/**
 * Normalise a pinned fingerprint for comparison: trims, drops base64 padding.
 * Returns null when the text is not an OpenSSH SHA-256 fingerprint ("SHA256:" + 43 base64 chars).
 */
export function normalizeFingerprint(text: string): string | null {
  const t = text.trim().replace(/=+$/, '');
  return /^SHA256:[A-Za-z0-9+/]{43}$/.test(t) ? t : null;
}

/** Write an ed25519 key in OpenSSH's unencrypted "openssh-key-v1" format. */
function encodeOpenSshEd25519(seed: Buffer, pub: Buffer, comment: string): string {
  const keyType = 'ssh-ed25519';
  const pubBlob = Buffer.concat([sshString(keyType), sshString(pub)]);
  const check = randomBytes(4).readUInt32BE(0);
  let priv = Buffer.concat([
    uint32(check),
    uint32(check),
    sshString(keyType),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(comment),
  ]);
  // Pad to the cipher block size ("none": 8) with 1, 2, 3, ...
  const padLen = (8 - (priv.length % 8)) % 8;
  priv = Buffer.concat([priv, Buffer.from(Array.from({ length: padLen }, (_, i) => i + 1))]);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0', 'latin1'),
    sshString('none'), // cipher
    sshString('none'), // kdf
    sshString(Buffer.alloc(0)), // kdf options
    uint32(1), // number of keys
    sshString(pubBlob),
    sshString(priv),
  ]);
  const b64 = body.toString('base64').replace(/(.{70})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${b64}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

/** ed25519 KeyObject -> OpenSSH private key text. */
function ed25519ToOpenSsh(key: KeyObject, comment: string): string {
  const jwk = key.export({ format: 'jwk' });
  if (!jwk.d || !jwk.x) throw new SshKeyError('the ed25519 key has no private part');
  return encodeOpenSshEd25519(Buffer.from(jwk.d, 'base64url'), Buffer.from(jwk.x, 'base64url'), comment);
}

/** Comments end up in public lines: keep them to one line of printable characters. */
function cleanComment(comment: string): string {
  return comment.replace(/[^\x20-\x7e]/g, '').trim().slice(0, 200);
}

/** ssh2's parse, first key of the file, or null. */
function ssh2Parse(text: string, passphrase?: string): ParsedKey | Error {
  const parsed = utils.parseKey(text, passphrase);
  if (parsed instanceof Error) return parsed;
  return Array.isArray(parsed) ? (parsed[0] as ParsedKey) : parsed;
}

function publicLine(parsed: ParsedKey, comment: string): string {
  const blob = parsed.getPublicSSH();
  const c = cleanComment(comment);
  return `${keyTypeOfPublicBlob(blob)} ${blob.toString('base64')}${c ? ' ' + c : ''}`;
}

/**
 * Generate the cluster's deploy key: ed25519, in OpenSSH format.
 * @param comment goes into the public line, e.g. "kpki-<cluster>"
 */
export function generateDeployKey(comment: string): DeployKey {
  const { privateKey: key } = generateKeyPairSync('ed25519');
  const privateKey = ed25519ToOpenSsh(key, cleanComment(comment));
  const parsed = ssh2Parse(privateKey);
  if (parsed instanceof Error) throw new Error(`internal: ssh2 cannot read the generated key (${parsed.message})`);
  return {
    privateKey,
    publicKey: publicLine(parsed, comment),
    fingerprint: fingerprintOfPublicBlob(parsed.getPublicSSH()),
  };
}

/** Turn a failure to read the key into a message that says what to do (never quoting the key). */
function describeParseFailure(err: Error | undefined, text: string, passphrase?: string): string {
  const msg = err?.message ?? '';
  if (/passphrase|decrypt|bad decrypt/i.test(msg) || (err as { code?: string } | undefined)?.code === 'ERR_MISSING_PASSPHRASE') {
    return passphrase
      ? 'the private key is encrypted and the passphrase is wrong'
      : 'the private key is encrypted: give its passphrase, or remove it with `ssh-keygen -p -N "" -f <key>` before uploading';
  }
  if (/^(ssh-|ecdsa-|sk-)\S+ [A-Za-z0-9+/=]+/.test(text) || /BEGIN (SSH2 |RSA )?PUBLIC KEY/.test(text)) {
    return 'this is a public key: upload the private key (the file without .pub)';
  }
  if (/BEGIN DSA PRIVATE KEY/.test(text) || /ssh-dss/.test(msg)) return 'DSA keys are not supported: use ed25519, ECDSA or RSA';
  if (/Unsupported OpenSSH private key type/.test(msg)) return 'this OpenSSH key type is not supported: use ed25519, ECDSA or RSA';
  if (/cipher|kdf/i.test(msg)) return 'the private key is encrypted with a cipher that is not supported: remove the passphrase with `ssh-keygen -p`';
  return 'not a private key kpki can read: expected an OpenSSH ("BEGIN OPENSSH PRIVATE KEY") or PEM (RSA, EC, PKCS#8) private key of type ed25519, ECDSA or RSA';
}

/**
 * Read an uploaded private key (OpenSSH, PEM PKCS#1 / SEC1 / PKCS#8, PuTTY; ed25519, ECDSA
 * P-256/384/521, RSA >= 2048 bits) and normalise it to a format ssh2 reads.
 * The returned `privateKey` is unencrypted: encrypt it at rest.
 * @throws SshKeyError with a message that says what to do; it never contains the key.
 */
export function parsePrivateKey(text: string, passphrase?: string): ParsedPrivateKey {
  if (typeof text !== 'string' || text.trim() === '') throw new SshKeyError('the private key is empty');
  if (text.length > MAX_KEY_TEXT) throw new SshKeyError(`the private key is larger than ${MAX_KEY_TEXT} bytes: not a key`);
  const clean = text.replace(/\r\n/g, '\n').trim();

  let key: KeyObject;
  let comment = '';
  if (/^-----BEGIN (ENCRYPTED )?PRIVATE KEY-----/.test(clean)) {
    // PKCS#8: ssh2 cannot read it, node:crypto can.
    if (clean.startsWith('-----BEGIN ENCRYPTED') && !passphrase) {
      throw new SshKeyError(describeParseFailure(Object.assign(new Error(), { code: 'ERR_MISSING_PASSPHRASE' }), clean));
    }
    try {
      key = createPrivateKey(passphrase ? { key: clean, format: 'pem', passphrase } : { key: clean, format: 'pem' });
    } catch (err) {
      throw new SshKeyError(describeParseFailure(err as Error, clean, passphrase));
    }
  } else {
    const parsed = ssh2Parse(clean, passphrase);
    if (parsed instanceof Error) throw new SshKeyError(describeParseFailure(parsed, clean, passphrase));
    const pem = parsed.getPrivatePEM();
    if (!parsed.isPrivateKey() || !pem) throw new SshKeyError(describeParseFailure(undefined, clean));
    try {
      key = createPrivateKey(pem);
    } catch {
      throw new SshKeyError(describeParseFailure(undefined, clean));
    }
    comment = parsed.comment ?? '';
  }

  let privateKey: string;
  switch (key.asymmetricKeyType) {
    case 'ed25519':
      privateKey = ed25519ToOpenSsh(key, cleanComment(comment));
      break;
    case 'rsa': {
      const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
      if (bits < MIN_RSA_BITS) throw new SshKeyError(`RSA key of ${bits} bits is too weak: use at least ${MIN_RSA_BITS} bits, or ed25519`);
      privateKey = key.export({ type: 'pkcs1', format: 'pem' }).toString();
      break;
    }
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve !== 'prime256v1' && curve !== 'secp384r1' && curve !== 'secp521r1') {
        throw new SshKeyError(`ECDSA curve ${curve ?? 'unknown'} is not usable for SSH: use P-256, P-384 or P-521, or ed25519`);
      }
      privateKey = key.export({ type: 'sec1', format: 'pem' }).toString();
      break;
    }
    default:
      throw new SshKeyError(`${key.asymmetricKeyType ?? 'unknown'} keys are not supported: use ed25519, ECDSA or RSA`);
  }

  const check = ssh2Parse(privateKey);
  if (check instanceof Error) throw new SshKeyError('the key was read but cannot be used for SSH');
  const blob = check.getPublicSSH();
  return {
    keyType: keyTypeOfPublicBlob(blob),
    privateKey,
    publicKey: publicLine(check, comment),
    fingerprint: fingerprintOfPublicBlob(blob),
  };
}
