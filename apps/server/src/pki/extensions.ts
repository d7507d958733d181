/**
 * The X.509 v3 extensions kpki writes, DER-encoded the way Go's crypto/x509 (cfssl) encodes them,
 * so that key usage, extended key usage and basic constraints are byte for byte cfssl's
 * (test/pki-cfssl.test.ts compares them).
 */
import { createHash } from 'node:crypto';
import { bitString, booleanTrue, decodeOne, decodeTlvs, encodeTlv, octetString, oid, sequence, type Bytes } from './der.ts';
import { encodeSans, OID_SAN, type San } from './sans.ts';

export interface CertExtension {
  oid: string;
  critical: boolean;
  /** DER of the extension's value (the contents of extnValue) */
  value: Bytes;
}

/** Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING } */
export function encodeExtension(e: CertExtension): Bytes {
  return e.critical ? sequence(oid(e.oid), booleanTrue(), octetString(e.value)) : sequence(oid(e.oid), octetString(e.value));
}

/**
 * Key usage from KEY_USAGE_FLAGS of usages.ts (bit 0 = digitalSignature = 1, ..., bit 8 =
 * decipherOnly = 256): a BIT STRING as long as the last bit set, like Go.
 */
export function keyUsage(flags: number, critical = true): CertExtension {
  let last = -1;
  for (let bit = 0; bit < 9; bit++) if (flags & (1 << bit)) last = bit;
  if (last < 0) throw new RangeError('a key usage extension needs at least one usage');
  const bytes = new Uint8Array((last >> 3) + 1);
  for (let bit = 0; bit <= last; bit++) if (flags & (1 << bit)) bytes[bit >> 3] |= 0x80 >> (bit & 7);
  return { oid: '2.5.29.15', critical, value: bitString(bytes, bytes.length * 8 - (last + 1)) };
}

/** Extended key usage: a SEQUENCE of purpose OIDs, in the order given. */
export function extendedKeyUsage(oids: readonly string[], critical = false): CertExtension {
  return { oid: '2.5.29.37', critical, value: sequence(...oids.map(oid)) };
}

/** Basic constraints without a path length: CA:TRUE, or CA:FALSE as an empty SEQUENCE (DER omits the default). */
export function basicConstraints(ca: boolean, critical = true): CertExtension {
  return { oid: '2.5.29.19', critical, value: ca ? sequence(booleanTrue()) : sequence() };
}

/** Subject key identifier (lower-case hex key id). */
export function subjectKeyIdentifier(keyIdHex: string): CertExtension {
  return { oid: '2.5.29.14', critical: false, value: octetString(Buffer.from(keyIdHex, 'hex')) };
}

/** Authority key identifier holding only the keyIdentifier [0] (as cfssl writes it). */
export function authorityKeyIdentifier(keyIdHex: string): CertExtension {
  return { oid: '2.5.29.35', critical: false, value: sequence(encodeTlv(0x80, Buffer.from(keyIdHex, 'hex'))) };
}

/** Subject alternative names, DNS and IP, in the order given. */
export function subjectAltName(sans: readonly San[], critical = false): CertExtension {
  return { oid: OID_SAN, critical, value: encodeSans(sans) };
}

/**
 * RFC 5280 key identifier, method 1: SHA-1 of the subjectPublicKey BIT STRING's bits (without
 * tag, length and unused-bits octet), lower-case hex. The same value cfssl (Go) writes.
 * @throws Error when `spkiDer` is not a SubjectPublicKeyInfo.
 */
export function keyIdentifier(spkiDer: Uint8Array): string {
  const spki = decodeOne(spkiDer);
  const [, key] = decodeTlvs(spki.value);
  if (spki.tag !== 0x30 || key?.tag !== 0x03) throw new Error('not a SubjectPublicKeyInfo');
  return createHash('sha1').update(key.value.subarray(1)).digest('hex');
}
