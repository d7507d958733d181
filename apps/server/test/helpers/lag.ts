/** Measures how long the event loop was blocked while some work ran. */

/**
 * Longest gap (ms) between ticks of a 5 ms interval while `work` runs, minus nothing: a value
 * near 5 means the loop was free; a large value is the longest synchronous stretch.
 */
export async function maxEventLoopLag(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let max = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    max = Math.max(max, now - last);
    last = now;
  }, 5);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return max;
}
