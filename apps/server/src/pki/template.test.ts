import { describe, expect, test } from 'vitest';
import { distinguishedName, randomSerial, toPem, validityWindow } from './template.ts';
import { decodeTlvs, oidToString } from './der.ts';

/** A Name's attributes as [OID, text] pairs, one RDN each, read with the DER primitives only. */
const attributes = (name: Uint8Array) =>
  decodeTlvs(decodeTlvs(name)[0].value).map((rdn) => {
    const [type, value] = decodeTlvs(decodeTlvs(rdn.value)[0].value);
    return [oidToString(type.value), Buffer.from(value.value).toString('utf8')];
  });

describe('validityWindow (cfssl: now rounded to the minute, minus 5 minutes)', () => {
  test('rounds down below 30 seconds and backdates 5 minutes', () => {
    const w = validityWindow({ now: new Date('2026-01-15T10:25:19.900Z'), validityHours: 8760 });
    expect(w.notBefore.toISOString()).toBe('2026-01-15T10:20:00.000Z');
    expect(w.notAfter.toISOString()).toBe('2027-01-15T10:20:00.000Z');
  });
  test('rounds up from 30 seconds', () => {
    const w = validityWindow({ now: new Date('2026-01-15T10:25:30.000Z'), validityHours: 1 });
    expect(w.notBefore.toISOString()).toBe('2026-01-15T10:21:00.000Z');
    expect(w.notAfter.toISOString()).toBe('2026-01-15T11:21:00.000Z');
  });
  test('43800 h is 5 years of 365 days, across a leap day', () => {
    const w = validityWindow({ now: new Date('2026-11-29T14:25:19Z'), validityHours: 43800 });
    expect(w.notAfter.toISOString()).toBe('2031-11-28T14:20:00.000Z');
  });
  test('backdate is configurable and validity must be positive', () => {
    expect(validityWindow({ now: new Date('2026-01-15T10:00:00Z'), validityHours: 1, backdateMinutes: 0 }).notBefore.toISOString()).toBe(
      '2026-01-15T10:00:00.000Z',
    );
    expect(() => validityWindow({ now: new Date('2026-01-15T10:00:00Z'), validityHours: 0 })).toThrow(RangeError);
    expect(() => validityWindow({ now: new Date('nope'), validityHours: 1 })).toThrow(TypeError);
  });
});

describe('distinguishedName', () => {
  test('C, ST, L, O, OU, CN in that order, one RDN each, empty ones left out', () => {
    const name = distinguishedName({ CN: 'system:node:w1', OU: 'Kubernetes The Hard Way', O: '', L: 'Portland', ST: 'Oregon', C: 'US' });
    expect(attributes(name)).toEqual([['2.5.4.6', 'US'], ['2.5.4.8', 'Oregon'], ['2.5.4.7', 'Portland'], ['2.5.4.11', 'Kubernetes The Hard Way'], ['2.5.4.3', 'system:node:w1']]);
  });
  test('PrintableString when Go would use it, UTF8String otherwise; values are literal', () => {
    // Name = SEQUENCE OF SET OF SEQUENCE { type OID, value }: the tag of each value
    const valueTags = (parts: Parameters<typeof distinguishedName>[0]) =>
      decodeTlvs(decodeTlvs(distinguishedName(parts))[0].value).map(
        (rdn) => decodeTlvs(decodeTlvs(rdn.value)[0].value)[1].tag,
      );
    const PRINTABLE = 0x13;
    const UTF8 = 0x0c;
    expect(valueTags({ C: 'US', O: 'system:masters', CN: 'system:kube-proxy' })).toEqual([PRINTABLE, PRINTABLE, PRINTABLE]);
    expect(valueTags({ O: 'a&b', OU: 'Zürich', CN: '#x "y" \\z' })).toEqual([UTF8, UTF8, UTF8]);
    expect(attributes(distinguishedName({ CN: '#x "y" \\z' }))).toEqual([['2.5.4.3', '#x "y" \\z']]);
  });
});

test('randomSerial: 20 bytes, positive, different each time', () => {
  const serials = new Set(Array.from({ length: 50 }, randomSerial));
  expect(serials.size).toBe(50);
  for (const s of serials) {
    expect(s).toMatch(/^[0-9a-f]{40}$/);
    expect(parseInt(s.slice(0, 2), 16)).toBeLessThan(0x80);
  }
});

test('toPem wraps at 64 characters and ends with a newline', () => {
  const pem = toPem(new Uint8Array(100).fill(7), 'CERTIFICATE');
  const lines = pem.split('\n');
  expect(lines[0]).toBe('-----BEGIN CERTIFICATE-----');
  expect(lines[1]).toHaveLength(64);
  expect(lines.at(-2)).toBe('-----END CERTIFICATE-----');
  expect(pem.endsWith('-----\n')).toBe(true);
});
