/**
 * Mantine's theme for kpki, with text that reads: every colour used as text or behind white text
 * is darkened where needed so it reaches 4.5:1 (WCAG AA) on the light scheme (Mantine's own
 * shades 6 of green, orange, yellow, teal and its dimmed grey do not), checked by axe in e2e.
 * The components' settings are written as what Component.extend() returns (it returns its argument),
 * typed by type imports: importing Modal, ScrollArea or Table here would put them in every page's
 * first chunk.
 */
import { createTheme, type CSSVariablesResolver } from '@mantine/core';
import type { AlertFactory, BadgeFactory, ExtendComponent, ModalFactory, ScrollAreaFactory, TableScrollContainerProps } from '@mantine/core';
import { readableOn } from '../lib/contrast.ts';

export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: { light: 8, dark: 8 },
  defaultRadius: 'sm',
  fontFamilyMonospace: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
  components: {
    // node and certificate names are case-sensitive: never upper-case or clip them
    Badge: { styles: { root: { textTransform: 'none', overflow: 'visible' }, label: { overflow: 'visible' } } } satisfies ExtendComponent<BadgeFactory>,
    // the dialog's close button has a name
    Modal: { defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } } satisfies ExtendComponent<ModalFactory>,
    // a box is a status, not an alert: only errors interrupt (ErrorAlert sets role="alert")
    Alert: { defaultProps: { role: 'status' } } satisfies ExtendComponent<AlertFactory>,
    // a region that scrolls can be reached and scrolled with the keyboard
    ScrollArea: { defaultProps: { viewportProps: { tabIndex: 0 } } } satisfies ExtendComponent<ScrollAreaFactory>,
    TableScrollContainer: { defaultProps: { type: 'native', tabIndex: 0 } satisfies Partial<TableScrollContainerProps> },
  },
});

const WHITE = '#ffffff';

/** Light-scheme colour variables that read: text and outline on white, white on filled, light-variant text on its tint. */
export const cssVariablesResolver: CSSVariablesResolver = (t) => {
  const light: Record<string, string> = { '--mantine-color-dimmed': t.colors.gray[7] };
  for (const [name, shades] of Object.entries(t.colors)) {
    const base = shades[8];
    const text = readableOn(base, WHITE);
    const filled = readableOn(base, WHITE);
    light[`--mantine-color-${name}-text`] = text;
    light[`--mantine-color-${name}-outline`] = text;
    light[`--mantine-color-${name}-filled`] = filled;
    light[`--mantine-color-${name}-filled-hover`] = readableOn(filled, WHITE, 5.5);
    light[`--mantine-color-${name}-light-color`] = readableOn(shades[9], shades[1]);
  }
  light['--mantine-color-anchor'] = readableOn(t.colors[t.primaryColor][8], WHITE);
  light['--mantine-color-error'] = readableOn(t.colors.red[8], WHITE);
  return { variables: {}, light, dark: {} };
};
