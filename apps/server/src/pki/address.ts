/**
 * checkAddress: would a TLS client (Go's crypto/tls, as kubectl and every Kubernetes component
 * use) dialling `address` accept this certificate's names? The tutorial's most common failure,
 * "x509: certificate is valid for X, not Y", is this check failing.
 *
 * - an IP address (v4 or v6, any text form, brackets allowed) matches IP SANs only, byte for byte
 * - a DNS name matches DNS SANs only: case-insensitive, a trailing dot ignored, "*" as the
 *   whole leftmost label matches exactly one label
 * - the Common Name is never used (Go ignores it since 1.15)
 * - an extended key usage extension without "server auth" fails the check even when a SAN matches
 * Failure messages are Go's own wording.
 */
import type { AddressCheck } from '@kpki/shared';
import { findMatchingSan, isDnsName, isIp, normalizeIp } from '@kpki/shared/net';
import { loadCertificate, readExtensions } from './inspect.ts';

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const ANY_EKU = '2.5.29.37.0';

/**
 * Checks `address` against the SANs of `certPem`. Never throws for a bad address (valid: false
 * with a message); throws PkiError INVALID_PEM when `certPem` is not a certificate.
 */
export function checkAddress(certPem: string, address: string): AddressCheck {
  const cert = loadCertificate(certPem);
  const ext = readExtensions(cert);
  const sans = ext.san?.names ?? [];
  const raw = String(address ?? '').trim();
  const result = (valid: boolean, matched: AddressCheck['matched'], message: string): AddressCheck => ({ address: raw, valid, matched, message });

  const unbracketed = /^\[.*\]$/.test(raw) ? raw.slice(1, -1) : raw;
  const asIp = isIp(unbracketed);
  const host = asIp ? unbracketed : raw.toLowerCase().replace(/\.$/, '');
  if (!host) return result(false, null, 'no address given: pass a DNS name or an IP address');
  if (!asIp && !isDnsName(host)) return result(false, null, `"${raw}" is neither an IP address nor a DNS name`);

  const match = findMatchingSan(sans, host);
  if (!match) {
    if (asIp) {
      const ips = sans.filter((s) => s.type === 'ip').map((s) => s.value);
      if (!ips.length) return result(false, null, `x509: cannot validate certificate for ${unbracketed} because it doesn't contain any IP SANs`);
      return result(false, null, `x509: certificate is valid for ${ips.join(', ')}, not ${unbracketed}`);
    }
    const names = sans.filter((s) => s.type === 'dns').map((s) => s.value);
    if (!ext.san && cert.subject.some((a) => a.type === 'CN' && a.value.toLowerCase() === host)) {
      return result(false, null, 'x509: certificate relies on legacy Common Name field, use SANs instead');
    }
    if (!names.length) return result(false, null, `x509: certificate is not valid for any names, but wanted to match ${raw}`);
    return result(false, null, `x509: certificate is valid for ${names.join(', ')}, not ${raw}`);
  }
  const matched = { type: match.type, value: match.value };
  const eku = ext.extendedKeyUsage?.oids;
  if (eku && !eku.includes(SERVER_AUTH) && !eku.includes(ANY_EKU)) {
    return result(false, matched, `x509: certificate specifies an incompatible key usage: ${match.type.toUpperCase()} SAN ${match.value} matches, but the extended key usage lacks server auth`);
  }
  const shown = asIp ? normalizeIp(unbracketed) : host;
  return result(true, matched, `certificate is valid for ${shown}: matches ${match.type === 'ip' ? 'IP' : 'DNS'} SAN ${match.value}`);
}
