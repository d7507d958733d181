/**
 * The SubjectAlternativeName extension (OID 2.5.29.17): encoding from the plan's SANs and
 * decoding into `{type: 'dns' | 'ip', value}`. IP values are printed in canonical form
 * (RFC 5952 for IPv6, the same formatIp the plan uses), so a SAN read back equals the planned one.
 */
import { formatIp, parseIp } from '@kpki/shared/net';
import { decodeTlvs, encodeTlv, sequence } from './der.ts';
import { PkiError } from './errors.ts';

export const OID_SAN = '2.5.29.17';

/** GeneralName tags: [2] dNSName (IA5String), [7] iPAddress (OCTET STRING), both implicit. */
const TAG_DNS = 0x82;
const TAG_IP = 0x87;

export interface San {
  type: 'dns' | 'ip';
  value: string;
}

/**
 * DER of the extension value: the GeneralNames SEQUENCE, in the order given.
 * @throws PkiError VALIDATION_FAILED for an IP SAN that is not an address, or a DNS SAN that is empty or not ASCII.
 */
export function encodeSans(sans: readonly San[]): Uint8Array<ArrayBuffer> {
  const names = sans.map((san) => {
    if (san.type === 'ip') {
      const ip = parseIp(san.value);
      if (!ip) throw new PkiError('VALIDATION_FAILED', `SAN "${san.value}" is not an IP address`);
      return encodeTlv(TAG_IP, Uint8Array.from(ip.bytes));
    }
    if (!san.value || !/^[\x21-\x7e]+$/.test(san.value)) throw new PkiError('VALIDATION_FAILED', `SAN "${san.value}" is not an ASCII DNS name`);
    return encodeTlv(TAG_DNS, new TextEncoder().encode(san.value));
  });
  return sequence(...names);
}

/**
 * The DNS and IP names of an extension value, in certificate order. Other GeneralName types
 * (email, URI, ...) are skipped: kpki neither issues nor checks them.
 * @throws Error when the value is not a DER SEQUENCE.
 */
export function decodeSans(extnValue: Uint8Array): San[] {
  const [outer] = decodeTlvs(extnValue);
  if (!outer || outer.tag !== 0x30) throw new Error('SubjectAlternativeName is not a SEQUENCE');
  const out: San[] = [];
  for (const { tag, value } of decodeTlvs(outer.value)) {
    if (tag === TAG_DNS) out.push({ type: 'dns', value: new TextDecoder().decode(value) });
    else if (tag === TAG_IP && (value.length === 4 || value.length === 16)) out.push({ type: 'ip', value: formatIp([...value]) });
  }
  return out;
}
