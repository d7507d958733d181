import { describe, expect, it } from 'vitest';
import { formatDay, formatDuration, formatUtc, formatValidity, relativeTime } from './time.ts';

const NOW = Date.parse('2025-06-01T12:00:00Z');

describe('formatUtc', () => {
  it('prints UTC whatever the local zone', () => {
    expect(formatUtc('2025-06-01T14:05:09+02:00')).toBe('2025-06-01 12:05:09 UTC');
  });
  it('prints a dash for missing or bad dates', () => {
    expect(formatUtc(null)).toBe('—');
    expect(formatUtc('not a date')).toBe('—');
  });
});

describe('relativeTime', () => {
  it('says days ahead and minutes ago', () => {
    expect(relativeTime('2026-05-31T12:00:00Z', NOW)).toBe('in 364 days');
    expect(relativeTime('2025-06-01T11:57:00Z', NOW)).toBe('3 minutes ago');
  });
  it('switches to years past two years', () => {
    expect(relativeTime('2030-06-01T12:00:00Z', NOW)).toBe('in 5 years');
  });
});

describe('formatDuration', () => {
  it('formats seconds and minutes', () => {
    expect(formatDuration(1500)).toBe('1.5 s');
    expect(formatDuration(185_000)).toBe('3 min 5 s');
    expect(formatDuration(-1)).toBe('—');
  });
});

describe('formatValidity', () => {
  it('says years, days or hours, whichever divides', () => {
    expect(formatValidity(43800)).toBe('5 years');
    expect(formatValidity(8760)).toBe('1 year');
    expect(formatValidity(2160)).toBe('90 days');
    expect(formatValidity(24)).toBe('1 day');
    expect(formatValidity(36)).toBe('36 hours');
  });
});

describe('formatDay', () => {
  it('is the UTC day', () => {
    expect(formatDay('2025-12-31T23:30:00-02:00')).toBe('2026-01-01');
    expect(formatDay(null)).toBe('—');
  });
});
