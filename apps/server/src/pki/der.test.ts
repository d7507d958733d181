import { describe, expect, test } from 'vitest';
import { CFSSL_CA_PEM, CFSSL_KUBERNETES_PEM } from '../../test/fixtures/cfssl-certs.ts';
import { decodeOne, decodeTlvs, encodeTlv, oid, oidToString, time, unsignedInteger } from './der.ts';
import { authorityKeyIdentifier, basicConstraints, extendedKeyUsage, keyIdentifier, keyUsage } from './extensions.ts';
import { loadCertificate } from './inspect.ts';
import { KEY_USAGE_FLAGS } from './usages.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('DER encoders', () => {
  test('lengths: short and long form', () => {
    expect(hex(encodeTlv(0x04, new Uint8Array(3)))).toBe('0403000000');
    expect(hex(encodeTlv(0x04, new Uint8Array(200))).slice(0, 6)).toBe('0481c8');
    expect(hex(encodeTlv(0x04, new Uint8Array(300))).slice(0, 8)).toBe('0482012c');
  });
  test('unsigned integers are minimal and positive', () => {
    expect(hex(unsignedInteger(Uint8Array.of(0, 0, 5)))).toBe('020105');
    expect(hex(unsignedInteger(Uint8Array.of(0x80)))).toBe('02020080');
    expect(hex(unsignedInteger(new Uint8Array(0)))).toBe('020100');
  });
  test('OIDs round-trip', () => {
    for (const o of ['1.2.840.113549.1.1.11', '2.5.29.17', '1.3.6.1.5.5.7.3.1', '2.999.3']) expect(oidToString(decodeOne(oid(o)).value)).toBe(o);
    expect(hex(oid('1.2.840.10045.4.3.2'))).toBe('06082a8648ce3d040302');
  });
  test('UTCTime through 2049, GeneralizedTime from 2050', () => {
    expect(Buffer.from(time(new Date('2049-12-31T23:59:59.999Z'))).toString('latin1').slice(2)).toBe('491231235959Z');
    expect(Buffer.from(time(new Date('2050-01-01T00:00:00Z'))).toString('latin1').slice(2)).toBe('20500101000000Z');
    expect(time(new Date('2049-01-01Z'))[0]).toBe(0x17);
    expect(time(new Date('2050-01-01Z'))[0]).toBe(0x18);
  });
});

describe('extensions are encoded as cfssl (Go) encodes them', () => {
  // the extension values of cfssl's certificates, by OID
  const values = (pem: string) => new Map(loadCertificate(pem).extensions.map((e) => [e.oid, hex(e.value)]));
  const leaf = values(CFSSL_KUBERNETES_PEM);
  const ca = values(CFSSL_CA_PEM);
  const F = KEY_USAGE_FLAGS;

  test('key usage, extended key usage, basic constraints', () => {
    expect(hex(keyUsage(F.digitalSignature | F.keyEncipherment).value)).toBe(leaf.get('2.5.29.15'));
    expect(hex(keyUsage(F.keyCertSign | F.cRLSign).value)).toBe(ca.get('2.5.29.15'));
    expect(hex(extendedKeyUsage(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']).value)).toBe(leaf.get('2.5.29.37'));
    expect(hex(basicConstraints(false).value)).toBe(leaf.get('2.5.29.19'));
    expect(hex(basicConstraints(true).value)).toBe(ca.get('2.5.29.19'));
    expect(hex(keyUsage(F.decipherOnly).value)).toBe('0303070080'); // bit 8: a second byte, 7 unused bits
    expect(() => keyUsage(0)).toThrow(RangeError);
  });

  test('key identifiers: SHA-1 of the key bits, as cfssl computes them', () => {
    const spki = (pem: string) => new Uint8Array(loadCertificate(pem).node.publicKey.export({ type: 'spki', format: 'der' }));
    expect(keyIdentifier(spki(CFSSL_CA_PEM))).toBe('72cd7a2b4c5811f83e1150c3b5d1d504b56840ea');
    expect(keyIdentifier(spki(CFSSL_KUBERNETES_PEM))).toBe('e10fb481a3326c18a7d4010fa2df1ee56b1a04e7');
    expect(hex(authorityKeyIdentifier('72cd7a2b4c5811f83e1150c3b5d1d504b56840ea').value)).toBe(leaf.get('2.5.29.35'));
    expect(() => keyIdentifier(Uint8Array.of(0x30, 0))).toThrow('not a SubjectPublicKeyInfo');
  });

  test('decodeTlvs rejects truncated input', () => {
    expect(() => decodeTlvs(Uint8Array.of(0x30, 5, 1))).toThrow('truncated DER');
  });
});
