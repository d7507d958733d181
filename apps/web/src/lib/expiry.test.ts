import { describe, expect, it } from 'vitest';
import { expiryLabel, expiryView } from './expiry.ts';

const NOW = Date.parse('2025-06-01T00:00:00Z');
const inDays = (d: number) => new Date(NOW + d * 24 * 3600e3).toISOString();

describe('expiryView', () => {
  it('is green with a year left', () => {
    expect(expiryView(inDays(364.5), undefined, NOW)).toEqual({ state: 'ok', color: 'green', label: 'in 364 days' });
  });
  it('is yellow under 30 days and orange under 7 (the defaults), as the server says', () => {
    expect(expiryView(inDays(29), undefined, NOW)).toMatchObject({ state: 'warning', color: 'yellow' });
    expect(expiryView(inDays(30), undefined, NOW)).toMatchObject({ state: 'ok', color: 'green' });
    expect(expiryView(inDays(6), undefined, NOW)).toMatchObject({ state: 'critical', color: 'orange' });
    expect(expiryView(inDays(0.25), undefined, NOW).label).toBe('in 6 hours');
  });
  it('follows the cluster\'s thresholds', () => {
    expect(expiryView(inDays(60), { warningDays: 90, criticalDays: 45 }, NOW).state).toBe('warning');
    expect(expiryView(inDays(40), { warningDays: 90, criticalDays: 45 }, NOW).state).toBe('critical');
  });
  it('is red once expired', () => {
    expect(expiryView(inDays(-3), undefined, NOW)).toEqual({ state: 'expired', color: 'red', label: 'expired 3 days ago' });
  });
  it('speaks in years for a CA', () => {
    expect(expiryLabel(inDays(1825), NOW)).toBe('in 5.0 years');
  });
});
