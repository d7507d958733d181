/** Shapes of certificates as the API returns them: TypeBox schemas (what the server serializes with) and their types. */
import Type from 'typebox';
import { SanEntry } from '../plan.ts';
import { ExpiryState } from '../expiry.ts';

/** Row of GET /clusters/{cluster}/issuances, newest first. */
export const IssuanceRecord = Type.Object({
  id: Type.String(),
  /** "ca": the CA's own record; "leaves": an issuance of the plan's certificates; "renewal", "changes"; "rotation": a CA rotation's switch (the new CA and every leaf) or its undoing; "import": an adopted import of an existing PKI */
  kind: Type.Union([Type.Literal('ca'), Type.Literal('leaves'), Type.Literal('renewal'), Type.Literal('changes'), Type.Literal('rotation'), Type.Literal('import')]),
  createdAt: Type.String(),
  /** how many certificates it stored */
  certificates: Type.Integer({ description: 'how many certificates it stored' }),
});
export type IssuanceRecord = Type.Static<typeof IssuanceRecord>;

/** A distinguished name attribute, in certificate order (cfssl: C, ST, L, O, OU, CN). */
export const DnAttribute = Type.Object({
  /** 'C' | 'ST' | 'L' | 'O' | 'OU' | 'CN' or another attribute's name */
  type: Type.String(),
  value: Type.String(),
});
export type DnAttribute = Type.Static<typeof DnAttribute>;

export const CertificateStatus = Type.Union([Type.Literal('current'), Type.Literal('superseded'), Type.Literal('retired')]);
export type CertificateStatus = Type.Static<typeof CertificateStatus>;

/** Where a certificate version comes from: issued by kpki, or imported from an existing PKI and adopted (issue 14). */
export const CertificateSource = Type.Union([Type.Literal('issued'), Type.Literal('imported')], {
  description: 'issued by kpki, or imported from an existing PKI and adopted (POST .../imports/{id}/adopt)',
});
export type CertificateSource = Type.Static<typeof CertificateSource>;

/** Row of GET /clusters/{cluster}/certificates (parsed columns). */
export const CertificateSummary = Type.Object({
  name: Type.String(),
  cn: Type.String(),
  o: Type.String(),
  serial: Type.String(),
  notBefore: Type.String(),
  notAfter: Type.String(),
  sha256: Type.String(),
  keyAlgorithm: Type.String(),
  issuanceId: Type.String(),
  /** retired: its node left the topology (the last version stays downloadable) */
  status: CertificateStatus,
  /** issued by kpki, or imported and adopted */
  source: CertificateSource,
  recipients: Type.Array(Type.String()),
  /** seconds left until notAfter (negative once expired), at the server's clock */
  residualSeconds: Type.Integer({ description: "seconds left until notAfter (negative once expired), at the server's clock" }),
  /** ok, warning, critical, expired against the cluster's thresholds */
  expiryState: ExpiryState,
  /** notAfter was capped at the CA's notAfter (the validity asked for would have passed it) */
  notAfterCapped: Type.Boolean({ description: "notAfter was capped at the CA's notAfter (the validity asked for would have passed it)" }),
});
export type CertificateSummary = Type.Static<typeof CertificateSummary>;

/**
 * Row of GET /clusters/{cluster}/certificates?view=brief: what the certificates table shows and
 * searches (every recipient, so a search by any node finds a certificate every node receives),
 * without the fingerprint, notBefore, issuance, source and seconds left (GET .../certificates/{name}
 * has them). notAfterCapped only when true.
 */
export const CertificateRow = Type.Object({
  name: Type.String(),
  cn: Type.String(),
  o: Type.String(),
  serial: Type.String(),
  notAfter: Type.String(),
  keyAlgorithm: Type.String(),
  status: CertificateStatus,
  recipients: Type.Array(Type.String()),
  expiryState: ExpiryState,
  notAfterCapped: Type.Optional(Type.Literal(true, { description: "notAfter was capped at the CA's notAfter (absent when it was not)" })),
});
export type CertificateRow = Type.Static<typeof CertificateRow>;

/** The brief row of a certificate summary (the one place that says what the list keeps). */
export const certificateRowOf = (c: CertificateSummary): CertificateRow => ({
  name: c.name, cn: c.cn, o: c.o, serial: c.serial, notAfter: c.notAfter, keyAlgorithm: c.keyAlgorithm, status: c.status,
  recipients: c.recipients, expiryState: c.expiryState, ...(c.notAfterCapped ? { notAfterCapped: true as const } : {}),
});

const SanValue = Type.Object({ type: Type.Union([Type.Literal('dns'), Type.Literal('ip')]), value: Type.String() });

/** The fields pki/inspect.ts reads from a certificate PEM (no storage fields). */
const ParsedCertificateFields = {
  subject: Type.Array(DnAttribute),
  issuer: Type.Array(DnAttribute),
  /** lower-case hex, no separators */
  serial: Type.String({ description: 'lower-case hex, no separators' }),
  /** ISO 8601 UTC */
  notBefore: Type.String(),
  notAfter: Type.String(),
  sans: Type.Array(SanValue),
  keyUsage: Type.Union([Type.Object({ critical: Type.Boolean(), usages: Type.Array(Type.String()) }), Type.Null()]),
  extendedKeyUsage: Type.Array(Type.String()),
  basicConstraints: Type.Union([Type.Object({ critical: Type.Boolean(), ca: Type.Boolean(), pathLength: Type.Optional(Type.Integer()) }), Type.Null()]),
  /** lower-case hex, no separators */
  subjectKeyIdentifier: Type.Union([Type.String(), Type.Null()]),
  authorityKeyIdentifier: Type.Union([Type.String(), Type.Null()]),
  publicKey: Type.Object({ algorithm: Type.Union([Type.Literal('RSA'), Type.Literal('ECDSA')]), size: Type.Integer(), curve: Type.Optional(Type.String()) }),
  /** e.g. "sha256WithRSAEncryption", "ecdsa-with-SHA384" (OpenSSL's names) */
  signatureAlgorithm: Type.String({ description: 'OpenSSL\'s name, e.g. "sha256WithRSAEncryption", "ecdsa-with-SHA384"' }),
  /** upper-case hex with colons, as openssl prints */
  fingerprints: Type.Object({ sha1: Type.String(), sha256: Type.String() }),
};

/** What pki/inspect.ts reads from a certificate PEM (no storage fields). */
export const ParsedCertificate = Type.Object(ParsedCertificateFields);
export type ParsedCertificate = Type.Static<typeof ParsedCertificate>;

/** GET /clusters/{cluster}/certificates/{name} */
export const CertificateDetail = Type.Object({
  ...ParsedCertificateFields,
  name: Type.String(),
  status: CertificateStatus,
  /** issued by kpki, or imported and adopted */
  source: CertificateSource,
  issuanceId: Type.String(),
  /** SANs with the reason from the plan (reason "added by the operator" for extra SANs) */
  sansWithReasons: Type.Array(SanEntry),
  pem: Type.String(),
  chain: Type.Object({ ok: Type.Boolean(), message: Type.String() }),
  recipients: Type.Array(Type.String()),
  /** OpenSSL-style text rendering of the certificate */
  text: Type.String({ description: 'OpenSSL-style text rendering of the certificate' }),
});
export type CertificateDetail = Type.Static<typeof CertificateDetail>;

/** GET /clusters/{cluster}/certificates/{name}/check?address= */
export const AddressCheck = Type.Object({
  /** the host checked (from a pasted host:port or URL, its host: dialedAddress) */
  address: Type.String({ description: 'the host checked (from a pasted host:port or URL, its host)' }),
  valid: Type.Boolean(),
  matched: Type.Union([SanValue, Type.Null()]),
  message: Type.String(),
  /** what was set aside from the text given ("port 6443 is not part of a certificate's check: only the host is"), when anything was */
  note: Type.Optional(Type.String({ description: 'what was set aside from the text given (e.g. the port), when anything was' })),
});
export type AddressCheck = Type.Static<typeof AddressCheck>;
