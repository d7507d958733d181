/**
 * Reading files as Go's TLS stack reads them, into the plain facts the link check needs
 * (@kpki/shared tls-facts.ts): PEM blocks as Go's pem.Decode finds them, each certificate's
 * names, SANs, usages, constraints and key id (from its DER, a few microseconds each), and a
 * private key's public half. A private key is parsed only to derive its public key id; nothing
 * returned here holds key material.
 */
import { createHash, createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import type { CertFacts, KeyFacts, PublicKeyAlgorithm } from '@kpki/shared';
import { formatIp } from '@kpki/shared/net';
import { decodeOne, decodeTlvs, oidToString, type Tlv } from './der.ts';

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

const OID = {
  cn: '2.5.4.3', o: '2.5.4.10', san: '2.5.29.17', eku: '2.5.29.37', bc: '2.5.29.19', ku: '2.5.29.15', ski: '2.5.29.14', aki: '2.5.29.35',
  rsa: '1.2.840.113549.1.1.1', ec: '1.2.840.10045.2.1', ed25519: '1.3.101.112',
};

function keyAlgorithmOfOid(oid: string): PublicKeyAlgorithm {
  if (oid === OID.rsa || oid.startsWith('1.2.840.113549.1.1.')) return 'RSA';
  if (oid === OID.ec || oid.startsWith('1.2.840.10045.4.')) return 'ECDSA';
  return oid === OID.ed25519 ? 'Ed25519' : 'unknown';
}

function nameValues(name: Tlv): { cn: string; o: string[] } {
  let cn = '';
  const o: string[] = [];
  for (const rdn of decodeTlvs(name.value)) {
    for (const atv of decodeTlvs(rdn.value)) {
      const [type, value] = decodeTlvs(atv.value);
      const text = new TextDecoder().decode(value.value);
      const oid = oidToString(type.value);
      if (oid === OID.cn) cn ||= text;
      if (oid === OID.o) o.push(text);
    }
  }
  return { cn, o };
}

function time(t: Tlv): string {
  const s = new TextDecoder().decode(t.value);
  const full = t.tag === 0x17 ? `${Number(s.slice(0, 2)) >= 50 ? '19' : '20'}${s}` : s;
  const [y, mo, d, h, mi, se] = [0, 4, 6, 8, 10, 12].map((i, k) => Number(full.slice(i, k === 0 ? 4 : i + 2)));
  return new Date(Date.UTC(y, mo - 1, d, h, mi, se)).toISOString();
}

function goIp(bytes: Uint8Array): string {
  const text = formatIp([...bytes]);
  return text.startsWith('::ffff:') && text.includes('.') ? text.slice(7) : text;
}

/**
 * The facts of one certificate (DER), without `signedBy`.
 * @throws Error when the DER is not an X.509 certificate.
 */
export function certFacts(der: Uint8Array): OwnFacts {
  const [tbs, sigAlg] = decodeTlvs(decodeOne(der).value);
  const fields = decodeTlvs(tbs.value);
  const at = fields[0].tag === 0xa0 ? 1 : 0;
  const [serial, , issuer, validity, subject, spki] = fields.slice(at);
  const [notBefore, notAfter] = decodeTlvs(validity.value);
  const [spkiAlg] = decodeTlvs(spki.value);
  const f: OwnFacts = {
    id: sha256(der), ...nameValues(subject), serial: BigInt(`0x${hex(serial.value) || '0'}`).toString(),
    subjectDer: hex(encode(subject)), issuerDer: hex(encode(issuer)), notBefore: time(notBefore), notAfter: time(notAfter),
    dnsNames: [], ipAddresses: [], hasSanExtension: false, extKeyUsage: [], basicConstraintsValid: false, isCa: false,
    maxPathLen: null, keyCertSign: null, subjectKeyId: null, authorityKeyId: null,
    publicKeyAlgorithm: keyAlgorithmOfOid(oidToString(decodeTlvs(spkiAlg.value)[0].value)), publicKeyId: sha256(encode(spki)),
    signatureKeyAlgorithm: keyAlgorithmOfOid(oidToString(decodeTlvs(sigAlg.value)[0].value)),
  };
  const extensions = fields.find((x) => x.tag === 0xa3);
  for (const ext of extensions ? decodeTlvs(decodeOne(extensions.value).value) : []) {
    const parts = decodeTlvs(ext.value);
    const oid = oidToString(parts[0].value);
    const value = parts[parts.length - 1].value;
    if (oid === OID.san) {
      f.hasSanExtension = true;
      for (const n of decodeTlvs(decodeOne(value).value)) {
        if (n.tag === 0x82) f.dnsNames.push(new TextDecoder().decode(n.value));
        else if (n.tag === 0x87 && (n.value.length === 4 || n.value.length === 16)) f.ipAddresses.push(goIp(n.value));
      }
    } else if (oid === OID.eku) {
      f.extKeyUsage = decodeTlvs(decodeOne(value).value).map((t) => oidToString(t.value));
    } else if (oid === OID.bc) {
      f.basicConstraintsValid = true;
      for (const t of decodeTlvs(decodeOne(value).value)) {
        if (t.tag === 0x01) f.isCa = t.value[0] !== 0;
        if (t.tag === 0x02) f.maxPathLen = Number(BigInt(`0x${hex(t.value) || '0'}`));
      }
    } else if (oid === OID.ku) {
      const bits = decodeOne(value).value;
      f.keyCertSign = bits.length > 1 && (bits[1] & 0x04) !== 0;
    } else if (oid === OID.ski) {
      f.subjectKeyId = hex(decodeOne(value).value);
    } else if (oid === OID.aki) {
      const id = decodeTlvs(decodeOne(value).value).find((t) => t.tag === 0x80);
      f.authorityKeyId = id ? hex(id.value) : null;
    }
  }
  return f;
}

function lengthBytes(len: number): Buffer {
  if (len < 0x80) return Buffer.from([len]);
  const bytes: number[] = [];
  for (let n = len; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const encode = (t: Tlv) => Buffer.concat([Buffer.from([t.tag]), lengthBytes(t.value.length), Buffer.from(t.value)]);

/** The public half of a private key (DER of any of PKCS#1, SEC1, PKCS#8), or null when it does not parse. */
function publicHalf(der: Buffer): KeyFacts | null {
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      const key = createPrivateKey({ key: der, format: 'der', type });
      const pub = createPublicKey(key).export({ type: 'spki', format: 'der' });
      const algorithm: PublicKeyAlgorithm = key.asymmetricKeyType === 'rsa' ? 'RSA' : key.asymmetricKeyType === 'ec' ? 'ECDSA' : key.asymmetricKeyType === 'ed25519' ? 'Ed25519' : 'unknown';
      return { algorithm, publicKeyId: sha256(pub) };
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
    return new X509Certificate(Buffer.from(childDer)).verify(new X509Certificate(Buffer.from(parentDer)).publicKey);
  } catch {
    return false;
  }
}
