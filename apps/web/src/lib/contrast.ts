/** WCAG contrast of colours, and the darkest-needed shade of a colour that reads at 4.5:1. Pure. */

const channel = (c: number) => {
  const s = c / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
};

function rgb(hex: string): [number, number, number] {
  const h = hex.replace('#', '');
  const full = h.length === 3 ? h.split('').map((x) => x + x).join('') : h;
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as [number, number, number];
}

const toHex = (cs: number[]) => '#' + cs.map((c) => Math.round(Math.max(0, Math.min(255, c))).toString(16).padStart(2, '0')).join('');

/** Relative luminance (WCAG 2), 0 black .. 1 white. */
export function luminance(hex: string): number {
  const [r, g, b] = rgb(hex).map(channel);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Contrast ratio of two colours, 1 .. 21. */
export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** `hex` mixed toward black by `amount` (0..1). */
export const darken = (hex: string, amount: number) => toHex(rgb(hex).map((c) => c * (1 - amount)));

/** WCAG AA for normal text is 4.5:1; a little margin absorbs rounding and anti-aliasing. */
export const MIN_CONTRAST = 4.6;

/** `hex` itself when it reads on `background` at `min`, else the least darkened version that does. */
export function readableOn(hex: string, background: string, min = MIN_CONTRAST): string {
  for (let step = 0; step <= 20; step++) {
    const c = darken(hex, step * 0.05);
    if (contrast(c, background) >= min) return c;
  }
  return '#000000';
}
