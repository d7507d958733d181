/**
 * Reading files as Go's TLS stack reads them, into the plain facts the link check needs
 * (@kpki/shared tls-facts.ts): PEM blocks as Go's pem.Decode finds them, each certificate's
 * names, SANs, usages, constraints and key id (through the one reader, inspect.ts), and a
 * private key's public half. A private key is parsed only to derive its public key id; nothing
 * returned here holds key material.
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { CertFacts, KeyFacts, PublicKeyAlgorithm } from '@kpki/shared';
import { signatureName } from './algorithms.ts';
import { attribute, loadCertificate, readExtensions, type LoadedCertificate } from './inspect.ts';
import { KEY_USAGE_FLAGS } from './usages.ts';

/** A file's PEM blocks, as stored and handed to the check (certificates as base64 DER; never a key). */
export interface ObservedContent {
  /** base64 DER of each CERTIFICATE block that parses, in file order */
  certificates: string[];
  /** PEM block types other than CERTIFICATE */
  otherBlocks: string[];
  /** CERTIFICATE blocks that do not parse */
  malformed: number;
  /** the key's public half (key files) */
  key: KeyFacts | null;
  /** Go's error when no key could be read (key files) */
  keyError: string | null;
}

/** Certificate facts without `signedBy` (which depends on the other certificates at hand). */
export type OwnFacts = Omit<CertFacts, 'signedBy'>;

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/** PEM blocks in order, as Go's pem.Decode finds them (text outside blocks and block headers skipped). */
export function pemBlocks(text: string): Array<{ type: string; der: Buffer }> {
  const out: Array<{ type: string; der: Buffer }> = [];
  for (const m of text.matchAll(/-----BEGIN ([^\r\n-]*)-----\r?\n([\s\S]*?)-----END \1-----/g)) {
    const body = m[2].split(/\r?\n/).filter((line) => !line.includes(':')).join('');
    if (!/^[A-Za-z0-9+/=\s]*$/.test(body)) continue;
    out.push({ type: m[1], der: Buffer.from(body, 'base64') });
  }
  return out;
}

/** The key type a public key or a signature algorithm needs, as Go names it. */
function keyTypeOf(nodeType: string | undefined): PublicKeyAlgorithm {
  return nodeType === 'rsa' ? 'RSA' : nodeType === 'ec' ? 'ECDSA' : nodeType === 'ed25519' ? 'Ed25519' : 'unknown';
}

function signatureKeyType(oid: string): PublicKeyAlgorithm {
  const name = signatureName(oid);
  if (/RSA|rsassa/i.test(name)) return 'RSA';
  if (name.startsWith('ecdsa')) return 'ECDSA';
  return name === 'ED25519' ? 'Ed25519' : 'unknown';
}

/** An IP SAN as Go's net.IP.String() prints it: IPv4-mapped addresses as plain IPv4. */
const goIp = (text: string) => (text.startsWith('::ffff:') && text.includes('.') ? text.slice(7) : text);

/** A certificate read for the link check: its facts, its public key, and a signature check against a parent's key. */
export interface CheckedCertificate {
  facts: OwnFacts;
  publicKey: KeyObject;
  /** true when `parentKey` verifies this certificate's signature; never throws */
  signedWith(parentKey: KeyObject): boolean;
}

/**
 * Reads one certificate (DER) once for the link check.
 * @throws PkiError INVALID_PEM when the DER is not an X.509 certificate.
 */
export function readForCheck(der: Uint8Array): CheckedCertificate {
  const c = loadCertificate(der);
  return {
    facts: factsOf(c),
    publicKey: c.node.publicKey,
    signedWith: (parentKey) => {
      try {
        return c.node.verify(parentKey);
      } catch {
        return false;
      }
    },
  };
}

/**
 * The facts of one certificate (DER, or the first of a PEM), without `signedBy`, read with the
 * one reader (inspect.ts).
 * @throws PkiError INVALID_PEM when the input is not an X.509 certificate.
 */
export function certFacts(certificate: Uint8Array | string): OwnFacts {
  return factsOf(loadCertificate(certificate));
}

function factsOf(c: LoadedCertificate): OwnFacts {
  const ext = readExtensions(c);
  const sans = ext.san?.names ?? [];
  const bc = ext.basicConstraints;
  return {
    id: sha256(c.der), cn: attribute(c.subject, 'CN'), o: c.subject.filter((a) => a.type === 'O').map((a) => a.value),
    serial: BigInt(`0x${c.serial || '0'}`).toString(), subjectDer: hex(c.subjectDer), issuerDer: hex(c.issuerDer),
    notBefore: c.notBefore.toISOString(), notAfter: c.notAfter.toISOString(),
    dnsNames: sans.filter((n) => n.type === 'dns').map((n) => n.value), ipAddresses: sans.filter((n) => n.type === 'ip').map((n) => goIp(n.value)),
    hasSanExtension: ext.san !== null, extKeyUsage: ext.extendedKeyUsage?.oids ?? [],
    basicConstraintsValid: bc !== null, isCa: bc?.ca ?? false, maxPathLen: bc?.pathLength ?? null,
    keyCertSign: ext.keyUsage ? (ext.keyUsage.flags & KEY_USAGE_FLAGS.keyCertSign) !== 0 : null,
    subjectKeyId: ext.subjectKeyIdentifier, authorityKeyId: ext.authorityKeyIdentifier,
    publicKeyAlgorithm: keyTypeOf(c.node.publicKey.asymmetricKeyType), publicKeyId: sha256(c.node.publicKey.export({ type: 'spki', format: 'der' })),
    signatureKeyAlgorithm: signatureKeyType(c.signatureOid),
  };
}

/** The public half of a private key (DER of any of PKCS#1, SEC1, PKCS#8), or null when it does not parse. */
function publicHalf(der: Buffer): KeyFacts | null {
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      const key = createPrivateKey({ key: der, format: 'der', type });
      const pub = createPublicKey(key).export({ type: 'spki', format: 'der' });
      return { algorithm: keyTypeOf(key.asymmetricKeyType), publicKeyId: sha256(pub) };
    } catch {
      /* next encoding */
    }
  }
  return null;
}

/**
 * What a file holds, as Go reads a certificate file (`part` cert) or a key file (`part` key): the
 * certificates, the other block types, and for a key file the first "PRIVATE KEY" block's
 * public half or Go's error. Holds no key material.
 */
export function observeFile(text: string, part: 'cert' | 'key'): ObservedContent {
  const blocks = pemBlocks(text);
  const out: ObservedContent = { certificates: [], otherBlocks: [], malformed: 0, key: null, keyError: null };
  for (const b of blocks) {
    if (b.type !== 'CERTIFICATE') out.otherBlocks.push(b.type);
    else if (isCertificate(b.der)) out.certificates.push(b.der.toString('base64'));
    else out.malformed++;
  }
  if (part === 'key') {
    const keyBlock = blocks.find((b) => b.type === 'PRIVATE KEY' || b.type.endsWith(' PRIVATE KEY'));
    const skipped = blocks.map((b) => b.type);
    if (keyBlock) {
      out.key = publicHalf(keyBlock.der);
      if (!out.key) out.keyError = 'tls: failed to parse private key';
    } else if (skipped.length === 0) out.keyError = 'tls: failed to find any PEM data in key input';
    else if (skipped.length === 1 && skipped[0] === 'CERTIFICATE') out.keyError = 'tls: found a certificate rather than a key in the PEM for the private key';
    else out.keyError = `tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: [${skipped.join(' ')}]`;
  }
  return out;
}

function isCertificate(der: Buffer): boolean {
  try {
    certFacts(der);
    return true;
  } catch {
    return false;
  }
}

/** True when `parentDer`'s public key verifies `childDer`'s signature. Never throws. */
export function signatureVerifies(childDer: Uint8Array, parentDer: Uint8Array): boolean {
  try {
    return readForCheck(childDer).signedWith(readForCheck(parentDer).publicKey);
  } catch {
    return false;
  }
}
