/**
 * Go's verification rules over plain facts: host names (IPv6, IPv4-mapped, DNS case, wildcards
 * as Go matches them), validity, chains through an intermediate, key usages along the chain,
 * and Go's exact error texts.
 */
import { describe, expect, test } from 'vitest';
import { goMatchHostnames, goTime, goVerify, goVerifyHostname } from './go-x509.ts';
import { ca, cert, issued } from './test-tls-facts.ts';
import { EKU } from './tls-facts.ts';

const AT = new Date('2026-06-01T12:00:00Z');
const root = ca('Kubernetes');

describe('host names as Go matches them', () => {
  const server = issued(root, { cn: 'kubernetes', dnsNames: ['kubernetes', 'Kubernetes.Default', '*.apps.example.com'], ipAddresses: ['10.32.0.1', 'fd00:10:96::1', '127.0.0.1'] });
  const ok = (host: string) => expect(goVerifyHostname(server, host), host).toBeNull();
  const bad = (host: string) => expect(goVerifyHostname(server, host), host).not.toBeNull();

  test('IPv6: any text form, brackets allowed; the message lists the IP SANs as Go prints them', () => {
    ok('fd00:10:96::1');
    ok('FD00:10:96:0:0:0:0:1');
    ok('[fd00:10:96::1]');
    expect(goVerifyHostname(server, 'fd00:10:96::2')?.message).toBe('x509: certificate is valid for 10.32.0.1, fd00:10:96::1, 127.0.0.1, not fd00:10:96::2');
  });

  test('an IPv4 address equals its IPv4-mapped IPv6 form (net.IP.Equal), in both directions', () => {
    ok('::ffff:10.32.0.1');
    const mapped = issued(root, { ipAddresses: ['10.0.0.5'] });
    expect(goVerifyHostname(mapped, '::ffff:a00:5')).toBeNull();
  });

  test('an IP never matches a DNS SAN; a certificate without IP SANs says so', () => {
    const names = issued(root, { dnsNames: ['10.32.0.1'] });
    expect(goVerifyHostname(names, '10.32.0.1')?.message).toBe("x509: cannot validate certificate for 10.32.0.1 because it doesn't contain any IP SANs");
  });

  test('DNS names compare without case, a trailing dot on the host is ignored; the message lists the DNS SANs', () => {
    ok('kubernetes.default');
    ok('KUBERNETES.DEFAULT');
    ok('Kubernetes.Default.');
    expect(goVerifyHostname(server, 'kubernetes.default.svc')?.message).toBe('x509: certificate is valid for kubernetes, Kubernetes.Default, *.apps.example.com, not kubernetes.default.svc');
  });

  test('a wildcard is a whole left-most label and matches exactly one label', () => {
    ok('a.apps.example.com');
    ok('A-B.Apps.Example.COM');
    bad('apps.example.com');
    bad('a.b.apps.example.com');
    expect(goMatchHostnames('*.com', 'example.com')).toBe(true); // Go does not refuse short wildcards
    expect(goMatchHostnames('a*.example.com', 'ab.example.com')).toBe(false);
    expect(goMatchHostnames('*.example.com', 'example.com')).toBe(false);
  });

  test('a host that is not a valid name only matches a SAN exactly (no wildcard)', () => {
    const odd = issued(root, { dnsNames: ['*.example.com', 'a b.example.com'] });
    expect(goVerifyHostname(odd, 'a b.example.com')).toBeNull();
    expect(goVerifyHostname(odd, 'x y.example.com')).not.toBeNull();
  });

  test('a certificate without SANs: legacy Common Name, or not valid for any names', () => {
    expect(goVerifyHostname(cert({ cn: 'etcd' }), 'etcd')?.message).toBe('x509: certificate relies on legacy Common Name field, use SANs instead');
    expect(goVerifyHostname(cert({ cn: 'admin' }), 'etcd')?.message).toBe('x509: certificate is not valid for any names, but wanted to match etcd');
  });
});

describe('validity', () => {
  test('expired and not yet valid, in Go words with RFC 3339 times', () => {
    const leaf = issued(root, { notBefore: '2025-01-01T00:00:00.000Z', notAfter: '2025-01-02T00:00:00.000Z' });
    expect(goVerify(leaf, { roots: [root], intermediates: [], usage: 'client auth', at: AT })?.message)
      .toBe('x509: certificate has expired or is not yet valid: current time 2026-06-01T12:00:00Z is after 2025-01-02T00:00:00Z');
    const future = issued(root, { notBefore: '2027-01-01T00:00:00.000Z', notAfter: '2028-01-01T00:00:00.000Z' });
    expect(goVerify(future, { roots: [root], intermediates: [], usage: 'client auth', at: AT })?.message)
      .toBe('x509: certificate has expired or is not yet valid: current time 2026-06-01T12:00:00Z is before 2027-01-01T00:00:00Z');
    expect(goTime('2026-06-01T12:00:00.999Z')).toBe('2026-06-01T12:00:00Z');
  });
});

describe('chains', () => {
  const inter = issued(root, { cn: 'Kubernetes Intermediate', isCa: true, keyCertSign: true, extKeyUsage: [] });
  const leaf = issued(inter, { cn: 'kubernetes', ipAddresses: ['10.0.0.1'] });

  test('through an intermediate the peer sends: verified; without it: unknown authority', () => {
    expect(goVerify(leaf, { roots: [root], intermediates: [inter], dnsName: '10.0.0.1', usage: 'server auth', at: AT })).toBeNull();
    expect(goVerify(leaf, { roots: [root], intermediates: [], dnsName: '10.0.0.1', usage: 'server auth', at: AT })?.message)
      .toBe('x509: certificate signed by unknown authority');
  });

  test('the intermediate as a trusted root is enough', () => {
    expect(goVerify(leaf, { roots: [inter], intermediates: [], usage: 'server auth', at: AT })).toBeNull();
  });

  test('an expired intermediate: unknown authority with Go\'s hint', () => {
    const old = { ...inter, notAfter: '2026-01-01T00:00:00.000Z' };
    expect(goVerify(leaf, { roots: [root], intermediates: [old], usage: 'server auth', at: AT })?.message).toBe(
      'x509: certificate signed by unknown authority (possibly because of "x509: certificate has expired or is not yet valid: current time 2026-06-01T12:00:00Z is after 2026-01-01T00:00:00Z" while trying to verify candidate authority certificate "Kubernetes Intermediate")');
  });

  test('an intermediate that is not a CA cannot sign', () => {
    const notCa = { ...inter, isCa: false };
    expect(goVerify(leaf, { roots: [root], intermediates: [notCa], usage: 'server auth', at: AT })?.message).toBe(
      'x509: certificate signed by unknown authority (possibly because of "x509: invalid signature: parent certificate cannot sign this kind of certificate" while trying to verify candidate authority certificate "Kubernetes Intermediate")');
  });

  test('a path length of 0 on the root refuses an intermediate', () => {
    const strict = { ...root, maxPathLen: 0 };
    expect(goVerify(leaf, { roots: [strict], intermediates: [inter], usage: 'server auth', at: AT })?.code).toBe('unknown-authority');
  });

  test('another CA with the same name: the signature check fails (RSA and ECDSA wording)', () => {
    const other = ca('Kubernetes');
    expect(goVerify(issued(root), { roots: [other], intermediates: [], usage: 'client auth', at: AT })?.message).toBe(
      'x509: certificate signed by unknown authority (possibly because of "crypto/rsa: verification error" while trying to verify candidate authority certificate "Kubernetes")');
    const ec = ca('Kubernetes', { publicKeyAlgorithm: 'ECDSA', signatureKeyAlgorithm: 'ECDSA' });
    const ecOther = ca('Kubernetes', { publicKeyAlgorithm: 'ECDSA', signatureKeyAlgorithm: 'ECDSA' });
    expect(goVerify(issued(ec), { roots: [ecOther], intermediates: [], usage: 'client auth', at: AT })?.message).toContain('"x509: ECDSA verification failure"');
    expect(goVerify(issued(ec), { roots: [other], intermediates: [], usage: 'client auth', at: AT })?.message)
      .toContain('"x509: signature algorithm specifies an ECDSA public key, but have public key of type *rsa.PublicKey"');
  });

  test('a CA of another name: unknown authority without a hint', () => {
    expect(goVerify(issued(root), { roots: [ca('Other')], intermediates: [], usage: 'client auth', at: AT })?.message).toBe('x509: certificate signed by unknown authority');
  });
});

describe('extended key usages along the chain', () => {
  const usage = (ekus: string[], want: 'server auth' | 'client auth', issuer = root, intermediates: typeof root[] = []) =>
    goVerify(issued(issuer, { extKeyUsage: ekus }), { roots: [root], intermediates, usage: want, at: AT });

  test('server auth only, used as a client: incompatible key usage', () => {
    expect(usage([EKU.serverAuth], 'client auth')?.message).toBe('x509: certificate specifies an incompatible key usage');
    expect(usage([EKU.serverAuth], 'server auth')).toBeNull();
  });

  test('no EKU and "any" allow every usage; an intermediate\'s EKUs constrain the leaf', () => {
    expect(usage([], 'client auth')).toBeNull();
    expect(usage([EKU.any], 'client auth')).toBeNull();
    const serverOnly = issued(root, { cn: 'i', isCa: true, keyCertSign: true, extKeyUsage: [EKU.serverAuth] });
    expect(usage([EKU.clientAuth, EKU.serverAuth], 'client auth', serverOnly, [serverOnly])?.code).toBe('incompatible-usage');
  });
});
