/**
 * IP addresses, CIDRs and DNS names, parsed by hand: this module runs in the browser too, so it
 * imports no node builtin. Pure functions, no I/O.
 *
 * Conventions:
 * - An address is held as bytes: 4 for IPv4, 16 for IPv6 (network order).
 * - IPv4 is strict dotted decimal: four decimal octets 0-255, no leading zeros ("010.0.0.1" is
 *   rejected because other tools read it as octal), no shorthand ("10.1").
 * - IPv6 accepts every RFC 4291 text form (full, "::"-compressed, trailing dotted IPv4) and prints
 *   the RFC 5952 canonical form (lowercase, no leading zeros, the longest run of two or more zero
 *   groups compressed, the first one on a tie, IPv4-mapped addresses as "::ffff:a.b.c.d").
 *   Zone ids ("fe80::1%eth0") and brackets are rejected: they cannot appear in a certificate.
 * - DNS names follow Kubernetes' DNS-1123 rules: lowercase only.
 */

export type IpVersion = 4 | 6;

/** A parsed address: `bytes` has 4 (IPv4) or 16 (IPv6) entries. */
export interface ParsedIp {
  version: IpVersion;
  bytes: number[];
}

/** A parsed CIDR; `network` has no host bit set. */
export interface ParsedCidr {
  version: IpVersion;
  network: number[];
  prefix: number;
}

const DECIMAL_OCTET = /^(0|[1-9][0-9]{0,2})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** Parses strict dotted-decimal IPv4 into 4 bytes, or null. */
export function parseIpv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!DECIMAL_OCTET.test(part)) return null;
    const value = Number(part);
    if (value > 255) return null;
    bytes.push(value);
  }
  return bytes;
}

/** Parses any RFC 4291 text form of IPv6 into 16 bytes, or null. */
export function parseIpv6(text: string): number[] | null {
  if (text.length < 2 || text.length > 45) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] === '' ? [] : halves[0].split(':');
  const tail = halves.length === 2 ? (halves[1] === '' ? [] : halves[1].split(':')) : [];
  const groups: number[] = [];
  const tailGroups: number[] = [];
  const all = [...head, ...tail];
  for (let i = 0; i < all.length; i++) {
    const part = all[i];
    const target = i < head.length ? groups : tailGroups;
    // A dotted IPv4 tail is only allowed as the very last 32 bits of the text.
    const isLast = i === all.length - 1 && (halves.length === 1 || i >= head.length);
    if (isLast && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (!v4) return null;
      target.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
    } else {
      if (!HEX_GROUP.test(part)) return null;
      target.push(parseInt(part, 16));
    }
  }
  const count = groups.length + tailGroups.length;
  if (halves.length === 2) {
    // "::" stands for at least one zero group.
    if (count > 7) return null;
    groups.push(...new Array<number>(8 - count).fill(0));
  } else if (count !== 8) {
    return null;
  }
  groups.push(...tailGroups);
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

/** Parses an IPv4 or IPv6 address, or returns null. */
export function parseIp(text: string): ParsedIp | null {
  if (typeof text !== 'string') return null;
  if (text.includes(':')) {
    const bytes = parseIpv6(text);
    return bytes ? { version: 6, bytes } : null;
  }
  const bytes = parseIpv4(text);
  return bytes ? { version: 4, bytes } : null;
}

/** True when `text` is an IPv4 or IPv6 address. */
export function isIp(text: string): boolean {
  return parseIp(text) !== null;
}

/** Prints bytes (4 or 16) in canonical form (RFC 5952 for IPv6). */
export function formatIp(bytes: readonly number[]): string {
  if (bytes.length === 4) return bytes.join('.');
  if (bytes.length !== 16) throw new RangeError(`an address has 4 or 16 bytes, not ${bytes.length}`);
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i] << 8) | bytes[i + 1]);
  // RFC 5952 section 5: IPv4-mapped addresses keep the dotted quad.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${bytes.slice(12).join('.')}`;
  }
  let bestStart = -1;
  let bestLength = 1; // a single zero group is never compressed
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) { bestStart = i; bestLength = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  const left = hex.slice(0, bestStart).join(':');
  const right = hex.slice(bestStart + bestLength).join(':');
  return `${left}::${right}`;
}

/** The canonical text of an address ("FD00:0:0::01" -> "fd00::1"), or null when it is not one. */
export function normalizeIp(text: string): string | null {
  const ip = parseIp(text);
  return ip ? formatIp(ip.bytes) : null;
}

/** True for 0.0.0.0 and "::": no client can dial them. */
export function isUnspecifiedIp(text: string): boolean {
  const ip = parseIp(text);
  return ip !== null && ip.bytes.every((b) => b === 0);
}

export type CidrError = 'syntax' | 'prefix' | 'host-bits';

/**
 * Parses "address/prefix". Strict: the address must be the network address (no host bit set),
 * the prefix decimal without leading zeros, 0-32 (IPv4) or 0-128 (IPv6).
 */
export function parseCidr(text: string): { ok: true; cidr: ParsedCidr } | { ok: false; error: CidrError } {
  const slash = text.indexOf('/');
  if (slash < 0 || slash !== text.lastIndexOf('/')) return { ok: false, error: 'syntax' };
  const ip = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!ip || !/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return { ok: false, error: 'syntax' };
  const prefix = Number(prefixText);
  if (prefix > ip.bytes.length * 8) return { ok: false, error: 'prefix' };
  for (let bit = prefix; bit < ip.bytes.length * 8; bit++) {
    if (ip.bytes[bit >> 3] & (0x80 >> (bit & 7))) return { ok: false, error: 'host-bits' };
  }
  return { ok: true, cidr: { version: ip.version, network: ip.bytes, prefix } };
}

/** The canonical text of a CIDR ("FD00:10:96:0::/108" -> "fd00:10:96::/108"), or null when invalid. */
export function normalizeCidr(text: string): string | null {
  const parsed = parseCidr(text);
  return parsed.ok ? `${formatIp(parsed.cidr.network)}/${parsed.cidr.prefix}` : null;
}

/**
 * The network of "address/prefix" with host bits cleared ("10.32.0.5/24" -> "10.32.0.0/24"),
 * canonical text, or null when the text is not address/prefix.
 */
export function cidrNetwork(text: string): string | null {
  const [address, prefixText, ...rest] = text.split('/');
  const ip = parseIp(address);
  if (!ip || rest.length > 0 || !/^[0-9]{1,3}$/.test(prefixText ?? '')) return null;
  const prefix = Number(prefixText);
  if (prefix > ip.bytes.length * 8) return null;
  const bytes = ip.bytes.map((byte, i) => {
    const keep = Math.min(8, Math.max(0, prefix - i * 8));
    return byte & ((0xff << (8 - keep)) & 0xff);
  });
  return `${formatIp(bytes)}/${prefix}`;
}

/**
 * True when the CIDR holds a first usable address (network + 1), as the Kubernetes service
 * allocator sees it: IPv4 reserves the network and the broadcast address, so /31 and /32 have
 * none; IPv6 has no broadcast, so /127 has one and only /128 has none.
 */
export function hasUsableAddress(cidr: ParsedCidr): boolean {
  return cidr.version === 4 ? cidr.prefix <= 30 : cidr.prefix <= 127;
}

/**
 * The first usable address (network + 1) of a CIDR, canonical text: 10.32.0.0/24 -> 10.32.0.1,
 * 10.96.0.0/12 -> 10.96.0.1, fd00:10:96::/108 -> fd00:10:96::1.
 * @throws RangeError when the CIDR is invalid, has host bits set, or has no usable address.
 */
export function firstUsableAddress(cidr: string): string {
  const parsed = parseCidr(cidr);
  if (!parsed.ok) throw new RangeError(`"${cidr}" is not a valid CIDR (${parsed.error})`);
  if (!hasUsableAddress(parsed.cidr)) throw new RangeError(`"${cidr}" has no usable address`);
  const bytes = [...parsed.cidr.network];
  // network + 1: the host part is all zeros and at least 2 bits wide, so no carry.
  bytes[bytes.length - 1] += 1;
  return formatIp(bytes);
}

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** True for an RFC 1123 label as Kubernetes reads it: 1-63 of [a-z0-9-], alphanumeric at both ends. */
export function isDnsLabel(text: string): boolean {
  return typeof text === 'string' && DNS_LABEL.test(text);
}

/**
 * True for a dotted DNS name: every label valid (isDnsLabel), at most 253 characters, no
 * trailing dot, and a last label that is not all digits (so "10.0.0.300" is never a name).
 * With `allowWildcard` (default false) the first label may be "*" when at least two labels
 * follow ("*.apps.example.com", not "*.com"), as in an extra SAN.
 */
export function isDnsName(text: string, options: { allowWildcard?: boolean } = {}): boolean {
  if (typeof text !== 'string' || text.length === 0 || text.length > 253) return false;
  const labels = text.split('.');
  if (options.allowWildcard && labels[0] === '*') {
    if (labels.length < 3) return false;
    labels.shift();
  }
  if (!labels.every((label) => DNS_LABEL.test(label))) return false;
  return labels.length === 1 || !/^[0-9]+$/.test(labels[labels.length - 1]);
}
