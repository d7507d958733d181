/**
 * What every certificate kpki signs has in common, CA or leaf: the subject in cfssl's order,
 * a random serial, the validity window, the key identifier, and the signing itself.
 */
import { webcrypto } from 'node:crypto';
import { x509 } from './x509.ts';

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
const DN_ORDER = ['C', 'ST', 'L', 'O', 'OU', 'CN'] as const;

/** Go's PrintableString alphabet: values outside it are encoded as UTF8String, like Go does. */
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/**
 * The distinguished name C, ST, L, O, OU, CN (empty attributes omitted), each value a
 * PrintableString when it fits that alphabet, else a UTF8String: byte for byte what cfssl 1.2
 * encodes for the same CSR JSON. Values are taken literally (no escaping rules apply).
 */
export function distinguishedName(parts: DnParts): x509.Name {
  const json: Array<Record<string, Array<{ printableString?: string; utf8String?: string }>>> = [];
  for (const type of DN_ORDER) {
    const value = parts[type];
    if (!value) continue;
    json.push({ [type]: [PRINTABLE.test(value) ? { printableString: value } : { utf8String: value }] });
  }
  return new x509.Name(json);
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

/** RFC 5280 key identifier (method 1): SHA-1 of the subjectPublicKey BIT STRING, lower-case hex. */
export async function keyIdentifier(spkiDer: Uint8Array<ArrayBuffer>): Promise<string> {
  const id = await new x509.PublicKey(spkiDer).getKeyIdentifier();
  return Buffer.from(id).toString('hex');
}

/** Everything signCertificate needs; the extensions are written in the order given. */
export interface SignInput {
  serial: string;
  subject: x509.Name;
  issuer: x509.Name;
  notBefore: Date;
  notAfter: Date;
  /** DER SubjectPublicKeyInfo of the certified key */
  publicKeyDer: Uint8Array<ArrayBuffer>;
  /** the issuer's private key */
  signingKey: CryptoKey;
  /** e.g. {name: 'ECDSA', hash: 'SHA-384'}; see algorithms.ts */
  signParams: { name: string; hash?: string };
  extensions: x509.Extension[];
}

/** Signs a v3 certificate (on the threadpool, via WebCrypto) and returns it as PEM with a final newline. */
export async function signCertificate(input: SignInput): Promise<string> {
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: input.serial,
    subject: input.subject,
    issuer: input.issuer,
    notBefore: input.notBefore,
    notAfter: input.notAfter,
    publicKey: input.publicKeyDer,
    signingKey: input.signingKey,
    signingAlgorithm: input.signParams as Algorithm,
    extensions: input.extensions,
  });
  return toPem(Buffer.from(cert.rawData), 'CERTIFICATE');
}

/** PEM with 64-character lines and a final newline, as openssl and cfssl write it. */
export function toPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}
