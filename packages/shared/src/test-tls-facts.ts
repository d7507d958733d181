/**
 * Test-only builders of certificate facts (imported by *.test.ts, never by the library): a CA,
 * certificates it signs, and files holding them, without any crypto. "Signed by" is whatever
 * the builder says, as the server would report it after checking the signature.
 */
import { EKU, type CertFacts, type FileContent, type FileView } from './tls-facts.ts';

let counter = 0;
const hex = (text: string) => [...text].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
const YEAR = 365 * 24 * 3600e3;

/** A certificate with sensible defaults: valid a year around 2026-06-01, no SANs, RSA. */
export function cert(over: Partial<CertFacts> & { name?: string } = {}): CertFacts {
  const { name, ...rest } = over;
  const id = `c${++counter}`;
  const cn = rest.cn ?? name ?? id;
  return {
    id, cn, o: [], serial: String(counter), subjectDer: hex(`CN=${cn}`), issuerDer: hex(`CN=${cn}`),
    notBefore: new Date(Date.parse('2026-06-01T00:00:00Z') - YEAR / 2).toISOString(),
    notAfter: new Date(Date.parse('2026-06-01T00:00:00Z') + YEAR / 2).toISOString(),
    dnsNames: [], ipAddresses: [], hasSanExtension: false, extKeyUsage: [EKU.serverAuth, EKU.clientAuth],
    basicConstraintsValid: true, isCa: false, maxPathLen: null, keyCertSign: null,
    subjectKeyId: `ski-${id}`, authorityKeyId: null, publicKeyAlgorithm: 'RSA', publicKeyId: `pk-${id}`,
    signatureKeyAlgorithm: 'RSA', signedBy: [], ...rest,
  };
}

/** A self-signed CA named `cn` (no EKU, certificate sign). */
export function ca(cn: string, over: Partial<CertFacts> = {}): CertFacts {
  const c = cert({ cn, isCa: true, keyCertSign: true, extKeyUsage: [], ...over });
  return { ...c, issuerDer: c.subjectDer, signedBy: [c.id], ...over };
}

/** A certificate issued by `issuer` (subject, SANs, usages in `over`). */
export function issued(issuer: CertFacts, over: Partial<CertFacts> = {}): CertFacts {
  const sans = (over.dnsNames?.length ?? 0) + (over.ipAddresses?.length ?? 0) > 0;
  return cert({
    issuerDer: issuer.subjectDer, authorityKeyId: issuer.subjectKeyId, signedBy: [issuer.id],
    signatureKeyAlgorithm: issuer.publicKeyAlgorithm, hasSanExtension: sans, ...over,
  });
}

/** A file holding these certificates (and, for a key file, the key of `keyOf`). */
export function file(certificates: CertFacts[], keyOf?: CertFacts, provenance: string | null = null): FileView {
  const content: FileContent = {
    certificates, otherBlocks: keyOf ? ['RSA PRIVATE KEY'] : [], malformed: 0,
    key: keyOf ? { algorithm: keyOf.publicKeyAlgorithm, publicKeyId: keyOf.publicKeyId } : null,
    keyError: keyOf ? null : 'tls: failed to find any PEM data in key input',
  };
  return { kind: 'content', content, provenance };
}
