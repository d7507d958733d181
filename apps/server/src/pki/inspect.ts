/**
 * Reading certificates: parseCertificate gives the API's ParsedCertificate (subject and issuer
 * by attribute, serial, validity, SANs, usages, constraints, key identifiers, public key,
 * signature algorithm, fingerprints). Nothing here needs a key; nothing blocks on I/O.
 */
import { X509Certificate as NodeX509 } from 'node:crypto';
import type { DnAttribute, ParsedCertificate } from '@kpki/shared';
import { decodeOne, decodeTlvs, encodeTlv, oidToString } from './der.ts';
import { decodeSans, OID_SAN } from './sans.ts';
import { extendedKeyUsageName, keyUsageNames } from './usages.ts';
import { x509 } from './x509.ts';

/** Signature algorithm OIDs by OpenSSL's names (`openssl x509 -text`). */
const SIGNATURE_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448',
};

/** node's curve names -> [NIST name, key size in bits] */
const CURVES: Record<string, [string, number]> = {
  prime256v1: ['P-256', 256],
  secp384r1: ['P-384', 384],
  secp521r1: ['P-521', 521],
};

/** A certificate read by both parsers, with the parts of its DER that neither exposes. */
export interface LoadedCertificate {
  der: Buffer;
  cert: x509.X509Certificate;
  node: NodeX509;
  /** dotted OID of the outer signatureAlgorithm */
  signatureOid: string;
  /** the signature BIT STRING's bytes (DER for ECDSA) */
  signatureValue: Uint8Array;
  /** exact DER of the issuer and subject Names */
  issuerDer: Uint8Array;
  subjectDer: Uint8Array;
}

/**
 * Reads the first certificate of a PEM (or DER) input.
 * @throws Error "not a valid certificate" (without echoing the input).
 */
export function loadCertificate(pem: string | Uint8Array): LoadedCertificate {
  try {
    const node = new NodeX509(typeof pem === 'string' ? pem : Buffer.from(pem));
    const der = node.raw;
    const cert = new x509.X509Certificate(der);
    const [tbs, sigAlg, sig] = decodeTlvs(decodeOne(der).value);
    const [oid] = decodeTlvs(sigAlg.value);
    // TBSCertificate: [0] version (optional), serial, signature, issuer, validity, subject, ...
    const fields = decodeTlvs(tbs.value);
    const at = fields[0].tag === 0xa0 ? 1 : 0;
    return {
      der, cert, node, signatureOid: oidToString(oid.value), signatureValue: sig.value.subarray(1),
      issuerDer: encodeTlv(fields[at + 2].tag, fields[at + 2].value),
      subjectDer: encodeTlv(fields[at + 4].tag, fields[at + 4].value),
    };
  } catch {
    throw new Error('not a valid PEM certificate');
  }
}

/** OpenSSL's name of a signature algorithm OID, or the OID itself. */
export function signatureAlgorithmName(oid: string): string {
  return SIGNATURE_ALGORITHMS[oid] ?? oid;
}

/** A Name as attributes in certificate order, with short names (C, ST, L, O, OU, CN, ...). */
export function nameAttributes(name: x509.Name): DnAttribute[] {
  return name.toJSON().flatMap((rdn) => Object.entries(rdn).flatMap(([type, values]) => values.map((value) => ({ type, value }))));
}

/** The public key's algorithm, size in bits and curve (ECDSA). @throws Error for other key types. */
export function publicKeyInfo(node: NodeX509): ParsedCertificate['publicKey'] {
  const key = node.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') return { algorithm: 'RSA', size: details.modulusLength ?? 0 };
  if (key.asymmetricKeyType === 'ec') {
    const [curve, size] = CURVES[details.namedCurve ?? ''] ?? [details.namedCurve ?? 'unknown', 0];
    return { algorithm: 'ECDSA', size, curve };
  }
  throw new Error(`${key.asymmetricKeyType} public keys are not supported (RSA or ECDSA)`);
}

/** Parses the extensions kpki reads (absent ones are null / empty). */
export function readExtensions(cert: x509.X509Certificate) {
  const ku = cert.getExtension(x509.KeyUsagesExtension);
  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
  const bc = cert.getExtension(x509.BasicConstraintsExtension);
  const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension);
  const aki = cert.getExtension(x509.AuthorityKeyIdentifierExtension);
  const san = cert.extensions.find((e) => e.type === OID_SAN);
  return {
    keyUsage: ku ? { critical: ku.critical, flags: ku.usages as number } : null,
    extendedKeyUsage: eku ? { critical: eku.critical, oids: eku.usages.map(String) } : null,
    basicConstraints: bc
      ? { critical: bc.critical, ca: Boolean(bc.ca), ...(bc.pathLength !== undefined ? { pathLength: bc.pathLength } : {}) }
      : null,
    subjectKeyIdentifier: ski ? ski.keyId.toLowerCase() : null,
    authorityKeyIdentifier: aki?.keyId ? aki.keyId.toLowerCase() : null,
    san: san ? { critical: san.critical, names: decodeSans(new Uint8Array(san.value)) } : null,
  };
}

/**
 * Parses a PEM certificate into the API's ParsedCertificate.
 * @throws Error when the input is not a certificate or its key is neither RSA nor ECDSA.
 */
export function parseCertificate(pem: string): ParsedCertificate {
  const { cert, node, signatureOid } = loadCertificate(pem);
  const ext = readExtensions(cert);
  return {
    subject: nameAttributes(cert.subjectName),
    issuer: nameAttributes(cert.issuerName),
    serial: cert.serialNumber.toLowerCase(),
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    sans: ext.san?.names ?? [],
    keyUsage: ext.keyUsage ? { critical: ext.keyUsage.critical, usages: keyUsageNames(ext.keyUsage.flags) } : null,
    extendedKeyUsage: ext.extendedKeyUsage?.oids.map(extendedKeyUsageName) ?? [],
    basicConstraints: ext.basicConstraints,
    subjectKeyIdentifier: ext.subjectKeyIdentifier,
    authorityKeyIdentifier: ext.authorityKeyIdentifier,
    publicKey: publicKeyInfo(node),
    signatureAlgorithm: signatureAlgorithmName(signatureOid),
    fingerprints: { sha1: node.fingerprint, sha256: node.fingerprint256 },
  };
}
