import { describe, expect, it } from 'vitest';
import type { ExpiryReport } from '@kpki/shared';
import { attentionOf } from './expiry-banner.tsx';

const cert = (name: string, state: ExpiryReport['certificates'][number]['state']) => ({
  name, kind: null, serial: '01', notAfter: '2030-01-01T00:00:00Z', residualSeconds: 1, state, notAfterCapped: false,
});
const report = (over: Partial<ExpiryReport>): ExpiryReport => ({
  now: '2029-12-01T00:00:00Z', thresholds: { warningDays: 30, criticalDays: 7 }, caThresholds: { warningDays: 180, criticalDays: 30 }, certificates: [], ca: null, deployed: [], soonest: null, ...over,
});

describe('attentionOf (the banner)', () => {
  it('counts everything in warning or worse and names the worst', () => {
    expect(attentionOf(report({ certificates: [cert('a', 'ok'), cert('b', 'warning'), cert('c', 'critical')] }))).toEqual({ count: 2, worst: 'critical' });
  });
  it('a node holding an older version that expired counts; the current deployed versions do not count twice', () => {
    const deployed = [
      { ...cert('w', 'expired'), node: 'worker1', file: 'w.pem', current: false, checkedAt: null, message: 'x' },
      { ...cert('a', 'warning'), node: 'worker1', file: 'a.pem', current: true, checkedAt: null, message: null },
    ];
    expect(attentionOf(report({ certificates: [cert('a', 'warning')], deployed }))).toEqual({ count: 2, worst: 'expired' });
  });
  it('nothing in warning: no banner', () => {
    expect(attentionOf(report({ certificates: [cert('a', 'ok')], ca: cert('ca', 'ok') }))).toEqual({ count: 0, worst: null });
  });
});
