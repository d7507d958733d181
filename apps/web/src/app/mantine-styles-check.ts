/**
 * Which Mantine stylesheets a build lacks: every @mantine/core component the bundle holds reads its
 * class names from its CSS module (esm/.../<Name>.module.mjs), whose rules are in
 * @mantine/core/styles/<Name>.css; mantine-styles.ts imports them one by one, so a component used
 * for the first time without its stylesheet would render unstyled. Pure: vite.config.ts feeds it
 * the bundle's module ids and fails the build on an answer that is not empty.
 */

const CSS_MODULE = /[\\/]@mantine[\\/]core[\\/]esm[\\/](?:.*[\\/])?([A-Za-z]+)\.module\.mjs$/;
const STYLESHEET = /[\\/]@mantine[\\/]core[\\/]styles[\\/]([A-Za-z-]+)\.css$/;
const ALL_STYLES = /[\\/]@mantine[\\/]core[\\/]styles\.css$/;

/**
 * The stylesheet names (Button, Input...) that `bundled` (ids of the modules rendered into the
 * output) needs and `imported` (ids of every module of the build) does not hold, sorted;
 * `hasStylesheet` says whether @mantine/core ships a stylesheet of that name.
 */
export function missingMantineStyles(bundled: Iterable<string>, imported: Iterable<string>, hasStylesheet: (name: string) => boolean): string[] {
  const have = new Set<string>();
  for (const id of imported) {
    if (ALL_STYLES.test(id)) return [];
    const m = STYLESHEET.exec(id);
    if (m) have.add(m[1]);
  }
  const missing = new Set<string>();
  for (const id of bundled) {
    const m = CSS_MODULE.exec(id);
    if (m && !have.has(m[1]) && hasStylesheet(m[1])) missing.add(m[1]);
  }
  return [...missing].sort();
}
