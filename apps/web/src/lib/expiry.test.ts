import { describe, expect, it } from 'vitest';
import { expiryLabel, expiryView } from './expiry.ts';
import { relativeTime } from './time.ts';

const NOW = Date.parse('2025-06-01T00:00:00Z');
const inDays = (d: number) => new Date(NOW + d * 24 * 3600e3).toISOString();

describe('expiryView', () => {
  it('is green with a year left', () => {
    expect(expiryView(inDays(364.4), undefined, NOW)).toEqual({ state: 'ok', color: 'green', label: 'in 364 days' });
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
    expect(expiryLabel(inDays(1825), NOW)).toBe('in 5 years');
  });
  it('one rounding everywhere: the label is the relative phrase of lib/time.ts', () => {
    for (const d of [0.2, 0.51, 1.49, 1.5, 29.5, 364.5, 730.4, 1824.9]) expect(expiryLabel(inDays(d), NOW), String(d)).toBe(relativeTime(inDays(d), NOW));
  });
});
