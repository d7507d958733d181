import { describe, expect, test } from 'vitest';
import { CFSSL_CA_PEM, CFSSL_KUBERNETES_PEM } from '../../test/fixtures/cfssl-certs.ts';
import { certificateColumns, parseCertificate } from './inspect.ts';
import { PkiError } from './errors.ts';
import { certificateText, opensslDate, opensslName } from './text.ts';

describe('parseCertificate on a certificate cfssl 1.2 made (fixed data)', () => {
  const p = parseCertificate(CFSSL_KUBERNETES_PEM);

  test('subject and issuer by attribute, in certificate order', () => {
    expect(p.subject).toEqual([
      { type: 'C', value: 'US' },
      { type: 'ST', value: 'Oregon' },
      { type: 'L', value: 'Portland' },
      { type: 'O', value: 'Kubernetes' },
      { type: 'OU', value: 'Kubernetes The Hard Way' },
      { type: 'CN', value: 'kubernetes' },
    ]);
    expect(p.issuer.map((a) => `${a.type}=${a.value}`).join(',')).toBe('C=US,ST=Oregon,L=Portland,O=Kubernetes,OU=CA,CN=Kubernetes');
  });

  test('serial, validity, fingerprints exactly as openssl prints them', () => {
    expect(p.serial).toBe('279d1d2ce9e069b92ebdbec5d8ead476c6665d0c');
    expect(p.notBefore).toBe('2026-11-29T14:20:00.000Z');
    expect(p.notAfter).toBe('2027-11-29T14:20:00.000Z');
    expect(p.fingerprints.sha256).toBe('26:C4:31:20:0D:25:B8:F8:61:2C:A6:6D:F8:31:27:67:0F:6B:4F:0D:60:53:25:E3:16:DC:FA:D4:01:A7:35:82');
    expect(p.fingerprints.sha1).toBe('4E:1F:D2:A2:A6:30:A0:57:BB:88:E7:68:3E:6B:58:DE:25:8F:53:F8');
  });

  test('extensions, key and signature', () => {
    expect(p.sans).toEqual([
      { type: 'dns', value: 'kubernetes' },
      { type: 'dns', value: 'kubernetes.default' },
      { type: 'ip', value: '10.32.0.1' },
      { type: 'ip', value: '192.168.56.20' },
      { type: 'ip', value: '127.0.0.1' },
      { type: 'ip', value: '::1' },
    ]);
    expect(p.keyUsage).toEqual({ critical: true, usages: ['digital signature', 'key encipherment'] });
    expect(p.extendedKeyUsage).toEqual(['server auth', 'client auth']);
    expect(p.basicConstraints).toEqual({ critical: true, ca: false });
    expect(p.subjectKeyIdentifier).toBe('e10fb481a3326c18a7d4010fa2df1ee56b1a04e7');
    expect(p.authorityKeyIdentifier).toBe('72cd7a2b4c5811f83e1150c3b5d1d504b56840ea');
    expect(parseCertificate(CFSSL_CA_PEM).subjectKeyIdentifier).toBe(p.authorityKeyIdentifier);
    expect(p.publicKey).toEqual({ algorithm: 'RSA', size: 2048 });
    expect(p.signatureAlgorithm).toBe('sha256WithRSAEncryption');
  });

  test('the CA: CA:TRUE critical, certificate sign + CRL sign, no AKI', () => {
    const ca = parseCertificate(CFSSL_CA_PEM);
    expect(ca.basicConstraints).toEqual({ critical: true, ca: true });
    expect(ca.keyUsage).toEqual({ critical: true, usages: ['certificate sign', 'crl sign'] });
    expect(ca.authorityKeyIdentifier).toBeNull();
    expect(ca.extendedKeyUsage).toEqual([]);
  });

  test('the stored columns come from the same reader', () => {
    expect(certificateColumns(CFSSL_KUBERNETES_PEM)).toEqual({
      serial: p.serial, cn: 'kubernetes', o: 'Kubernetes', notBefore: p.notBefore, notAfter: p.notAfter, sha256: p.fingerprints.sha256,
    });
    expect(certificateColumns(CFSSL_CA_PEM)).toMatchObject({ cn: 'Kubernetes', o: 'Kubernetes' });
  });

  test('not a certificate', () => {
    expect(() => certificateColumns('junk')).toThrow(PkiError);
    expect(() => parseCertificate('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')).toThrow('not a valid PEM certificate');
    expect(() => parseCertificate('')).toThrow('not a valid PEM certificate');
  });
});

describe('certificateText (OpenSSL 3.0 layout)', () => {
  const text = certificateText(CFSSL_KUBERNETES_PEM);
  test('header, names, dates', () => {
    expect(text.split('\n').slice(0, 11)).toEqual([
      'Certificate:',
      '    Data:',
      '        Version: 3 (0x2)',
      '        Serial Number:',
      '            27:9d:1d:2c:e9:e0:69:b9:2e:bd:be:c5:d8:ea:d4:76:c6:66:5d:0c',
      '        Signature Algorithm: sha256WithRSAEncryption',
      '        Issuer: C = US, ST = Oregon, L = Portland, O = Kubernetes, OU = CA, CN = Kubernetes',
      '        Validity',
      '            Not Before: Nov 29 14:20:00 2026 GMT',
      '            Not After : Nov 29 14:20:00 2027 GMT',
      '        Subject: C = US, ST = Oregon, L = Portland, O = Kubernetes, OU = Kubernetes The Hard Way, CN = kubernetes',
    ]);
  });
  test('extensions as openssl words them', () => {
    const ext = text.slice(text.indexOf('        X509v3 extensions:'), text.indexOf('    Signature Algorithm', text.indexOf('X509v3')));
    expect(ext).toBe(
      [
        '        X509v3 extensions:',
        '            X509v3 Key Usage: critical',
        '                Digital Signature, Key Encipherment',
        '            X509v3 Extended Key Usage: ',
        '                TLS Web Server Authentication, TLS Web Client Authentication',
        '            X509v3 Basic Constraints: critical',
        '                CA:FALSE',
        '            X509v3 Subject Key Identifier: ',
        '                E1:0F:B4:81:A3:32:6C:18:A7:D4:01:0F:A2:DF:1E:E5:6B:1A:04:E7',
        '            X509v3 Authority Key Identifier: ',
        '                72:CD:7A:2B:4C:58:11:F8:3E:11:50:C3:B5:D1:D5:04:B5:68:40:EA',
        '            X509v3 Subject Alternative Name: ',
        '                DNS:kubernetes, DNS:kubernetes.default, IP Address:10.32.0.1, IP Address:192.168.56.20, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
        '',
      ].join('\n'),
    );
  });
  test('modulus and exponent', () => {
    expect(text).toContain('                Public-Key: (2048 bit)\n                Modulus:\n                    00:b1:d7:5a:e9:42:2c:18:7d:a7:81:ec:bc:bf:ae:\n');
    expect(text).toContain('                Exponent: 65537 (0x10001)\n');
    expect(text.endsWith('0a:5e:ff:d2\n')).toBe(true);
  });
  test('helpers: single-digit days are space padded; special characters are quoted', () => {
    expect(opensslDate(new Date('2026-03-05T01:02:03Z'))).toBe('Mar  5 01:02:03 2026 GMT');
    expect(opensslName([{ type: 'O', value: 'a, "b"' }, { type: 'CN', value: 'x' }])).toBe('O = "a, \\"b\\"", CN = x');
  });
});
