/**
 * The checks every layout shares: does a key belong to a certificate (public keys compared),
 * does a certificate verify against a CA (signature and names, apart from the dates), is it
 * expired or not yet valid. Pure.
 */
import type { ImportProblem } from '@kpki/shared';
import { verifyChain } from '../../pki/verify.ts';
import type { ReadCertificate, ReadKey } from './read.ts';

/** The key check of a certificate: null when there is no readable key, with the problem when there is one. */
export function keyCheck(
  cert: ReadCertificate, keyPath: string | null, key: ReadKey | undefined, others: ReadCertificate[],
): { keyMatches: boolean | null; problem: ImportProblem | null } {
  if (keyPath === null || !key) return { keyMatches: null, problem: null };
  if (key.spki === null) return { keyMatches: null, problem: { code: 'KEY_UNREADABLE', message: `${keyPath} cannot be read: ${key.error}` } };
  if (key.spki.equals(cert.spki)) return { keyMatches: true, problem: null };
  const owner = others.find((c) => c !== cert && c.spki.equals(key.spki));
  const whose = owner ? `: it is the key of ${owner.path} (keys swapped?)` : ': its public key is not the certificate\'s';
  return { keyMatches: false, problem: { code: 'KEY_MISMATCH', message: `${keyPath} is not the key of ${cert.path}${whose}` } };
}

/**
 * Does `cert` verify against `ca` (issuer name, key identifier, signature; the CA a CA)? The
 * dates apart (openssl verify -no_check_time), so that an expired certificate still shows who
 * signed it: expiry is its own problem.
 */
export function chainCheck(cert: ReadCertificate, ca: ReadCertificate, caPath: string = ca.path): { ok: boolean; message: string } {
  const result = verifyChain(cert.pem, ca.pem, cert.loaded.notBefore, { checkTime: false });
  if (result.ok) return { ok: true, message: `signed by ${caPath} (${cert.issuer})` };
  const sameName = Buffer.from(cert.loaded.issuerDer).equals(ca.loaded.subjectDer);
  const foreign = sameName && /signature|key identifier/.test(result.message)
    ? `not signed by ${caPath}: issued by a CA of the same name (${cert.issuer}) whose key is another: a foreign CA`
    : `not signed by ${caPath}: ${result.message}`;
  return { ok: false, message: foreign };
}

/** EXPIRED or NOT_YET_VALID at `now`, or null. */
export function dateProblem(cert: ReadCertificate, now: Date): ImportProblem | null {
  if (now.getTime() > cert.loaded.notAfter.getTime()) {
    return { code: 'EXPIRED', message: `${cert.path} expired on ${cert.loaded.notAfter.toISOString()}: renew it after adoption` };
  }
  if (now.getTime() < cert.loaded.notBefore.getTime()) {
    return { code: 'NOT_YET_VALID', message: `${cert.path} is not valid before ${cert.loaded.notBefore.toISOString()} (a clock ahead where it was made?)` };
  }
  return null;
}
