import { describe, expect, it } from 'vitest';
import { contrast, darken, readableOn } from './contrast.ts';

describe('contrast', () => {
  it('is 21 for black on white and 1 for equal colours', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#868e96', '#868e96')).toBe(1);
  });
  it("matches WCAG's figure for Mantine's grey 6 on white (the dimmed text that fails)", () => {
    expect(contrast('#868e96', '#ffffff')).toBeCloseTo(3.32, 2);
  });
});

describe('readableOn', () => {
  it('keeps a colour that reads already', () => {
    expect(readableOn('#364fc7', '#ffffff')).toBe('#364fc7');
  });
  it('darkens a light colour until it reads at 4.6:1, no further than needed', () => {
    const c = readableOn('#fab005', '#fff3bf');
    expect(contrast(c, '#fff3bf')).toBeGreaterThanOrEqual(4.6);
    const steps = Array.from({ length: 21 }, (_, i) => darken('#fab005', i * 0.05));
    const at = steps.indexOf(c);
    expect(at).toBeGreaterThan(0);
    expect(contrast(steps[at - 1], '#fff3bf')).toBeLessThan(4.6);
  });
});
