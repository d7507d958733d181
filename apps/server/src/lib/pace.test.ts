/** The pacer yields to the event loop once its budget is spent, and not before (a test clock). */
import { describe, expect, test } from 'vitest';
import { pacer } from './pace.ts';

describe('pacer', () => {
  test('no yield inside the budget; after it, a yield that lets a waiting callback run first; then a new budget', async () => {
    let now = 1000;
    const pace = pacer(4, () => now);
    now += 3;
    expect(pace()).toBeUndefined();
    now += 2;
    let ran = false;
    setImmediate(() => (ran = true));
    const y = pace();
    expect(y).toBeInstanceOf(Promise);
    await y;
    expect(ran).toBe(true);
    now += 3;
    expect(pace()).toBeUndefined();
    now += 1;
    expect(pace()).toBeInstanceOf(Promise);
  });
});
