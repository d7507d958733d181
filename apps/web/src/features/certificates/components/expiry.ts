/** The share of a certificate's lifetime already used. Pure; `now` is injectable. */

/** Share of the lifetime already used, 0..100. */
export function lifetimeUsed(notBefore: string, notAfter: string, now: number = Date.now()): number {
  const start = new Date(notBefore).getTime();
  const end = new Date(notAfter).getTime();
  if (!(end > start)) return 100;
  return Math.min(100, Math.max(0, ((now - start) / (end - start)) * 100));
}
