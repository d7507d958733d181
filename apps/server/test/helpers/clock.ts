/** A clock for tests that move time without sleeping: real time plus an offset that tests set. */
export interface TestClock {
  now: () => Date;
  /** moves the clock `ms` ahead (or back, when negative) */
  advance(ms: number): void;
  /** the offset from real time, ms (what `openssl x509 -checkend` must add, since openssl reads real time) */
  offsetMs(): number;
}

export const DAY_MS = 86_400_000;

export function testClock(): TestClock {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    advance: (ms) => void (offset += ms),
    offsetMs: () => offset,
  };
}
