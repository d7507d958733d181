/**
 * Expiry states (issue 10): how much time a certificate has left, and whether that is ok,
 * warning, critical or expired against the cluster's thresholds. Pure; the clock is a parameter.
 */
import Type from 'typebox';
import type { ClusterInput } from './api/cluster.ts';

export const ExpiryState = Type.Union([Type.Literal('ok'), Type.Literal('warning'), Type.Literal('critical'), Type.Literal('expired')]);
export type ExpiryState = Type.Static<typeof ExpiryState>;

/** Default of ClusterInput.expiryWarningDays. */
export const DEFAULT_EXPIRY_WARNING_DAYS = 30;
/** Default of ClusterInput.expiryCriticalDays. */
export const DEFAULT_EXPIRY_CRITICAL_DAYS = 7;

export const ExpiryThresholds = Type.Object({
  /** fewer days left than this: warning */
  warningDays: Type.Integer({ description: 'fewer days left than this: warning' }),
  /** fewer days left than this: critical */
  criticalDays: Type.Integer({ description: 'fewer days left than this: critical' }),
});
export type ExpiryThresholds = Type.Static<typeof ExpiryThresholds>;

/** The cluster's thresholds, with the defaults (30 and 7 days) for the ones it does not set. */
export function expiryThresholds(cluster: Pick<ClusterInput, 'expiryWarningDays' | 'expiryCriticalDays'>): ExpiryThresholds {
  return {
    warningDays: cluster.expiryWarningDays ?? DEFAULT_EXPIRY_WARNING_DAYS,
    criticalDays: cluster.expiryCriticalDays ?? DEFAULT_EXPIRY_CRITICAL_DAYS,
  };
}

/**
 * A CA's own thresholds (issue 13): earlier than a leaf's, because replacing a CA is a rotation
 * in phases with restarts between them, not a renewal. Warning under 180 days, critical under 30.
 */
export const CA_EXPIRY_THRESHOLDS: ExpiryThresholds = { warningDays: 180, criticalDays: 30 };

/** The thresholds a certificate is judged by: the CA's own for `ca`, the cluster's for every leaf. */
export function thresholdsFor(name: string, cluster: Pick<ClusterInput, 'expiryWarningDays' | 'expiryCriticalDays'>): ExpiryThresholds {
  return name === 'ca' ? CA_EXPIRY_THRESHOLDS : expiryThresholds(cluster);
}

/** A copy of the cluster with both expiry thresholds set (the defaults where it had none). */
export function withExpiryDefaults<T extends ClusterInput>(cluster: T): T {
  const t = expiryThresholds(cluster);
  return { ...cluster, expiryWarningDays: t.warningDays, expiryCriticalDays: t.criticalDays };
}

const DAY = 86_400;

/**
 * Seconds left until `notAfter` at `now` (negative once passed), and the state: expired when
 * none are left, critical with fewer than criticalDays, warning with fewer than warningDays,
 * else ok. The same moment `openssl x509 -checkend <seconds>` draws its line.
 */
export function expiryOf(notAfter: string | Date, now: Date, t: ExpiryThresholds): { residualSeconds: number; state: ExpiryState } {
  const end = typeof notAfter === 'string' ? Date.parse(notAfter) : notAfter.getTime();
  const residualSeconds = Math.floor((end - now.getTime()) / 1000);
  const state: ExpiryState = residualSeconds <= 0 ? 'expired'
    : residualSeconds < t.criticalDays * DAY ? 'critical'
      : residualSeconds < t.warningDays * DAY ? 'warning' : 'ok';
  return { residualSeconds, state };
}

const RANK: Record<ExpiryState, number> = { ok: 0, warning: 1, critical: 2, expired: 3 };

/** The worse of two states (expired > critical > warning > ok). */
export function worseExpiry(a: ExpiryState, b: ExpiryState): ExpiryState {
  return RANK[a] >= RANK[b] ? a : b;
}

/** Whether a state is warning or worse (what renewal takes by default, what the banner shows). */
export const needsAttention = (state: ExpiryState) => RANK[state] >= RANK.warning;

/**
 * Residual time as kubeadm prints it: "9y", "360d", "5h", "12m", "<invalid>" once expired.
 */
export function formatResidual(seconds: number): string {
  if (seconds <= 0) return '<invalid>';
  if (seconds >= 365 * DAY) return `${Math.floor(seconds / (365 * DAY))}y`;
  if (seconds >= DAY) return `${Math.floor(seconds / DAY)}d`;
  if (seconds >= 3600) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.max(1, Math.floor(seconds / 60))}m`;
}

/** "expires in 3 days", "expires in 5 hours", "expired 2 days ago". */
export function expiresIn(seconds: number): string {
  const abs = Math.abs(seconds);
  const [n, unit] = abs >= DAY ? [Math.floor(abs / DAY), 'day'] : abs >= 3600 ? [Math.floor(abs / 3600), 'hour'] : [Math.max(1, Math.floor(abs / 60)), 'minute'];
  const text = `${n} ${unit}${n === 1 ? '' : 's'}`;
  return seconds <= 0 ? `expired ${text} ago` : `expires in ${text}`;
}
