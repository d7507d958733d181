/**
 * checkAddress: would a TLS client (Go's crypto/tls, as kubectl and every Kubernetes component
 * use) dialling `address` accept this certificate's names? The tutorial's most common failure,
 * "x509: certificate is valid for X, not Y", is this check failing.
 *
 * Go's rules and messages are @kpki/shared go-x509.ts (goMatchingSan, goVerifyHostname), the
 * same the link check applies: an IP (any text form, brackets allowed) matches IP SANs only, an
 * IPv4 address equal to its IPv4-mapped form; a DNS name matches DNS SANs only, without case, a
 * trailing dot ignored, "*" as the whole leftmost label matching exactly one label; the Common
 * Name never. Beyond the names: an extended key usage without "server auth" fails the check
 * even when a SAN matches.
 */
import type { AddressCheck } from '@kpki/shared';
import { goMatchingSan, goVerifyHostname } from '@kpki/shared/go-x509';
import { isDnsName, isIp, normalizeIp } from '@kpki/shared/net';
import { EKU } from '@kpki/shared/tls-facts';
import { certFacts } from './cert-facts.ts';

/**
 * Checks `address` against the SANs of `certPem`. Never throws for a bad address (valid: false
 * with a message); throws PkiError INVALID_PEM when `certPem` is not a certificate.
 */
export function checkAddress(certPem: string, address: string): AddressCheck {
  const cert = certFacts(certPem);
  const raw = String(address ?? '').trim();
  const result = (valid: boolean, matched: AddressCheck['matched'], message: string): AddressCheck => ({ address: raw, valid, matched, message });

  const unbracketed = /^\[.*\]$/.test(raw) ? raw.slice(1, -1) : raw;
  const asIp = isIp(unbracketed);
  const host = asIp ? unbracketed : raw.toLowerCase().replace(/\.$/, '');
  if (!host) return result(false, null, 'no address given: pass a DNS name or an IP address');
  if (!asIp && !isDnsName(host)) return result(false, null, `"${raw}" is neither an IP address nor a DNS name`);

  const matched = goMatchingSan(cert, raw);
  if (!matched) return result(false, null, goVerifyHostname(cert, raw)!.message);
  const eku = cert.extKeyUsage;
  if (eku.length > 0 && !eku.includes(EKU.serverAuth) && !eku.includes(EKU.any)) {
    return result(false, matched, `x509: certificate specifies an incompatible key usage: ${matched.type.toUpperCase()} SAN ${matched.value} matches, but the extended key usage lacks server auth`);
  }
  const shown = asIp ? normalizeIp(unbracketed) : host;
  return result(true, matched, `certificate is valid for ${shown}: matches ${matched.type === 'ip' ? 'IP' : 'DNS'} SAN ${matched.value}`);
}
