import { describe, expect, test } from 'vitest';
import { CFSSL_CA_PEM, CFSSL_KUBERNETES_PEM } from '../../test/fixtures/cfssl-certs.ts';
import { issueCluster } from '../../test/helpers/pki.ts';
import { certificateFacts } from './facts.ts';
import { parseCertificate } from './inspect.ts';

/** The facts parseCertificate (the full, slow reader) gives for the same certificate. */
function factsByFullParse(pem: string) {
  const p = parseCertificate(pem);
  const subject: Record<string, string> = {};
  for (const a of p.subject) subject[a.type] = subject[a.type] === undefined ? a.value : `${subject[a.type]}, ${a.value}`;
  return {
    serial: p.serial, subject, sans: p.sans, usages: [...(p.keyUsage?.usages ?? []), ...p.extendedKeyUsage],
    notBefore: p.notBefore, notAfter: p.notAfter,
  };
}

describe('certificateFacts', () => {
  test('a certificate cfssl 1.2 made reads as the full parser reads it', () => {
    const { keyAlgorithm, ...facts } = certificateFacts(CFSSL_KUBERNETES_PEM);
    expect(facts).toEqual(factsByFullParse(CFSSL_KUBERNETES_PEM));
    expect(keyAlgorithm).toBe('rsa-2048');
    expect(certificateFacts(CFSSL_CA_PEM).usages).toEqual(['certificate sign', 'crl sign']);
  });

  test('every certificate kpki issues (ECDSA P-384), the same as the full parser', async () => {
    const issued = await issueCluster({ algorithm: 'ecdsa-p384' });
    for (const c of [{ name: 'ca', ...issued.ca }, ...issued.leaves]) {
      const { keyAlgorithm, ...facts } = certificateFacts(c.certPem);
      expect(facts, c.name).toEqual(factsByFullParse(c.certPem));
      expect(keyAlgorithm).toBe('ecdsa-p384');
    }
  });

  test('garbage is refused without echoing it', () => {
    expect(() => certificateFacts('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')).toThrow('not a valid PEM certificate');
  });
});
