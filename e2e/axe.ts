/**
 * Accessibility checks with axe-core in the page: its axe.min.js is injected by Playwright
 * (@axe-core/playwright 4.14 needs Node 22), then axe.run() reports violations; the tests fail on
 * any of impact serious or critical, listed with the rule, its help and the elements it names.
 * kpki's Content-Security-Policy (script-src 'self') refuses an injected script tag, as it
 * should: specs that use this run with `test.use({ bypassCSP: true })`.
 */
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Violations of impact serious or critical on the page as it is now (`include`: a CSS selector to check only part of it). */
export async function seriousViolations(page: Page, include?: string): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_PATH });
  const violations = await page.evaluate(async (sel) => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: any[] }> } }).axe;
    const result = await axe.run(sel ? { include: [sel] } : document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n: any) => String(n.target)) }));
  }, include ?? null);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** "rule (impact): help; targets" per violation, for a readable failure message. */
export const describeViolations = (vs: AxeViolation[]) => vs.map((v) => `${v.id} (${v.impact}): ${v.help} -> ${v.targets.join(' | ')}`).join('\n');
