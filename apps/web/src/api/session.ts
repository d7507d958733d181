/**
 * Session plumbing for a sign-in that may come later (issue 5): the CSRF token sent on
 * every write, and a flag raised when the API answers 401. GET /api/v1/session is optional:
 * a 404 (or any failure) means "no session support", and writes go without a token.
 */
let tokenPromise: Promise<string | null> | null = null;
let unauthenticated = false;
const listeners = new Set<() => void>();

/** Reads the CSRF token once (cached); null when the server has no session endpoint. */
export function getCsrfToken(): Promise<string | null> {
  tokenPromise ??= fetch('/api/v1/session', { credentials: 'same-origin', headers: { accept: 'application/json' } })
    .then(async (res) => {
      if (!res.ok) return null;
      const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
      const token = body?.csrfToken ?? body?.token;
      return typeof token === 'string' ? token : null;
    })
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
