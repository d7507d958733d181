/**
 * Plain facts about certificate and key files: what the server reads from a file (pki/cert-facts.ts)
 * and hands to the link check (link-check.ts). No parsing and no crypto here, so the web can
 * import the types.
 */

/** EKU OIDs Go's verifier knows by name. */
export const EKU = {
  any: '2.5.29.37.0',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  netscapeServerGatedCrypto: '2.16.840.1.113730.4.1',
  microsoftServerGatedCrypto: '1.3.6.1.4.1.311.10.3.3',
} as const;

export type PublicKeyAlgorithm = 'RSA' | 'ECDSA' | 'Ed25519' | 'unknown';

/** Everything Go's x509 verifier looks at in one certificate. */
export interface CertFacts {
  /** SHA-256 of the DER, lowercase hex: the certificate's identity */
  id: string;
  /** subject CN ("" when absent) and every O, in certificate order */
  cn: string;
  o: string[];
  /** serial number in decimal (Go names a certificate without CN and O "serial:<decimal>") */
  serial: string;
  /** DER of the subject and issuer Names, hex: Go finds a parent by byte-equal names */
  subjectDer: string;
  issuerDer: string;
  /** ISO 8601 UTC */
  notBefore: string;
  notAfter: string;
  /** DNS SANs as written in the certificate */
  dnsNames: string[];
  /** IP SANs as Go prints them (IPv4 and IPv4-mapped dotted, IPv6 RFC 5952) */
  ipAddresses: string[];
  /** the certificate has a SubjectAlternativeName extension (even an empty one) */
  hasSanExtension: boolean;
  /** extended key usage OIDs, [] when the extension is absent */
  extKeyUsage: string[];
  /** basic constraints present, and its cA flag */
  basicConstraintsValid: boolean;
  isCa: boolean;
  /** path length constraint, null when none */
  maxPathLen: number | null;
  /** key usage holds certificate sign; null when the key usage extension is absent */
  keyCertSign: boolean | null;
  subjectKeyId: string | null;
  authorityKeyId: string | null;
  publicKeyAlgorithm: PublicKeyAlgorithm;
  /** SHA-256 of the SubjectPublicKeyInfo DER: a key file matches when its public half has the same */
  publicKeyId: string;
  /** the key type the signature algorithm needs ("ECDSA" for ecdsa-with-SHA256) */
  signatureKeyAlgorithm: PublicKeyAlgorithm;
  /** ids of the certificates (among those the server was given) whose public key verifies this signature */
  signedBy: string[];
}

/** The public half of a private key file (the key itself never leaves the server). */
export interface KeyFacts {
  algorithm: PublicKeyAlgorithm;
  /** SHA-256 of the SubjectPublicKeyInfo DER */
  publicKeyId: string;
}

/**
 * What a file holds, as Go's tls.X509KeyPair and x509.CertPool read it: its CERTIFICATE blocks
 * (parsed), the types of its other PEM blocks, and for a key file its key's public half or the
 * error Go gives when it finds none.
 */
export interface FileContent {
  certificates: CertFacts[];
  /** PEM block types other than CERTIFICATE, in file order */
  otherBlocks: string[];
  /** CERTIFICATE blocks that do not parse */
  malformed: number;
  /** the private key's public half, for key files; null when none could be read */
  key: KeyFacts | null;
  /** why no key was read, in Go's words ("tls: failed to find any PEM data in key input") */
  keyError: string | null;
}

/** Why a file cannot be looked at. */
export type FileUnavailableCode = 'file-missing' | 'not-verified' | 'node-unreachable' | 'not-issued' | 'content-unknown';

/**
 * One file as a source of the link check sees it: its content (with where it comes from when it
 * is not the current issued version), or why it is unavailable.
 */
export type FileView =
  | { kind: 'content'; content: FileContent; provenance: string | null }
  | { kind: 'unavailable'; code: FileUnavailableCode; message: string };
