/** "Expires in" of a certificate and its colour. Pure; `now` is injectable. */
import { daysUntil } from '../../../lib/time.ts';

export type ExpiryLevel = 'expired' | 'critical' | 'warning' | 'ok';

export interface Expiry {
  level: ExpiryLevel;
  color: 'red' | 'orange' | 'yellow' | 'green';
  /** "expired 3 days ago", "in 12 hours", "in 364 days", "in 4.9 years" */
  label: string;
  days: number;
}

/** Days left under which a certificate is critical (red-orange) or a warning (yellow). */
export const CRITICAL_DAYS = 30;
export const WARNING_DAYS = 90;

const COLORS: Record<ExpiryLevel, Expiry['color']> = { expired: 'red', critical: 'orange', warning: 'yellow', ok: 'green' };

function span(days: number): string {
  const d = Math.abs(days);
  if (d < 1) {
    const hours = Math.max(1, Math.round(d * 24));
    return `${hours} hour${hours === 1 ? '' : 's'}`;
  }
  if (d >= 730) return `${(d / 365).toFixed(1)} years`;
  const whole = Math.floor(d);
  return `${whole} day${whole === 1 ? '' : 's'}`;
}

export function expiryOf(notAfter: string, now: number = Date.now()): Expiry {
  const days = daysUntil(notAfter, now);
  const level: ExpiryLevel = days <= 0 ? 'expired' : days < CRITICAL_DAYS ? 'critical' : days < WARNING_DAYS ? 'warning' : 'ok';
  const label = level === 'expired' ? `expired ${span(days)} ago` : `in ${span(days)}`;
  return { level, color: COLORS[level], label, days };
}

/** Share of the lifetime already used, 0..100. */
export function lifetimeUsed(notBefore: string, notAfter: string, now: number = Date.now()): number {
  const start = new Date(notBefore).getTime();
  const end = new Date(notAfter).getTime();
  if (!(end > start)) return 100;
  return Math.min(100, Math.max(0, ((now - start) / (end - start)) * 100));
}
