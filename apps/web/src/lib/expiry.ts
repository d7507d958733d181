/**
 * How the dashboard shows an expiry: the state (the cluster's thresholds, the same rule as the
 * server: @kpki/shared expiryOf), its colour and "in 364 days" / "expired 3 days ago". Pure;
 * `now` is injectable.
 */
import { DEFAULT_EXPIRY_CRITICAL_DAYS, DEFAULT_EXPIRY_WARNING_DAYS, expiryOf, type ExpiryState, type ExpiryThresholds } from '@kpki/shared';
import { daysUntil, relativeTime } from './time.ts';

export type { ExpiryState };

export const EXPIRY_COLORS: Record<ExpiryState, 'green' | 'yellow' | 'orange' | 'red'> = { ok: 'green', warning: 'yellow', critical: 'orange', expired: 'red' };

export const DEFAULT_THRESHOLDS: ExpiryThresholds = { warningDays: DEFAULT_EXPIRY_WARNING_DAYS, criticalDays: DEFAULT_EXPIRY_CRITICAL_DAYS };

/**
 * "in 364 days", "in 6 hours", "in 5 years", "expired 3 days ago": lib/time.ts relativeTime, the
 * one rounding of the UI (issue 15), so a badge and a sentence never disagree by a day.
 */
export function expiryLabel(notAfter: string, now: number = Date.now()): string {
  return daysUntil(notAfter, now) <= 0 ? `expired ${relativeTime(notAfter, now)}` : relativeTime(notAfter, now);
}

export interface ExpiryView {
  state: ExpiryState;
  color: (typeof EXPIRY_COLORS)[ExpiryState];
  label: string;
}

/** The state against `thresholds` (the defaults, 30 and 7 days, unless given), colour and label. */
export function expiryView(notAfter: string, thresholds: ExpiryThresholds = DEFAULT_THRESHOLDS, now: number = Date.now()): ExpiryView {
  const { state } = expiryOf(notAfter, new Date(now), thresholds);
  return { state, color: EXPIRY_COLORS[state], label: expiryLabel(notAfter, now) };
}
