/**
 * What every certificate kpki signs has in common, CA or leaf: the subject in cfssl's order,
 * a random serial, the validity window, and the signing itself (a hand-built DER
 * TBSCertificate, see der.ts for why).
 */
import { webcrypto } from 'node:crypto';
import { bitString, explicit, nullValue, oid, sequence, set, string, TAG, time, unsignedInteger, type Bytes } from './der.ts';
import { signatureFor, type SignParams } from './algorithms.ts';
import { encodeExtension, type CertExtension } from './extensions.ts';

/** Subject attributes; empty ones are left out of the name (as cfssl/Go do). */
export interface DnParts {
  C?: string;
  ST?: string;
  L?: string;
  O?: string;
  OU?: string;
  CN?: string;
}

/** cfssl (Go's pkix.Name) writes one RDN per attribute, in this order. */
const DN_ORDER = [
  ['C', '2.5.4.6'],
  ['ST', '2.5.4.8'],
  ['L', '2.5.4.7'],
  ['O', '2.5.4.10'],
  ['OU', '2.5.4.11'],
  ['CN', '2.5.4.3'],
] as const;

/** Go's PrintableString alphabet: values outside it are encoded as UTF8String, like Go does. */
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/**
 * DER of the distinguished name C, ST, L, O, OU, CN (empty attributes omitted), one RDN each,
 * each value a PrintableString when it fits that alphabet, else a UTF8String: byte for byte
 * what cfssl 1.2 encodes for the same CSR JSON. Values are taken literally (no escaping rules).
 */
export function distinguishedName(parts: DnParts): Bytes {
  const rdns: Bytes[] = [];
  for (const [type, attrOid] of DN_ORDER) {
    const value = parts[type];
    if (!value) continue;
    const encoded = string(PRINTABLE.test(value) ? TAG.PRINTABLE_STRING : TAG.UTF8_STRING, value);
    rdns.push(set(sequence(oid(attrOid), encoded)));
  }
  return sequence(...rdns);
}

/**
 * A random positive serial like cfssl's: 20 random bytes with the top bit cleared (RFC 5280
 * allows at most 20 octets), as lower-case hex.
 */
export function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(20));
  bytes[0] &= 0x7f;
  if (bytes.every((b) => b === 0)) bytes[19] = 1;
  return Buffer.from(bytes).toString('hex');
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/**
 * cfssl's validity window: notBefore = `now` rounded to the nearest minute, minus
 * `backdateMinutes` (default 5, cfssl's default backdate, so clocks a little behind still
 * accept the certificate); notAfter = notBefore + `validityHours`.
 */
export function validityWindow(opts: { now: Date; validityHours: number; backdateMinutes?: number }): { notBefore: Date; notAfter: Date } {
  const { now, validityHours, backdateMinutes = 5 } = opts;
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new TypeError('now must be a valid Date');
  if (!Number.isFinite(validityHours) || validityHours <= 0) throw new RangeError(`validityHours must be a positive number, not ${validityHours}`);
  const rounded = Math.floor((now.getTime() + MINUTE_MS / 2) / MINUTE_MS) * MINUTE_MS;
  const notBefore = new Date(rounded - backdateMinutes * MINUTE_MS);
  return { notBefore, notAfter: new Date(notBefore.getTime() + validityHours * HOUR_MS) };
}

/** Everything signCertificate needs; the extensions are written in the order given. */
export interface SignInput {
  /** hex, positive (randomSerial) */
  serial: string;
  /** DER Names: the issuer's exactly as in the CA certificate */
  subject: Uint8Array;
  issuer: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  /** DER SubjectPublicKeyInfo of the certified key */
  publicKeyDer: Uint8Array;
  /** the issuer's private key */
  signingKey: CryptoKey;
  /** e.g. {name: 'ECDSA', hash: 'SHA-384'}; see algorithms.ts */
  signParams: SignParams;
  extensions: CertExtension[];
}

/** WebCrypto's ECDSA signature (r || s, IEEE P1363) as X.509's Ecdsa-Sig-Value SEQUENCE { r, s }. */
function ecdsaSignatureToDer(raw: Uint8Array): Bytes {
  const half = raw.length / 2;
  return sequence(unsignedInteger(raw.subarray(0, half)), unsignedInteger(raw.subarray(half)));
}

/**
 * Builds a v3 TBSCertificate, signs it (WebCrypto, on the threadpool) and returns the
 * certificate as PEM with a final newline.
 * @throws TypeError for a signature algorithm kpki does not make.
 */
export async function signCertificate(input: SignInput): Promise<string> {
  const sigAlg = signatureFor(input.signParams);
  if (!sigAlg) throw new TypeError(`unsupported signature ${input.signParams.name} with ${input.signParams.hash}`);
  const algorithm = sigAlg.nullParameters ? sequence(oid(sigAlg.oid), nullValue()) : sequence(oid(sigAlg.oid));
  if (!/^[0-9a-f]{1,40}$/i.test(input.serial)) throw new TypeError('the serial must be 1-40 hex digits');
  const tbs = sequence(
    explicit(0, unsignedInteger(Uint8Array.of(2))), // version v3
    unsignedInteger(Buffer.from(input.serial.length % 2 ? `0${input.serial}` : input.serial, 'hex')),
    algorithm,
    input.issuer,
    sequence(time(input.notBefore), time(input.notAfter)),
    input.subject,
    input.publicKeyDer,
    explicit(3, sequence(...input.extensions.map(encodeExtension))),
  );
  const raw = new Uint8Array(await webcrypto.subtle.sign(input.signParams, input.signingKey, tbs));
  const signature = input.signParams.name === 'ECDSA' ? ecdsaSignatureToDer(raw) : raw;
  return toPem(sequence(tbs, algorithm, bitString(signature)), 'CERTIFICATE');
}
/** PEM with 64-character lines and a final newline, as openssl and cfssl write it. */
export function toPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}
