import { describe, expect, it } from 'vitest';
import { dialedAddress, setAside } from './dialed-address.ts';

describe('dialedAddress: what people paste into "valid for this address?"', () => {
  it.each([
    ['10.32.0.1', '10.32.0.1', null, null],
    ['10.32.0.1:6443', '10.32.0.1', 6443, null],
    ['https://192.168.56.20:6443', '192.168.56.20', 6443, 'https'],
    ['https://192.168.56.20:6443/healthz?verbose', '192.168.56.20', 6443, 'https'],
    ['[fd00::1]:6443', 'fd00::1', 6443, null],
    ['https://[fd00::1]/', 'fd00::1', null, 'https'],
    ['fd00::1', 'fd00::1', null, null],
    ['[fd00::1]', 'fd00::1', null, null],
    ['  kubernetes.default.svc:443 ', 'kubernetes.default.svc', 443, null],
    ['https://user@server.kubernetes.local', 'server.kubernetes.local', null, 'https'],
  ])('%s -> host %s', (pasted, host, port, scheme) => {
    expect(dialedAddress(pasted)).toEqual({ host, port, scheme });
  });
  it('says what was set aside', () => {
    expect(setAside(dialedAddress('10.32.0.1'))).toBe('');
    expect(setAside(dialedAddress('10.32.0.1:6443'))).toBe("port 6443 is not part of a certificate's check: only the host is");
    expect(setAside(dialedAddress('https://a.b:6443'))).toBe("the scheme https and port 6443 are not part of a certificate's check: only the host is");
  });
});
