/** Shapes of certificates as the API returns them. */
import type { SanEntry } from '../plan.ts';
import type { ExpiryState } from '../expiry.ts';

/** Row of GET /clusters/{cluster}/issuances, newest first. */
export interface IssuanceRecord {
  id: string;
  /** "ca": the CA's own record; "leaves": an issuance of the plan's certificates; "renewal", "changes"; "rotation": a CA rotation's switch (the new CA and every leaf) or its undoing */
  kind: 'ca' | 'leaves' | 'renewal' | 'changes' | 'rotation';
  createdAt: string;
  /** how many certificates it stored */
  certificates: number;
}

/** A distinguished name attribute, in certificate order (cfssl: C, ST, L, O, OU, CN). */
export interface DnAttribute {
  type: 'C' | 'ST' | 'L' | 'O' | 'OU' | 'CN' | string;
  value: string;
}

/** Row of GET /clusters/{cluster}/certificates (parsed columns). */
export interface CertificateSummary {
  name: string;
  cn: string;
  o: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  sha256: string;
  keyAlgorithm: string;
  issuanceId: string;
  /** retired: its node left the topology (the last version stays downloadable) */
  status: CertificateStatus;
  recipients: string[];
  /** seconds left until notAfter (negative once expired), at the server's clock */
  residualSeconds: number;
  /** ok, warning, critical, expired against the cluster's thresholds */
  expiryState: ExpiryState;
  /** notAfter was capped at the CA's notAfter (the validity asked for would have passed it) */
  notAfterCapped: boolean;
}

export type CertificateStatus = 'current' | 'superseded' | 'retired';

/** What pki/inspect.ts reads from a certificate PEM (no storage fields). */
export interface ParsedCertificate {
  subject: DnAttribute[];
  issuer: DnAttribute[];
  /** lower-case hex, no separators */
  serial: string;
  /** ISO 8601 UTC */
  notBefore: string;
  notAfter: string;
  sans: Array<{ type: 'dns' | 'ip'; value: string }>;
  keyUsage: { critical: boolean; usages: string[] } | null;
  extendedKeyUsage: string[];
  basicConstraints: { critical: boolean; ca: boolean; pathLength?: number } | null;
  /** lower-case hex, no separators */
  subjectKeyIdentifier: string | null;
  authorityKeyIdentifier: string | null;
  publicKey: { algorithm: 'RSA' | 'ECDSA'; size: number; curve?: string };
  /** e.g. "sha256WithRSAEncryption", "ecdsa-with-SHA384" (OpenSSL's names) */
  signatureAlgorithm: string;
  /** upper-case hex with colons, as openssl prints */
  fingerprints: { sha1: string; sha256: string };
}

/** GET /clusters/{cluster}/certificates/{name} */
export interface CertificateDetail extends ParsedCertificate {
  name: string;
  status: CertificateStatus;
  issuanceId: string;
  /** SANs with the reason from the plan (reason "added by the operator" for extra SANs) */
  sansWithReasons: SanEntry[];
  pem: string;
  chain: { ok: boolean; message: string };
  recipients: string[];
  /** OpenSSL-style text rendering of the certificate */
  text: string;
}

/** GET /clusters/{cluster}/certificates/{name}/check?address= */
export interface AddressCheck {
  /** the host checked (from a pasted host:port or URL, its host: dialedAddress) */
  address: string;
  valid: boolean;
  matched: { type: 'dns' | 'ip'; value: string } | null;
  message: string;
  /** what was set aside from the text given ("port 6443 is not part of a certificate's check: only the host is"), when anything was */
  note?: string;
}
