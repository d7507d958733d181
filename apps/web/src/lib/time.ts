/**
 * Time as people read it: dates in UTC ("2025-11-29 14:20 UTC", or the day alone), one relative
 * phrase with one rounding everywhere ("in 365 days", "3 minutes ago": the nearest whole unit),
 * validities in years or days ("5 years"). Sentences never carry raw ISO strings. Pure; `now` is
 * injectable.
 */

const pad = (n: number) => String(n).padStart(2, '0');

/** "2025-11-29 14:20:05 UTC"; "—" for a missing or unparsable date. */
export function formatUtc(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())} UTC`;
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600e3],
  ['day', 24 * 3600e3],
  ['hour', 3600e3],
  ['minute', 60e3],
  ['second', 1e3],
];
const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/**
 * "in 365 days", "3 minutes ago", "now": the nearest whole unit; years only past two years
 * (certificate lifetimes read best in days). The one relative phrase of the UI (expiries too).
 */
export function relativeTime(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return '';
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return '';
  const diff = t - now;
  const abs = Math.abs(diff);
  for (const [unit, ms] of UNITS) {
    const threshold = unit === 'year' ? 2 * ms : ms;
    if (abs >= threshold || unit === 'second') return rtf.format(Math.round(diff / ms), unit);
  }
  return '';
}

/** "1.2 s", "3 min 4 s", "2 h 5 min" from milliseconds. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60e3) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** Days (fractional) from `now` to `iso`; negative when past. */
export function daysUntil(iso: string, now: number = Date.now()): number {
  return (new Date(iso).getTime() - now) / (24 * 3600e3);
}

/** "2025-11-29" (UTC): the day alone, for expiry dates shown beside "in N days". */
export function formatDay(iso: string | null | undefined): string {
  const full = formatUtc(iso);
  return full === '—' ? full : full.slice(0, 10);
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** A validity given in hours as people say it: "5 years", "1 year", "90 days", "36 hours". */
export function formatValidity(hours: number): string {
  if (!Number.isFinite(hours) || hours <= 0) return '—';
  if (hours % 8760 === 0) return plural(hours / 8760, 'year');
  if (hours % 24 === 0) return plural(hours / 24, 'day');
  return plural(hours, 'hour');
}
