/**
 * Per-username sign-in backoff (issue 8, item 5). The per-address limit (10 a minute) does not slow
 * a guesser with many addresses, so failed sign-ins are also counted per user name (as typed,
 * case-insensitively, whether the user exists or not): from the 5th failure on, every further attempt
 * for that name waits, 1 s doubling up to 5 minutes, and attempts inside the wait are refused
 * without checking the password. Successful sign-ins do not count. The real user is not locked
 * out: a browser that signed in as that user in the last 30 days holds a "known device" cookie
 * (HMAC of the user id, the time and the password hash, under a key derived from the master key)
 * and is not held by the backoff; anyone else is slowed, never locked for more than 5 minutes.
 */
import crypto from 'node:crypto';

export const BACKOFF = {
  /** failed sign-ins a name may have before its attempts wait */
  freeFailures: 5,
  firstWaitMs: 1000,
  maxWaitMs: 5 * 60_000,
  /** a name's failures are forgotten after this long without a failure */
  forgetMs: 60 * 60_000,
  /** names remembered at most (the oldest are forgotten first) */
  maxNames: 10_000,
};

interface Failures {
  count: number;
  last: number;
  /** no attempt for the name is checked before this time (ms) */
  nextAt: number;
}

export class SignInBackoff {
  private names = new Map<string, Failures>();

  constructor(private readonly now: () => Date) {}

  /** Milliseconds before an attempt for `username` is checked; 0: now. */
  waitFor(username: string): number {
    const f = this.current(username.toLowerCase());
    return f ? Math.max(0, f.nextAt - this.now().getTime()) : 0;
  }

  /** Counts a failed sign-in for `username`; returns the wait before the next attempt (ms). */
  failed(username: string): number {
    const key = username.toLowerCase();
    const t = this.now().getTime();
    const f = this.current(key) ?? { count: 0, last: t, nextAt: 0 };
    f.count++;
    f.last = t;
    const over = f.count - BACKOFF.freeFailures; // the 5th failure starts the wait: 1 s, then 2 s, 4 s, ...
    f.nextAt = over >= 0 ? t + Math.min(BACKOFF.maxWaitMs, BACKOFF.firstWaitMs * 2 ** Math.min(over, 30)) : 0;
    this.names.delete(key); // re-insert: the map's order is the order of last failure
    this.names.set(key, f);
    if (this.names.size > BACKOFF.maxNames) this.names.delete(this.names.keys().next().value!);
    return Math.max(0, f.nextAt - t);
  }

  private current(key: string): Failures | null {
    const f = this.names.get(key);
    if (f && this.now().getTime() - f.last > BACKOFF.forgetMs) {
      this.names.delete(key);
      return null;
    }
    return f ?? null;
  }
}

/** How long a browser stays a known device of the user it signed in as. */
export const KNOWN_DEVICE_MS = 30 * 86_400_000;

const deviceKey = (masterKey: Buffer) => Buffer.from(crypto.hkdfSync('sha256', masterKey, Buffer.alloc(0), 'kpki known-device cookie', 32));
const mac = (masterKey: Buffer, userId: number, at: number, passwordHash: string) =>
  crypto.createHmac('sha256', deviceKey(masterKey)).update(`${userId}.${at}.${passwordHash}`).digest('base64url');

/** The value of the known-device cookie for a user who just signed in (a password change invalidates it). */
export function knownDeviceValue(masterKey: Buffer, user: { id: number; passwordHash: string }, now: Date): string {
  const at = now.getTime();
  return `${user.id}.${at}.${mac(masterKey, user.id, at, user.passwordHash)}`;
}

/** Whether a known-device cookie value proves that this browser signed in as `user` in the last 30 days (with its current password). */
export function isKnownDevice(masterKey: Buffer, value: string | undefined, user: { id: number; passwordHash: string }, now: Date): boolean {
  const m = /^(\d+)\.(\d+)\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
  if (!m || Number(m[1]) !== user.id) return false;
  const at = Number(m[2]);
  if (at > now.getTime() || now.getTime() - at > KNOWN_DEVICE_MS) return false;
  const expected = Buffer.from(mac(masterKey, user.id, at, user.passwordHash));
  const given = Buffer.from(m[3]);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}
