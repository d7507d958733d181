/**
 * Just enough DER for the one structure pki/ encodes and decodes by hand: the
 * SubjectAlternativeName extension (a SEQUENCE of GeneralName), so that IP SANs are exactly the
 * 4 or 16 address bytes (IPv6 in any text form, IPv4-mapped included) whatever the library's
 * own IP parser accepts.
 */

/** One decoded TLV: its identifier octet, and its contents. */
export interface Tlv {
  tag: number;
  value: Uint8Array;
}

/** Encodes one TLV with a definite length (short or long form). */
export function encodeTlv(tag: number, value: Uint8Array): Uint8Array<ArrayBuffer> {
  const len = value.length;
  let header: number[];
  if (len < 0x80) header = [tag, len];
  else {
    const bytes: number[] = [];
    for (let n = len; n > 0; n >>= 8) bytes.unshift(n & 0xff);
    header = [tag, 0x80 | bytes.length, ...bytes];
  }
  const out = new Uint8Array(header.length + len);
  out.set(header, 0);
  out.set(value, header.length);
  return out;
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

/** Concatenates byte arrays. */
export function concatBytes(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** The dotted text of a DER OBJECT IDENTIFIER's contents ("2a 86 48 ..." -> "1.2.840..."). */
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
