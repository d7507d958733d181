import { describe, expect, it } from 'vitest';
import { lifetimeUsed } from './expiry.ts';

const NOW = Date.parse('2025-06-01T00:00:00Z');
const inDays = (d: number) => new Date(NOW + d * 24 * 3600e3).toISOString();

describe('lifetimeUsed', () => {
  it('is the share of the validity already past, clamped', () => {
    expect(lifetimeUsed(inDays(-25), inDays(75), NOW)).toBeCloseTo(25);
    expect(lifetimeUsed(inDays(10), inDays(20), NOW)).toBe(0);
    expect(lifetimeUsed(inDays(-20), inDays(-10), NOW)).toBe(100);
  });
});
