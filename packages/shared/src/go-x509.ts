/**
 * The rules Go's crypto/x509 applies when a TLS peer verifies a certificate
 * (`Certificate.Verify`, `VerifyHostname`, `buildChains`, `checkChainForKeyUsage`), over the
 * plain facts of tls-facts.ts, with Go's error texts word for word. Pure: the signature checks
 * themselves were done by the server (CertFacts.signedBy).
 *
 * Order, as Go: the leaf's validity period, then the host name, then a chain to a root, then the
 * extended key usages along the chain.
 */
import { parseIp } from './net.ts';
import { EKU, type CertFacts, type PublicKeyAlgorithm } from './tls-facts.ts';

export type VerifyFailureCode = 'expired' | 'hostname' | 'unknown-authority' | 'incompatible-usage' | 'not-authorized-to-sign' | 'too-many-intermediates';

/** The first error Go would return, with a stable code. */
export interface VerifyFailure {
  code: VerifyFailureCode;
  /** Go's Error() text, e.g. "x509: certificate signed by unknown authority" */
  message: string;
}

export interface VerifyOptions {
  /** the trusted CA file's certificates */
  roots: readonly CertFacts[];
  /** the certificates the peer sent after its leaf */
  intermediates: readonly CertFacts[];
  /** the host the client dialed (server certificates only) */
  dnsName?: string;
  /** the usage the verifier asks for: a client asks server auth, a server client auth */
  usage: 'server auth' | 'client auth';
  at: Date;
}

/** Go's time.RFC3339 in UTC, whole seconds: "2026-12-02T04:19:02Z". */
export function goTime(date: Date | string): string {
  return new Date(date).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Go's %q for an ASCII text: double quotes, backslash and quote escaped. */
export function goQuote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
}

const ASCII_LOWER = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** 16 bytes for an IPv4 (IPv4-mapped) or IPv6 text, as Go's net.ParseIP, or null. */
function ip16(text: string): number[] | null {
  const ip = parseIp(text);
  if (!ip) return null;
  return ip.version === 4 ? [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...ip.bytes] : ip.bytes;
}

/** Go's net.IP.Equal: an IPv4 address equals its IPv4-mapped IPv6 form. */
export function goIpEqual(a: string, b: string): boolean {
  const x = ip16(a);
  const y = ip16(b);
  return !!x && !!y && x.every((v, i) => v === y[i]);
}

function validHostname(host: string, isPattern: boolean): boolean {
  if (!isPattern) host = host.replace(/\.$/, '');
  if (host.length === 0 || host === '*') return false;
  return host.split('.').every((part, i) => {
    if (part === '') return false;
    if (isPattern && i === 0 && part === '*') return true;
    return [...part].every((c, j) => /[a-zA-Z0-9_]/.test(c) || (c === '-' && j !== 0));
  });
}

/** Go's matchHostnames: case-insensitive, "*" as the whole left-most label matches exactly one label. */
export function goMatchHostnames(pattern: string, host: string): boolean {
  const p = ASCII_LOWER(pattern);
  const h = ASCII_LOWER(host.replace(/\.$/, ''));
  if (!p || !h) return false;
  const pp = p.split('.');
  const hp = h.split('.');
  if (pp.length !== hp.length) return false;
  return pp.every((part, i) => (i === 0 && part === '*') || part === hp[i]);
}

function matchExactly(a: string, b: string): boolean {
  if (a === '' || a === '.' || b === '' || b === '.') return false;
  return ASCII_LOWER(a) === ASCII_LOWER(b);
}

/** What Go's host name check reads of a certificate. */
export type NameFacts = Pick<CertFacts, 'cn' | 'dnsNames' | 'ipAddresses' | 'hasSanExtension'>;

/** Go's HostnameError.Error() for a certificate that does not cover `host`. */
function hostnameError(cert: NameFacts, host: string): string {
  if (!cert.hasSanExtension && goMatchHostnames(cert.cn, host)) {
    return 'x509: certificate relies on legacy Common Name field, use SANs instead';
  }
  let valid: string;
  if (ip16(host)) {
    if (cert.ipAddresses.length === 0) return `x509: cannot validate certificate for ${host} because it doesn't contain any IP SANs`;
    valid = cert.ipAddresses.join(', ');
  } else {
    valid = cert.dnsNames.join(', ');
  }
  if (valid.length === 0) return `x509: certificate is not valid for any names, but wanted to match ${host}`;
  return `x509: certificate is valid for ${valid}, not ${host}`;
}

/** An IP host in brackets ("[::1]") without them; anything else as it is. */
const unbracket = (host: string) => (host.length >= 3 && host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host);

/**
 * The SAN that satisfies Go's Certificate.VerifyHostname for `host`, as the certificate lists
 * it, or null: an IP (brackets allowed) matches IP SANs only (net.IP.Equal: an IPv4 address
 * equals its IPv4-mapped form); a name matches DNS SANs case-insensitively, with wildcard and
 * trailing dot rules applied only to valid host names, exact matches otherwise.
 */
export function goMatchingSan(cert: NameFacts, host: string): { type: 'ip' | 'dns'; value: string } | null {
  const candidateIp = unbracket(host);
  if (ip16(candidateIp)) {
    const ip = cert.ipAddresses.find((san) => goIpEqual(san, candidateIp));
    return ip === undefined ? null : { type: 'ip', value: ip };
  }
  const name = ASCII_LOWER(host);
  const validName = validHostname(name, false);
  const dns = cert.dnsNames.find((match) => (validName && validHostname(match, true) ? goMatchHostnames(match, name) : matchExactly(match, name)));
  return dns === undefined ? null : { type: 'dns', value: dns };
}

/** Go's Certificate.VerifyHostname (goMatchingSan's rules): null when `host` matches, else Go's error. */
export function goVerifyHostname(cert: NameFacts, host: string): VerifyFailure | null {
  if (goMatchingSan(cert, host)) return null;
  const candidateIp = unbracket(host);
  return { code: 'hostname', message: hostnameError(cert, ip16(candidateIp) ? candidateIp : host) };
}

/** Go's expiry check of one certificate at `at`, or null inside its validity. */
export function goTimeProblem(cert: CertFacts, at: Date): VerifyFailure | null {
  const now = at.getTime();
  const prefix = 'x509: certificate has expired or is not yet valid: ';
  if (now < Date.parse(cert.notBefore)) return { code: 'expired', message: `${prefix}current time ${goTime(at)} is before ${goTime(cert.notBefore)}` };
  if (now > Date.parse(cert.notAfter)) return { code: 'expired', message: `${prefix}current time ${goTime(at)} is after ${goTime(cert.notAfter)}` };
  return null;
}

const GO_KEY_TYPE: Record<PublicKeyAlgorithm, string> = { RSA: '*rsa.PublicKey', ECDSA: '*ecdsa.PublicKey', Ed25519: 'ed25519.PublicKey', unknown: 'unknown' };
const SIGNATURE_FAILURE: Record<PublicKeyAlgorithm, string> = {
  RSA: 'crypto/rsa: verification error', ECDSA: 'x509: ECDSA verification failure', Ed25519: 'x509: Ed25519 verification failure', unknown: 'x509: cannot verify signature: algorithm unimplemented',
};

/** Go's Certificate.CheckSignatureFrom(parent) as an error text, or null when `parent` signed `child`. */
export function goCheckSignatureFrom(child: CertFacts, parent: CertFacts): string | null {
  if (!parent.basicConstraintsValid || !parent.isCa || parent.keyCertSign === false) {
    return 'x509: invalid signature: parent certificate cannot sign this kind of certificate';
  }
  if (child.signatureKeyAlgorithm !== parent.publicKeyAlgorithm) {
    return `x509: signature algorithm specifies an ${child.signatureKeyAlgorithm} public key, but have public key of type ${GO_KEY_TYPE[parent.publicKeyAlgorithm]}`;
  }
  return child.signedBy.includes(parent.id) ? null : SIGNATURE_FAILURE[parent.publicKeyAlgorithm];
}

/** Go's findPotentialParents: same issuer name, ordered by how well the key ids match. */
function potentialParents(cert: CertFacts, pool: readonly CertFacts[]): CertFacts[] {
  const matching: CertFacts[] = [];
  const one: CertFacts[] = [];
  const mismatch: CertFacts[] = [];
  for (const c of pool) {
    if (c.subjectDer !== cert.issuerDer) continue;
    const ski = c.subjectKeyId ?? '';
    const aki = cert.authorityKeyId ?? '';
    if (ski === aki) matching.push(c);
    else if ((ski === '' && aki !== '') || (ski !== '' && aki === '')) one.push(c);
    else mismatch.push(c);
  }
  return [...matching, ...one, ...mismatch];
}

const alreadyInChain = (candidate: CertFacts, chain: readonly CertFacts[]) =>
  chain.some((c) => c.subjectDer === candidate.subjectDer && c.publicKeyId === candidate.publicKeyId);

/** Go's name for a certificate in the unknown-authority hint: CN, else the first O, else "serial:<n>". */
function hintName(c: CertFacts): string {
  return c.cn || c.o[0] || `serial:${c.serial}`;
}

/** Go's isValid for a CA certificate of the chain (the leaf's time check is done by verify). */
function caProblem(c: CertFacts, type: 'root' | 'intermediate', chain: readonly CertFacts[], at: Date): string | null {
  const time = goTimeProblem(c, at);
  if (time) return time.message;
  if (type === 'intermediate' && (!c.basicConstraintsValid || !c.isCa)) return 'x509: certificate is not authorized to sign other certificates';
  if (c.basicConstraintsValid && c.maxPathLen !== null && chain.length - 1 > c.maxPathLen) return 'x509: too many intermediates for path length constraint';
  return null;
}

interface Chains {
  chains: CertFacts[][];
  error: VerifyFailure | null;
}

function buildChains(chain: CertFacts[], opts: VerifyOptions, depth: number): Chains {
  const cert = chain[chain.length - 1];
  const chains: CertFacts[][] = [];
  let error: VerifyFailure | null = null;
  let hint: { error: string; cert: CertFacts } | null = null;
  const consider = (candidate: CertFacts, type: 'root' | 'intermediate') => {
    if (alreadyInChain(candidate, chain)) return;
    const problem = goCheckSignatureFrom(cert, candidate) ?? caProblem(candidate, type, chain, opts.at);
    if (problem) {
      hint ??= { error: problem, cert: candidate };
      return;
    }
    if (type === 'root') chains.push([...chain, candidate]);
    else if (depth < 10) {
      const sub = buildChains([...chain, candidate], opts, depth + 1);
      chains.push(...sub.chains);
      error = sub.error;
    }
  };
  for (const root of potentialParents(cert, opts.roots)) consider(root, 'root');
  for (const intermediate of potentialParents(cert, opts.intermediates)) consider(intermediate, 'intermediate');
  if (chains.length > 0) return { chains, error: null };
  if (error) return { chains, error };
  const h = hint as { error: string; cert: CertFacts } | null;
  const message = 'x509: certificate signed by unknown authority' +
    (h ? ` (possibly because of ${goQuote(h.error)} while trying to verify candidate authority certificate ${goQuote(hintName(h.cert))})` : '');
  return { chains, error: { code: 'unknown-authority', message } };
}

/** Go's checkChainForKeyUsage: every certificate with EKUs must allow the usage (or "any"). */
function chainAllows(chain: readonly CertFacts[], usage: string): boolean {
  for (let i = chain.length - 1; i >= 0; i--) {
    const ekus = chain[i].extKeyUsage;
    if (ekus.length === 0 || ekus.includes(EKU.any)) continue;
    const ok = ekus.includes(usage) ||
      (usage === EKU.serverAuth && (ekus.includes(EKU.netscapeServerGatedCrypto) || ekus.includes(EKU.microsoftServerGatedCrypto)));
    if (!ok) return false;
  }
  return true;
}

/**
 * Go's Certificate.Verify as a TLS peer calls it: null when `leaf` verifies, else the first
 * error Go returns (leaf validity, host name, chain, key usage, in that order).
 */
export function goVerify(leaf: CertFacts, opts: VerifyOptions): VerifyFailure | null {
  const time = goTimeProblem(leaf, opts.at);
  if (time) return time;
  if (opts.dnsName) {
    const host = goVerifyHostname(leaf, opts.dnsName);
    if (host) return host;
  }
  let chains: CertFacts[][];
  if (opts.roots.some((r) => r.id === leaf.id)) chains = [[leaf]];
  else {
    const built = buildChains([leaf], opts, 0);
    if (built.error) return built.error;
    chains = built.chains;
  }
  const usage = opts.usage === 'server auth' ? EKU.serverAuth : EKU.clientAuth;
  if (chains.some((chain) => chainAllows(chain, usage))) return null;
  return { code: 'incompatible-usage', message: 'x509: certificate specifies an incompatible key usage' };
}
