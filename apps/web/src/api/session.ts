/**
 * Session plumbing: the CSRF token of the cookie session (GET /api/v1/session's csrfToken),
 * sent on every write, and a flag raised when the API answers 401.
 */
import type { SessionInfo } from '@kpki/shared';

let tokenPromise: Promise<string | null> | null = null;
let unauthenticated = false;
const listeners = new Set<() => void>();

/** Reads the CSRF token once (cached); null when signed out or when the session could not be read. */
export function getCsrfToken(): Promise<string | null> {
  tokenPromise ??= fetch('/api/v1/session', { credentials: 'same-origin', headers: { accept: 'application/json' } })
    .then(async (res) => (res.ok ? ((await res.json()) as SessionInfo).csrfToken : null))
    .catch(() => null);
  return tokenPromise;
}

/** Forgets the cached token, e.g. after a CSRF_INVALID answer or a sign-in. */
export function resetCsrfToken(): void {
  tokenPromise = null;
}

/** Overrides the token (a sign-in form can hand over the one it received). */
export function setCsrfToken(token: string | null): void {
  tokenPromise = Promise.resolve(token);
}

export function markUnauthenticated(value = true): void {
  if (unauthenticated === value) return;
  unauthenticated = value;
  for (const listener of listeners) listener();
}

export function isUnauthenticated(): boolean {
  return unauthenticated;
}

export function subscribeUnauthenticated(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
