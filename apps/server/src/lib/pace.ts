/**
 * Long loops on the server's event loop (the link check of a 500-worker cluster) stay out of
 * the way of other requests: `await pace()` in the loop yields to the event loop
 * (setImmediate) once `budgetMs` of work has passed since the last yield, and costs nothing
 * otherwise. A budget in time, not in items, holds whatever one item costs (a certificate parse
 * is a millisecond, a map entry a microsecond) and yields more often on a busy machine.
 */
import { performance } from 'node:perf_hooks';

export type Pace = () => Promise<void> | undefined;

/** A pacer for one piece of work (share it between the loops of that work); `clock` for tests. */
export function pacer(budgetMs = 4, clock: () => number = () => performance.now()): Pace {
  let since = clock();
  return () => {
    if (clock() - since < budgetMs) return undefined;
    return new Promise<void>((resolve) => setImmediate(() => {
      since = clock();
      resolve();
    }));
  };
}
