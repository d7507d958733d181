/**
 * Key usage and extended key usage names. The plan (PlannedCertificate.usages) and
 * ParsedCertificate use cfssl's lower-case names ("digital signature", "server auth", ...);
 * certificateText prints OpenSSL's ("Digital Signature", "TLS Web Server Authentication").
 */
import { PkiError } from './errors.ts';

/** Key usage bits as flags: bit n of RFC 5280's KeyUsage (digitalSignature = 0) is 1 << n. */
export const KEY_USAGE_FLAGS = {
  digitalSignature: 1, nonRepudiation: 2, keyEncipherment: 4, dataEncipherment: 8, keyAgreement: 16,
  keyCertSign: 32, cRLSign: 64, encipherOnly: 128, decipherOnly: 256,
} as const;
const F = KEY_USAGE_FLAGS;

/** Key usage bits in RFC 5280 order: [plan/cfssl name, flag, OpenSSL name]. */
export const KEY_USAGES: ReadonlyArray<readonly [string, number, string]> = [
  ['digital signature', F.digitalSignature, 'Digital Signature'],
  ['content commitment', F.nonRepudiation, 'Non Repudiation'],
  ['key encipherment', F.keyEncipherment, 'Key Encipherment'],
  ['data encipherment', F.dataEncipherment, 'Data Encipherment'],
  ['key agreement', F.keyAgreement, 'Key Agreement'],
  ['certificate sign', F.keyCertSign, 'Certificate Sign'],
  ['crl sign', F.cRLSign, 'CRL Sign'],
  ['encipher only', F.encipherOnly, 'Encipher Only'],
  ['decipher only', F.decipherOnly, 'Decipher Only'],
];

/** cfssl's other spellings of the same bits. */
const KEY_USAGE_ALIASES: Record<string, string> = {
  signing: 'digital signature',
  'cert sign': 'certificate sign',
  'non repudiation': 'content commitment',
};

/** Extended key usages: [plan/cfssl name, OID, OpenSSL name]. */
export const EXTENDED_KEY_USAGES: ReadonlyArray<readonly [string, string, string]> = [
  ['server auth', '1.3.6.1.5.5.7.3.1', 'TLS Web Server Authentication'],
  ['client auth', '1.3.6.1.5.5.7.3.2', 'TLS Web Client Authentication'],
  ['code signing', '1.3.6.1.5.5.7.3.3', 'Code Signing'],
  ['email protection', '1.3.6.1.5.5.7.3.4', 'E-mail Protection'],
  ['timestamping', '1.3.6.1.5.5.7.3.8', 'Time Stamping'],
  ['ocsp signing', '1.3.6.1.5.5.7.3.9', 'OCSP Signing'],
];

/**
 * Splits plan usages into key usage flags and EKU OIDs, in RFC order / the order given.
 * @throws PkiError VALIDATION_FAILED naming an unknown usage.
 */
export function parseUsages(usages: readonly string[]): { keyUsage: number; extendedKeyUsage: string[] } {
  let keyUsage = 0;
  const extendedKeyUsage: string[] = [];
  for (const raw of usages) {
    const name = KEY_USAGE_ALIASES[raw.toLowerCase()] ?? raw.toLowerCase();
    const ku = KEY_USAGES.find(([n]) => n === name);
    const eku = EXTENDED_KEY_USAGES.find(([n]) => n === name);
    if (ku) keyUsage |= ku[1];
    else if (eku) {
      if (!extendedKeyUsage.includes(eku[1])) extendedKeyUsage.push(eku[1]);
    } else throw new PkiError('VALIDATION_FAILED', `unknown usage "${raw}"`);
  }
  return { keyUsage, extendedKeyUsage };
}

/** Plan names of the bits set in a key usage value, in RFC 5280 order. */
export function keyUsageNames(flags: number): string[] {
  return KEY_USAGES.filter(([, bit]) => flags & bit).map(([name]) => name);
}

/** OpenSSL names of the bits set, joined as `openssl x509 -text` prints them. */
export function keyUsageText(flags: number): string {
  return KEY_USAGES.filter(([, bit]) => flags & bit).map(([, , text]) => text).join(', ');
}

/** Plan name of an EKU OID ("server auth"), or the dotted OID when kpki has no name for it. */
export function extendedKeyUsageName(oid: string): string {
  return EXTENDED_KEY_USAGES.find(([, o]) => o === oid)?.[0] ?? oid;
}

/** OpenSSL name of an EKU OID, or the dotted OID. */
export function extendedKeyUsageText(oid: string): string {
  return EXTENDED_KEY_USAGES.find(([, o]) => o === oid)?.[2] ?? oid;
}
