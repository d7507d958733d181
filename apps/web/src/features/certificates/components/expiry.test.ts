import { describe, expect, it } from 'vitest';
import { expiryOf, lifetimeUsed } from './expiry.ts';

const NOW = Date.parse('2025-06-01T00:00:00Z');
const inDays = (d: number) => new Date(NOW + d * 24 * 3600e3).toISOString();

describe('expiryOf', () => {
  it('is green with a year left', () => {
    expect(expiryOf(inDays(364.5), NOW)).toMatchObject({ level: 'ok', color: 'green', label: 'in 364 days' });
  });
  it('is yellow under 90 days and orange under 30', () => {
    expect(expiryOf(inDays(89), NOW)).toMatchObject({ level: 'warning', color: 'yellow' });
    expect(expiryOf(inDays(90), NOW)).toMatchObject({ level: 'ok', color: 'green' });
    expect(expiryOf(inDays(29), NOW)).toMatchObject({ level: 'critical', color: 'orange' });
    expect(expiryOf(inDays(0.25), NOW).label).toBe('in 6 hours');
  });
  it('is red once expired', () => {
    expect(expiryOf(inDays(-3), NOW)).toMatchObject({ level: 'expired', color: 'red', label: 'expired 3 days ago' });
  });
  it('speaks in years for a CA', () => {
    expect(expiryOf(inDays(1825), NOW).label).toBe('in 5.0 years');
  });
});

describe('lifetimeUsed', () => {
  it('is the share of the validity already past, clamped', () => {
    expect(lifetimeUsed(inDays(-25), inDays(75), NOW)).toBeCloseTo(25);
    expect(lifetimeUsed(inDays(10), inDays(20), NOW)).toBe(0);
    expect(lifetimeUsed(inDays(-20), inDays(-10), NOW)).toBe(100);
  });
});
