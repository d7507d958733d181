/**
 * memoVerify (link-facts.ts): goVerify once per distinct question within one check of many links.
 * Each part of the question is part of the key: asking again with another time, host name,
 * usage, trusted CA or intermediate gets that question's own answer, as goVerify gives it.
 */
import { describe, expect, test } from 'vitest';
import { goVerify, type VerifyOptions } from '@kpki/shared/go-x509';
import { ca, issued } from '@kpki/shared/test-tls-facts';
import { EKU } from '@kpki/shared/tls-facts';
import { memoVerify } from './link-facts.ts';

const AT = new Date('2026-06-01T12:00:00Z');
const root = ca('Kubernetes');
const other = ca('Other');
const inter = issued(root, { cn: 'intermediate', isCa: true, keyCertSign: true, extKeyUsage: [] });
const server = issued(root, { cn: 'kubernetes', ipAddresses: ['10.32.0.1'], extKeyUsage: [EKU.serverAuth] });
const viaInter = issued(inter, { cn: 'leaf', ipAddresses: ['10.32.0.1'], extKeyUsage: [EKU.serverAuth] });

describe('memoVerify', () => {
  test('answers what goVerify answers, once per question, each part of the question in the key', () => {
    const verify = memoVerify();
    const base: VerifyOptions = { roots: [root], intermediates: [], dnsName: '10.32.0.1', usage: 'server auth', at: AT };
    const questions: Array<[typeof server, VerifyOptions]> = [
      [server, base],
      [server, { ...base, at: new Date('2030-01-01T00:00:00Z') }], // expired by then
      [server, { ...base, dnsName: '10.32.0.2' }], // not a SAN
      [server, { ...base, usage: 'client auth' }], // server auth only
      [server, { ...base, roots: [other] }], // unknown authority
      [viaInter, { ...base, intermediates: [inter] }],
      [viaInter, base], // the intermediate not sent
    ];
    const expected = questions.map(([leaf, o]) => goVerify(leaf, o));
    expect(expected[0]).toBeNull();
    expect(expected.slice(1, 5).map((f) => f?.code)).toEqual(['expired', 'hostname', 'incompatible-usage', 'unknown-authority']);
    expect(expected[5]).toBeNull();
    expect(expected[6]).not.toBeNull();
    // asked in turn, twice: every answer its own question's, the first one again after the others
    for (let round = 0; round < 2; round++) {
      for (const [i, [leaf, o]] of questions.entries()) expect(verify(leaf, o), `question ${i}, round ${round}`).toEqual(expected[i]);
    }
  });
});
