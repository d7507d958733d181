import { describe, expect, it } from 'vitest';
import { missingMantineStyles } from './mantine-styles-check.ts';

const pnpm = '/w/node_modules/.pnpm/@mantine+core@9.8.1_x/node_modules/@mantine/core';
const button = `${pnpm}/esm/components/Button/Button.module.mjs`;
const indicator = `${pnpm}/esm/components/Checkbox/CheckboxIndicator/CheckboxIndicator.module.mjs`;
const inlineInput = `${pnpm}/esm/utils/InlineInput/InlineInput.module.mjs`;
const sheet = (name: string) => `${pnpm}/styles/${name}.css`;
const shipped = (name: string) => name !== 'NoSheet';

describe('missingMantineStyles', () => {
  it('names each bundled component whose stylesheet is not imported, nested and utils components included', () => {
    const bundled = [button, indicator, inlineInput, `${pnpm}/esm/components/Button/Button.mjs`, '/w/apps/web/src/main.tsx'];
    expect(missingMantineStyles(bundled, [sheet('baseline'), sheet('Button')], shipped)).toEqual(['CheckboxIndicator', 'InlineInput']);
    expect(missingMantineStyles(bundled, [sheet('Button'), sheet('CheckboxIndicator'), sheet('InlineInput')], shipped)).toEqual([]);
  });

  it('nothing is missing when the whole styles.css is imported; a module without a shipped stylesheet needs none', () => {
    expect(missingMantineStyles([button], [`${pnpm}/styles.css`], shipped)).toEqual([]);
    expect(missingMantineStyles([`${pnpm}/esm/components/NoSheet/NoSheet.module.mjs`], [], shipped)).toEqual([]);
  });

  it('the names of the modules of the build are not the stylesheets of another package', () => {
    expect(missingMantineStyles([button], ['/w/node_modules/@mantine/notifications/styles.css', '/w/src/Button.css'], shipped)).toEqual(['Button']);
  });
});
