import { describe, expect, test } from 'vitest';
import {
  cidrNetwork, firstUsableAddress, formatIp, isDnsLabel, isDnsName,
  isIp, isUnspecifiedIp, normalizeCidr, normalizeIp, parseCidr, parseIp,
} from './net.ts';

describe('IPv4', () => {
  test.each(['0.0.0.0', '10.32.0.1', '255.255.255.255', '192.0.2.1'])('accepts %s', (text) => {
    expect(parseIp(text)).toEqual({ version: 4, bytes: text.split('.').map(Number) });
    expect(normalizeIp(text)).toBe(text);
  });
  test.each(['256.0.0.1', '10.1', '10.0.0.1.', '010.0.0.1', '1.2.3.4.5', '1..2.3', ' 10.0.0.1', '10.0.0.-1', '0x0a.0.0.1', ''])(
    'rejects %j', (text) => {
      expect(parseIp(text)).toBeNull();
      expect(isIp(text)).toBe(false);
    },
  );
});

describe('IPv6 canonical form (RFC 5952)', () => {
  test.each([
    ['::', '::'],
    ['::1', '::1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // first of two equal runs
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // a single zero group is not compressed
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'], // the longest run wins
    ['fd00:10:96::', 'fd00:10:96::'],
    ['1::', '1::'],
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
    ['::FFFF:c000:0201', '::ffff:192.0.2.1'],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
  ])('%s -> %s', (input, canonical) => {
    expect(normalizeIp(input)).toBe(canonical);
    expect(parseIp(input)?.version).toBe(6);
  });
  test.each([
    ':::', '1:::2', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8::', '::1:2:3:4:5:6:7:8',
    '12345::', 'g::1', ':1::2', '1::2:', '1.2.3.4::', '::1.2.3.4:5', 'fe80::1%eth0', '[::1]', '::256.1.1.1',
  ])('rejects %j', (text) => {
    expect(parseIp(text)).toBeNull();
  });
  test('"::" stands for exactly the missing groups', () => {
    expect(normalizeIp('1:2:3::6:7:8')).toBe('1:2:3::6:7:8');
    expect(normalizeIp('1:2:3:4:5:6::8')).toBe('1:2:3:4:5:6:0:8');
  });
  test('formatIp refuses a byte count other than 4 or 16', () => {
    expect(() => formatIp([1, 2, 3])).toThrow(RangeError);
  });
});

describe('isUnspecifiedIp', () => {
  test('isUnspecifiedIp', () => {
    expect(isUnspecifiedIp('0.0.0.0')).toBe(true);
    expect(isUnspecifiedIp('0::0')).toBe(true);
    expect(isUnspecifiedIp('0.0.0.1')).toBe(false);
  });
});

describe('CIDR', () => {
  test.each([
    ['10.32.0.0/24', '10.32.0.1'],
    ['10.96.0.0/12', '10.96.0.1'],
    ['fd00:10:96::/108', 'fd00:10:96::1'],
    ['FD00:10:96:0::/108', 'fd00:10:96::1'],
    ['0.0.0.0/0', '0.0.0.1'],
    ['192.0.2.4/30', '192.0.2.5'],
    ['2001:db8::/127', '2001:db8::1'],
  ])('first usable address of %s is %s', (cidr, first) => {
    expect(firstUsableAddress(cidr)).toBe(first);
  });
  test.each(['10.32.0.1/32', '10.32.0.0/31', 'fd00::1/128'])('%s has no usable address', (cidr) => {
    expect(() => firstUsableAddress(cidr)).toThrow(/no usable address/);
  });
  test('host bits set, bad prefix and bad syntax are invalid', () => {
    expect(parseCidr('10.32.0.1/24')).toEqual({ ok: false, error: 'host-bits' });
    expect(parseCidr('10.96.0.0/10')).toEqual({ ok: false, error: 'host-bits' });
    expect(parseCidr('fd00:10:96::1/108')).toEqual({ ok: false, error: 'host-bits' });
    expect(parseCidr('10.0.0.0/33')).toEqual({ ok: false, error: 'prefix' });
    expect(parseCidr('::/129')).toEqual({ ok: false, error: 'prefix' });
    for (const text of ['10.0.0.0', '10.0.0.0/', '10.0.0.0/024', '10.0.0.0/8/8', 'x/8', '10.0.0.0/ 8']) {
      expect(parseCidr(text)).toEqual({ ok: false, error: 'syntax' });
    }
    expect(() => firstUsableAddress('10.32.0.1/24')).toThrow(RangeError);
  });
  test('normalizeCidr and cidrNetwork', () => {
    expect(normalizeCidr('FD00:10:96:0::/108')).toBe('fd00:10:96::/108');
    expect(normalizeCidr('10.32.0.1/24')).toBeNull();
    expect(cidrNetwork('10.32.0.5/24')).toBe('10.32.0.0/24');
    expect(cidrNetwork('10.97.3.4/12')).toBe('10.96.0.0/12');
    expect(cidrNetwork('fd00:10:96::1/108')).toBe('fd00:10:96::/108');
    expect(cidrNetwork('nonsense')).toBeNull();
  });
});

describe('DNS', () => {
  test('isDnsLabel follows RFC 1123 as Kubernetes reads it (lowercase)', () => {
    for (const ok of ['a', 'cp1', 'worker-1', '1worker', 'a'.repeat(63)]) expect(isDnsLabel(ok)).toBe(true);
    for (const bad of ['', '-a', 'a-', 'A', 'worker_1', 'a.b', 'a'.repeat(64), 'wörker']) expect(isDnsLabel(bad)).toBe(false);
  });
  test('isDnsName: dotted labels, <= 253 characters, no trailing dot, no numeric top label', () => {
    for (const ok of ['cluster.local', 'kubernetes', 'a.b-c.d', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`]) {
      expect(isDnsName(ok)).toBe(true);
    }
    const tooLong = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`;
    for (const bad of ['', 'cluster.local.', '.local', 'a..b', 'Cluster.local', '10.0.0.300', 'a.123', tooLong]) {
      expect(isDnsName(bad)).toBe(false);
    }
  });
  test('a wildcard is a whole first label, only when allowed, with two labels after it', () => {
    expect(isDnsName('*.apps.example.com')).toBe(false);
    expect(isDnsName('*.apps.example.com', { allowWildcard: true })).toBe(true);
    expect(isDnsName('*.com', { allowWildcard: true })).toBe(false);
    expect(isDnsName('a.*.example.com', { allowWildcard: true })).toBe(false);
    expect(isDnsName('*a.example.com', { allowWildcard: true })).toBe(false);
  });
});
