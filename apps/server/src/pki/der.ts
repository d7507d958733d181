/**
 * Minimal DER: encoding of the few types a certificate needs, and decoding of TLV sequences.
 *
 * pki/ writes certificates with this instead of a general X.509 library: @peculiar/x509's
 * generator serialized, re-parsed and re-serialized every part with asn1js, 1-3 ms of
 * event-loop time per certificate (more than ECDSA key generation itself); building the DER here
 * takes a few microseconds. inspect.ts reads certificates with the same decoder (and node's
 * X509Certificate for keys and fingerprints). Every encoder emits canonical DER
 * (definite minimal lengths), so re-encoding a decoded DER value gives back the same bytes.
 */

export type Bytes = Uint8Array<ArrayBuffer>;

/** One decoded TLV: its identifier octet, and its contents. */
export interface Tlv {
  tag: number;
  value: Uint8Array;
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Encodes one TLV with a definite length (short or long form). */
export function encodeTlv(tag: number, value: Uint8Array): Bytes {
  const len = value.length;
  let header: number[];
  if (len < 0x80) header = [tag, len];
  else {
    const bytes: number[] = [];
    for (let n = len; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
    header = [tag, 0x80 | bytes.length, ...bytes];
  }
  const out = new Uint8Array(header.length + len);
  out.set(header, 0);
  out.set(value, header.length);
  return out;
}

/** Concatenates byte arrays. */
export function concatBytes(parts: Uint8Array[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export const sequence = (...parts: Uint8Array[]): Bytes => encodeTlv(TAG.SEQUENCE, concatBytes(parts));
export const set = (...parts: Uint8Array[]): Bytes => encodeTlv(TAG.SET, concatBytes(parts));
export const octetString = (bytes: Uint8Array): Bytes => encodeTlv(TAG.OCTET_STRING, bytes);
export const booleanTrue = (): Bytes => Uint8Array.from([TAG.BOOLEAN, 1, 0xff]);
export const nullValue = (): Bytes => Uint8Array.from([TAG.NULL, 0]);
/** [n] EXPLICIT: a constructed context-specific tag around `content`. */
export const explicit = (n: number, content: Uint8Array): Bytes => encodeTlv(0xa0 | n, content);

/** A BIT STRING of whole bytes (unused bits 0), or with `unusedBits` in the last byte. */
export function bitString(bytes: Uint8Array, unusedBits = 0): Bytes {
  return encodeTlv(TAG.BIT_STRING, concatBytes([Uint8Array.of(unusedBits), bytes]));
}

/** A non-negative INTEGER from big-endian bytes: leading zeros dropped, a 0x00 added when the top bit is set. */
export function unsignedInteger(bytes: Uint8Array): Bytes {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const body = bytes.subarray(i);
  const value = body.length === 0 ? Uint8Array.of(0) : body[0] & 0x80 ? concatBytes([Uint8Array.of(0), body]) : body;
  return encodeTlv(TAG.INTEGER, value);
}

/** An OBJECT IDENTIFIER from its dotted text. */
export function oid(dotted: string): Bytes {
  const arcs = dotted.split('.').map(Number);
  if (arcs.length < 2 || arcs.some((a) => !Number.isSafeInteger(a) || a < 0)) throw new TypeError(`invalid OID "${dotted}"`);
  const out: number[] = [];
  const push = (n: number) => {
    const groups = [n & 0x7f];
    for (n = Math.floor(n / 128); n > 0; n = Math.floor(n / 128)) groups.unshift(0x80 | (n & 0x7f));
    out.push(...groups);
  };
  push(arcs[0] * 40 + arcs[1]);
  arcs.slice(2).forEach(push);
  return encodeTlv(TAG.OID, Uint8Array.from(out));
}

/** The dotted text of an OBJECT IDENTIFIER's contents ("2a 86 48 ..." -> "1.2.840..."). */
export function oidToString(value: Uint8Array): string {
  const arcs: number[] = [];
  let n = 0;
  for (const byte of value) {
    n = n * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      if (arcs.length === 0) arcs.push(n < 80 ? Math.floor(n / 40) : 2, n < 80 ? n % 40 : n - 80);
      else arcs.push(n);
      n = 0;
    }
  }
  return arcs.join('.');
}

/** A string: PrintableString or UTF8String (the caller picks). */
export function string(tag: typeof TAG.PRINTABLE_STRING | typeof TAG.UTF8_STRING, text: string): Bytes {
  return encodeTlv(tag, new TextEncoder().encode(text));
}

/**
 * RFC 5280 Time: UTCTime (YYMMDDHHMMSSZ) through 2049, GeneralizedTime (YYYYMMDDHHMMSSZ) from
 * 2050; whole seconds (milliseconds dropped).
 */
export function time(date: Date): Bytes {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
  const year = date.getUTCFullYear();
  if (year < 1950 || year > 9999) throw new RangeError(`date ${iso} cannot be encoded in a certificate`);
  return year < 2050
    ? encodeTlv(TAG.UTC_TIME, new TextEncoder().encode(`${digits.slice(2)}Z`))
    : encodeTlv(TAG.GENERALIZED_TIME, new TextEncoder().encode(`${digits}Z`));
}

/**
 * Decodes the TLVs that follow each other in `data` (the contents of a SEQUENCE).
 * @throws Error on a truncated or indefinite-length encoding.
 */
export function decodeTlvs(data: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  let i = 0;
  while (i < data.length) {
    if (i + 2 > data.length) throw new Error('truncated DER');
    const tag = data[i++];
    let len = data[i++];
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0 || n > 4 || i + n > data.length) throw new Error('unsupported DER length');
      len = 0;
      for (let k = 0; k < n; k++) len = len * 256 + data[i++];
    }
    if (i + len > data.length) throw new Error('truncated DER');
    out.push({ tag, value: data.subarray(i, i + len) });
    i += len;
  }
  return out;
}

/** The single TLV that `data` holds, re-encoded: `decodeOne(x)` and `encodeTlv` round-trip DER exactly. */
export function decodeOne(data: Uint8Array): Tlv {
  const tlvs = decodeTlvs(data);
  if (tlvs.length !== 1) throw new Error('expected exactly one DER value');
  return tlvs[0];
}
