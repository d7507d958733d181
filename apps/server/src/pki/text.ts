/**
 * certificateText: the certificate as `openssl x509 -text -noout` (OpenSSL 3.0) prints it, for
 * the dashboard. For the certificates kpki issues the output is line for line OpenSSL's (tested
 * against /usr/bin/openssl); unknown extensions are shown as a hex dump.
 */
import type { DnAttribute } from '@kpki/shared';
import { parseIp } from '@kpki/shared/net';
import { curveOf, signatureName } from './algorithms.ts';
import { loadCertificate, readExtensions } from './inspect.ts';
import { extendedKeyUsageText, keyUsageText } from './usages.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** OpenSSL's ASN1_TIME_print: "Nov  9 14:20:00 2026 GMT". */
export function opensslDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${d.getUTCFullYear()} GMT`;
}

/** "C = US, ST = Oregon, CN = \"a, b\"": OpenSSL's one-line form, quoting values with specials. */
export function opensslName(attrs: DnAttribute[]): string {
  return attrs
    .map(({ type, value }) => `${type} = ${/[,+"\\<>;]/.test(value) ? `"${value.replace(/["\\]/g, '\\$&')}"` : value}`)
    .join(', ');
}

/** Colon-separated lower-case hex lines of `perLine` bytes, each indented by `indent` spaces. */
function hexDump(bytes: Uint8Array, perLine: number, indent: number): string[] {
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0'));
  const lines: string[] = [];
  for (let i = 0; i < hex.length; i += perLine) {
    const last = i + perLine >= hex.length;
    lines.push(' '.repeat(indent) + hex.slice(i, i + perLine).join(':') + (last ? '' : ':'));
  }
  return lines;
}

const upperHex = (hex: string) => (hex.toUpperCase().match(/../g) ?? []).join(':');

/** An IP SAN as OpenSSL 3.0 prints it: dotted IPv4, or eight upper-case uncompressed IPv6 groups. */
function opensslIp(text: string): string {
  const ip = parseIp(text);
  if (!ip || ip.version === 4) return text;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((ip.bytes[i] << 8) | ip.bytes[i + 1]).toString(16).toUpperCase());
  return groups.join(':');
}

function b64urlToBytes(s: string | undefined): Uint8Array {
  return new Uint8Array(Buffer.from(s ?? '', 'base64url'));
}

/**
 * The certificate as `openssl x509 -text -noout` shows it.
 * @throws PkiError INVALID_PEM when `pem` is not a certificate.
 */
export function certificateText(pem: string): string {
  const cert = loadCertificate(pem);
  const { node, signatureValue } = cert;
  const ext = readExtensions(cert);
  const sigName = signatureName(cert.signatureOid);
  const out: string[] = ['Certificate:', '    Data:', '        Version: 3 (0x2)'];

  const serialHex = cert.serial;
  const serialBytes = Buffer.from(serialHex.length % 2 ? `0${serialHex}` : serialHex, 'hex');
  if (serialBytes.length <= 8 && !(serialBytes[0] & 0x80)) {
    out.push(`        Serial Number: ${BigInt(`0x${serialHex}`)} (0x${serialHex.replace(/^0+(?=.)/, '')})`);
  } else {
    out.push('        Serial Number:', `            ${[...serialBytes].map((b) => b.toString(16).padStart(2, '0')).join(':')}`);
  }
  out.push(
    `        Signature Algorithm: ${sigName}`,
    `        Issuer: ${opensslName(cert.issuer)}`,
    '        Validity',
    `            Not Before: ${opensslDate(cert.notBefore)}`,
    `            Not After : ${opensslDate(cert.notAfter)}`,
    `        Subject: ${opensslName(cert.subject)}`,
    '        Subject Public Key Info:',
  );

  const key = node.publicKey;
  const jwk = key.export({ format: 'jwk' });
  if (key.asymmetricKeyType === 'rsa') {
    const n = b64urlToBytes(jwk.n);
    const modulus = n[0] & 0x80 ? Uint8Array.from([0, ...n]) : n;
    const e = BigInt(`0x${Buffer.from(b64urlToBytes(jwk.e)).toString('hex') || '0'}`);
    out.push(
      '            Public Key Algorithm: rsaEncryption',
      `                Public-Key: (${key.asymmetricKeyDetails?.modulusLength} bit)`,
      '                Modulus:',
      ...hexDump(modulus, 15, 20),
      `                Exponent: ${e} (0x${e.toString(16)})`,
    );
  } else if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve ?? '';
    const { nist, bits } = curveOf(curve) ?? { nist: curve, bits: 0 };
    const point = Uint8Array.from([4, ...b64urlToBytes(jwk.x), ...b64urlToBytes(jwk.y)]);
    out.push(
      '            Public Key Algorithm: id-ecPublicKey',
      `                Public-Key: (${bits} bit)`,
      '                pub:',
      ...hexDump(point, 15, 20),
      `                ASN1 OID: ${curve}`,
      `                NIST CURVE: ${nist}`,
    );
  } else {
    out.push(`            Public Key Algorithm: ${key.asymmetricKeyType}`);
  }

  if (cert.extensions.length) out.push('        X509v3 extensions:');
  for (const e of cert.extensions) {
    const head = (name: string) => `            ${name}: ${e.critical ? 'critical' : ''}`;
    const body = (text: string) => `                ${text}`;
    switch (e.oid) {
      case '2.5.29.15':
        out.push(head('X509v3 Key Usage'), body(keyUsageText(ext.keyUsage?.flags ?? 0)));
        break;
      case '2.5.29.37':
        out.push(head('X509v3 Extended Key Usage'), body((ext.extendedKeyUsage?.oids ?? []).map(extendedKeyUsageText).join(', ')));
        break;
      case '2.5.29.19': {
        const bc = ext.basicConstraints;
        out.push(head('X509v3 Basic Constraints'), body(`CA:${bc?.ca ? 'TRUE' : 'FALSE'}${bc?.pathLength !== undefined ? `, pathlen:${bc.pathLength}` : ''}`));
        break;
      }
      case '2.5.29.14':
        out.push(head('X509v3 Subject Key Identifier'), body(upperHex(ext.subjectKeyIdentifier ?? '')));
        break;
      case '2.5.29.35':
        out.push(head('X509v3 Authority Key Identifier'), body(upperHex(ext.authorityKeyIdentifier ?? '')));
        break;
      case '2.5.29.17':
        out.push(
          head('X509v3 Subject Alternative Name'),
          body((ext.san?.names ?? []).map((s) => (s.type === 'dns' ? `DNS:${s.value}` : `IP Address:${opensslIp(s.value)}`)).join(', ')),
        );
        break;
      default:
        out.push(head(e.oid), ...hexDump(e.value, 18, 16));
    }
  }
  out.push(`    Signature Algorithm: ${sigName}`, '    Signature Value:', ...hexDump(signatureValue, 18, 8));
  return `${out.join('\n')}\n`;
}
