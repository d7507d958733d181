/**
 * Mantine's theme for kpki, with text that reads: every colour used as text or behind white text
 * is darkened where needed so it reaches 4.5:1 (WCAG AA) on the light scheme (Mantine's own
 * shades 6 of green, orange, yellow, teal and its dimmed grey do not), checked by axe in e2e.
 */
import { Alert, Badge, createTheme, Modal, ScrollArea, Table, type CSSVariablesResolver } from '@mantine/core';
import { readableOn } from '../lib/contrast.ts';

export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: { light: 8, dark: 8 },
  defaultRadius: 'sm',
  fontFamilyMonospace: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
  components: {
    // node and certificate names are case-sensitive: never upper-case or clip them
    Badge: Badge.extend({ styles: { root: { textTransform: 'none', overflow: 'visible' }, label: { overflow: 'visible' } } }),
    // the dialog's close button has a name
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    // a box is a status, not an alert: only errors interrupt (ErrorAlert sets role="alert")
    Alert: Alert.extend({ defaultProps: { role: 'status' } }),
    // a region that scrolls can be reached and scrolled with the keyboard
    ScrollArea: ScrollArea.extend({ defaultProps: { viewportProps: { tabIndex: 0 } } }),
    TableScrollContainer: Table.ScrollContainer.extend({ defaultProps: { type: 'native', tabIndex: 0 } }),
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
