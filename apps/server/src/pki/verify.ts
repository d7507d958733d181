/**
 * verifyChain: would a client that trusts `ca.pem` accept this certificate at time `now`?
 * The checks of `openssl verify -CAfile ca.pem cert.pem` for a one-level chain, spelled out:
 *
 * 1. the CA certificate is a CA: basic constraints CA:TRUE, and key usage (when present)
 *    includes certificate sign
 * 2. the certificate's issuer is the CA's subject (DER equal), and its authority key identifier
 *    (when both are present) is the CA's subject key identifier
 * 3. the signature verifies with the CA's public key
 * 4. `now` lies within the validity of both the certificate and the CA (bounds inclusive)
 *
 * Passing the CA as both arguments checks the CA itself (self-signed, in its dates).
 */
import { loadCertificate, readExtensions, type LoadedCertificate } from './inspect.ts';
import { opensslName } from './text.ts';
import { KEY_USAGE_FLAGS } from './usages.ts';

export interface ChainResult {
  ok: boolean;
  /** "OK: ..." or the first check that failed, in words */
  message: string;
}

function datesProblem(who: string, c: LoadedCertificate, now: Date): string | null {
  if (now.getTime() < c.notBefore.getTime()) return `${who} is not yet valid: notBefore ${c.notBefore.toISOString()} is after ${now.toISOString()}`;
  if (now.getTime() > c.notAfter.getTime()) return `${who} has expired: notAfter ${c.notAfter.toISOString()} is before ${now.toISOString()}`;
  return null;
}

/**
 * Verifies `leafPem` against the trusted CA `caPem` at `now`. Never throws: bad input is a failed
 * result. `checkTime: false` skips check 4 (as `openssl verify -no_check_time`): who signed it, whatever the dates.
 */
export function verifyChain(leafPem: string, caPem: string, now: Date, opts: { checkTime?: boolean } = {}): ChainResult {
  let leaf: LoadedCertificate;
  let ca: LoadedCertificate;
  try {
    leaf = loadCertificate(leafPem);
  } catch {
    return { ok: false, message: 'the certificate is not a valid PEM certificate' };
  }
  try {
    ca = loadCertificate(caPem);
  } catch {
    return { ok: false, message: 'the CA certificate is not a valid PEM certificate' };
  }
  const fail = (message: string): ChainResult => ({ ok: false, message });
  const caExt = readExtensions(ca);
  const leafExt = readExtensions(leaf);
  const caName = opensslName(ca.subject);

  if (!caExt.basicConstraints?.ca) return fail(`invalid CA certificate: ${caName} is not a CA (basic constraints CA:TRUE missing)`);
  if (caExt.keyUsage && !(caExt.keyUsage.flags & KEY_USAGE_FLAGS.keyCertSign)) {
    return fail(`invalid CA certificate: the key usage of ${caName} does not include certificate sign`);
  }
  if (!Buffer.from(leaf.issuerDer).equals(ca.subjectDer)) {
    return fail(`unable to get local issuer certificate: issued by ${opensslName(leaf.issuer)}, not by ${caName}`);
  }
  if (leafExt.authorityKeyIdentifier && caExt.subjectKeyIdentifier && leafExt.authorityKeyIdentifier !== caExt.subjectKeyIdentifier) {
    return fail(`unable to get local issuer certificate: authority key identifier ${leafExt.authorityKeyIdentifier} is not the CA's ${caExt.subjectKeyIdentifier}`);
  }
  let signatureOk: boolean;
  try {
    signatureOk = leaf.node.verify(ca.node.publicKey);
  } catch {
    signatureOk = false;
  }
  if (!signatureOk) return fail(`certificate signature failure: the signature does not verify with the public key of ${caName}`);
  const dateProblem = opts.checkTime === false ? null : datesProblem('the certificate', leaf, now) ?? datesProblem('the CA certificate', ca, now);
  if (dateProblem) return fail(dateProblem);
  return {
    ok: true,
    message: `OK: signed by ${caName}, valid from ${leaf.notBefore.toISOString()} to ${leaf.notAfter.toISOString()}`,
  };
}
