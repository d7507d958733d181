import { describe, expect, test } from 'vitest';
import { expiresIn, expiryOf, expiryThresholds, formatResidual, withExpiryDefaults, worseExpiry } from './expiry.ts';
import { hardWayPreset } from './preset.ts';

const DAY = 86_400_000;
const now = new Date('2030-01-01T00:00:00Z');
const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
const t = { warningDays: 30, criticalDays: 7 };

describe('expiry states', () => {
  test.each([
    [at(31 * DAY), 'ok'], [at(30 * DAY), 'ok'], [at(30 * DAY - 1000), 'warning'], [at(7 * DAY), 'warning'],
    [at(7 * DAY - 1000), 'critical'], [at(1000), 'critical'], [at(0), 'expired'], [at(-DAY), 'expired'],
  ])('notAfter %s is %s', (notAfter, state) => {
    expect(expiryOf(notAfter, now, t).state).toBe(state);
  });

  test('residual seconds', () => {
    expect(expiryOf(at(3 * DAY + 1500), now, t).residualSeconds).toBe(3 * 86_400 + 1);
    expect(expiryOf(at(-2 * DAY), now, t).residualSeconds).toBe(-2 * 86_400);
  });

  test('thresholds default to 30 and 7 days', () => {
    const { expiryWarningDays: _w, expiryCriticalDays: _c, ...bare } = hardWayPreset();
    expect(expiryThresholds({})).toEqual({ warningDays: 30, criticalDays: 7 });
    expect(withExpiryDefaults(bare)).toMatchObject({ expiryWarningDays: 30, expiryCriticalDays: 7 });
    expect(expiryThresholds({ expiryWarningDays: 90, expiryCriticalDays: 0 })).toEqual({ warningDays: 90, criticalDays: 0 });
  });

  test('texts', () => {
    expect([formatResidual(400 * 86_400), formatResidual(360 * 86_400), formatResidual(5 * 3600 + 10), formatResidual(0)]).toEqual(['1y', '360d', '5h', '<invalid>']);
    expect([expiresIn(3 * 86_400 + 5), expiresIn(3600), expiresIn(-2 * 86_400)]).toEqual(['expires in 3 days', 'expires in 1 hour', 'expired 2 days ago']);
    expect(worseExpiry('warning', 'critical')).toBe('critical');
    expect(worseExpiry('expired', 'ok')).toBe('expired');
  });
});
