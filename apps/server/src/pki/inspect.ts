/**
 * Reading certificates, one way: readCertificate decodes a certificate's DER once (node's
 * X509Certificate checks it and gives the public key and fingerprints; der.ts reads the fields
 * node does not expose), and every reader of pki/ builds on it: certificateColumns (what the
 * store indexes, cheap enough for 500 certificates in a row), parseCertificate (the API's
 * ParsedCertificate), certificateText, verifyChain and checkAddress. Nothing here needs a key;
 * nothing blocks on I/O.
 */
import { X509Certificate as NodeX509 } from 'node:crypto';
import type { DnAttribute, ParsedCertificate } from '@kpki/shared';
import { curveOf, signatureName } from './algorithms.ts';
import { decodeOne, decodeTlvs, encodeTlv, oidToString, TAG, type Tlv } from './der.ts';
import { PkiError } from './errors.ts';
import { decodeSans, OID_SAN, type San } from './sans.ts';
import { extendedKeyUsageName, keyUsageNames } from './usages.ts';

/** Short names of name attributes, as OpenSSL prints them; other types show as their OID. */
const NAME_TYPES: Record<string, string> = {
  '2.5.4.6': 'C', '2.5.4.8': 'ST', '2.5.4.7': 'L', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber', '2.5.4.9': 'street', '2.5.4.12': 'title', '2.5.4.4': 'SN', '2.5.4.42': 'GN',
  '1.2.840.113549.1.9.1': 'emailAddress', '0.9.2342.19200300.100.1.25': 'DC', '0.9.2342.19200300.100.1.1': 'UID',
};

/** One extension as written: its OID, criticality and the DER of its value. */
export interface RawExtension {
  oid: string;
  critical: boolean;
  value: Uint8Array;
}

/** A certificate decoded once. */
export interface LoadedCertificate {
  der: Buffer;
  /** node's view: public key, fingerprints, signature verification */
  node: NodeX509;
  /** lower-case hex of the serial INTEGER's content octets */
  serial: string;
  notBefore: Date;
  notAfter: Date;
  subject: DnAttribute[];
  issuer: DnAttribute[];
  /** exact DER of the issuer and subject Names */
  issuerDer: Uint8Array;
  subjectDer: Uint8Array;
  /** dotted OID of the outer signatureAlgorithm */
  signatureOid: string;
  /** the signature BIT STRING's bytes (DER for ECDSA) */
  signatureValue: Uint8Array;
  extensions: RawExtension[];
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function text(tlv: Tlv): string {
  if (tlv.tag === 0x1e) return Buffer.from(tlv.value).swap16().toString('utf16le'); // BMPString
  if (tlv.tag === 0x14) return Buffer.from(tlv.value).toString('latin1'); // T61String
  return Buffer.from(tlv.value).toString('utf8'); // UTF8, Printable, IA5, Visible
}

/** Name ::= SEQUENCE OF SET OF SEQUENCE { type OID, value } -> attributes in certificate order. */
function nameAttributes(name: Tlv): DnAttribute[] {
  return decodeTlvs(name.value).flatMap((rdn) => decodeTlvs(rdn.value).map((atv) => {
    const [type, value] = decodeTlvs(atv.value);
    const oid = oidToString(type.value);
    return { type: NAME_TYPES[oid] ?? oid, value: text(value) };
  }));
}

/** UTCTime (YYMMDDHHMMSSZ, 1950-2049) or GeneralizedTime (YYYYMMDDHHMMSSZ). */
function time(tlv: Tlv): Date {
  const t = Buffer.from(tlv.value).toString('latin1');
  const m = tlv.tag === TAG.UTC_TIME ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(t) : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/.exec(t);
  if (!m) throw new Error(`unsupported time ${t}`);
  const year = tlv.tag === TAG.UTC_TIME ? (Number(m[1]) < 50 ? 2000 : 1900) + Number(m[1]) : Number(m[1]);
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}

function extensions(tbsFields: Tlv[]): RawExtension[] {
  const wrapper = tbsFields.find((f) => f.tag === 0xa3);
  if (!wrapper) return [];
  return decodeTlvs(decodeOne(wrapper.value).value).map((ext) => {
    const parts = decodeTlvs(ext.value);
    const critical = parts.length === 3 && parts[1].tag === TAG.BOOLEAN && parts[1].value[0] !== 0;
    return { oid: oidToString(parts[0].value), critical, value: parts[parts.length - 1].value };
  });
}

/**
 * Decodes the first certificate of a PEM (or DER) input.
 * @throws PkiError INVALID_PEM "not a valid PEM certificate" (without echoing the input).
 */
export function loadCertificate(pem: string | Uint8Array): LoadedCertificate {
  try {
    const node = new NodeX509(typeof pem === 'string' ? pem : Buffer.from(pem));
    const der = node.raw;
    const [tbs, sigAlg, sig] = decodeTlvs(decodeOne(der).value);
    const fields = decodeTlvs(tbs.value);
    // TBSCertificate: [0] version (optional), serial, signature, issuer, validity, subject, spki, ...
    const at = fields[0].tag === 0xa0 ? 1 : 0;
    const [serial, , issuer, validity, subject] = fields.slice(at);
    const [notBefore, notAfter] = decodeTlvs(validity.value);
    return {
      der, node, serial: hex(serial.value).replace(/^(00)+(?=.)/, ''),
      notBefore: time(notBefore), notAfter: time(notAfter),
      subject: nameAttributes(subject), issuer: nameAttributes(issuer),
      issuerDer: encodeTlv(issuer.tag, issuer.value), subjectDer: encodeTlv(subject.tag, subject.value),
      signatureOid: oidToString(decodeTlvs(sigAlg.value)[0].value), signatureValue: sig.value.subarray(1),
      extensions: extensions(fields),
    };
  } catch {
    throw new PkiError('INVALID_PEM', 'not a valid PEM certificate');
  }
}

/** The extensions kpki reads, decoded (absent ones are null). */
export interface ReadExtensions {
  keyUsage: { critical: boolean; flags: number } | null;
  extendedKeyUsage: { critical: boolean; oids: string[] } | null;
  basicConstraints: { critical: boolean; ca: boolean; pathLength?: number } | null;
  subjectKeyIdentifier: string | null;
  authorityKeyIdentifier: string | null;
  san: { critical: boolean; names: San[] } | null;
}

/** KeyUsage BIT STRING -> flags, bit n (RFC 5280 order, digitalSignature = 0) as 1 << n. */
function keyUsageFlags(value: Uint8Array): number {
  const bits = decodeOne(value).value.subarray(1);
  let flags = 0;
  for (let n = 0; n < bits.length * 8 && n < 9; n++) if (bits[n >> 3] & (0x80 >> (n & 7))) flags |= 1 << n;
  return flags;
}

/** Decodes key usage, extended key usage, basic constraints, key identifiers and SANs. */
export function readExtensions(cert: Pick<LoadedCertificate, 'extensions'>): ReadExtensions {
  const find = (oid: string) => cert.extensions.find((e) => e.oid === oid);
  const ku = find('2.5.29.15');
  const eku = find('2.5.29.37');
  const bc = find('2.5.29.19');
  const ski = find('2.5.29.14');
  const aki = find('2.5.29.35');
  const san = find(OID_SAN);
  const bcParts = bc ? decodeTlvs(decodeOne(bc.value).value) : [];
  const pathLength = bcParts.find((p) => p.tag === TAG.INTEGER);
  const akiKeyId = aki ? decodeTlvs(decodeOne(aki.value).value).find((p) => p.tag === 0x80) : undefined;
  return {
    keyUsage: ku ? { critical: ku.critical, flags: keyUsageFlags(ku.value) } : null,
    extendedKeyUsage: eku ? { critical: eku.critical, oids: decodeTlvs(decodeOne(eku.value).value).map((o) => oidToString(o.value)) } : null,
    basicConstraints: bc
      ? {
        critical: bc.critical,
        ca: bcParts.some((p) => p.tag === TAG.BOOLEAN && p.value[0] !== 0),
        ...(pathLength ? { pathLength: pathLength.value.reduce((n, b) => n * 256 + b, 0) } : {}),
      }
      : null,
    subjectKeyIdentifier: ski ? hex(decodeOne(ski.value).value) : null,
    authorityKeyIdentifier: akiKeyId ? hex(akiKeyId.value) : null,
    san: san ? { critical: san.critical, names: decodeSans(san.value) } : null,
  };
}

/** The public key's algorithm, size in bits and curve (ECDSA). @throws PkiError for other key types. */
export function publicKeyInfo(node: NodeX509): ParsedCertificate['publicKey'] {
  const key = node.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') return { algorithm: 'RSA', size: details.modulusLength ?? 0 };
  if (key.asymmetricKeyType === 'ec') {
    const curve = curveOf(details.namedCurve ?? '');
    return { algorithm: 'ECDSA', size: curve?.bits ?? 0, curve: curve?.nist ?? details.namedCurve ?? 'unknown' };
  }
  throw new PkiError('INVALID_PEM', `${key.asymmetricKeyType} public keys are not supported (RSA or ECDSA)`);
}

/** The values of the attributes of one type, joined with ", " (e.g. several O). */
export const attribute = (attrs: DnAttribute[], type: string): string => attrs.filter((a) => a.type === type).map((a) => a.value).join(', ');

/** What the store keeps in columns of each certificate (store/certificates.repository.ts). */
export interface CertificateColumns {
  serial: string;
  cn: string;
  o: string;
  notBefore: string;
  notAfter: string;
  /** SHA-256 fingerprint of the DER, upper-case hex with colons, as openssl prints it */
  sha256: string;
}

/** The stored columns of a certificate, from the one reader. @throws PkiError INVALID_PEM. */
export function certificateColumns(pem: string): CertificateColumns {
  const c = loadCertificate(pem);
  return {
    serial: c.serial, cn: attribute(c.subject, 'CN'), o: attribute(c.subject, 'O'),
    notBefore: c.notBefore.toISOString(), notAfter: c.notAfter.toISOString(), sha256: c.node.fingerprint256,
  };
}

/**
 * Parses a PEM certificate into the API's ParsedCertificate.
 * @throws PkiError when the input is not a certificate or its key is neither RSA nor ECDSA.
 */
export function parseCertificate(pem: string): ParsedCertificate {
  const c = loadCertificate(pem);
  const ext = readExtensions(c);
  return {
    subject: c.subject,
    issuer: c.issuer,
    serial: c.serial,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    sans: ext.san?.names ?? [],
    keyUsage: ext.keyUsage ? { critical: ext.keyUsage.critical, usages: keyUsageNames(ext.keyUsage.flags) } : null,
    extendedKeyUsage: ext.extendedKeyUsage?.oids.map(extendedKeyUsageName) ?? [],
    basicConstraints: ext.basicConstraints,
    subjectKeyIdentifier: ext.subjectKeyIdentifier,
    authorityKeyIdentifier: ext.authorityKeyIdentifier,
    publicKey: publicKeyInfo(c.node),
    signatureAlgorithm: signatureName(c.signatureOid),
    fingerprints: { sha1: c.node.fingerprint, sha256: c.node.fingerprint256 },
  };
}
