/**
 * Issue 15, accessibility: axe-core (its axe.min.js injected into the page) on the sign-in,
 * clusters, overview, certificate, nodes, node, CA rotation, import, audit and dialog views
 * reports no violation of impact serious or critical; every page has its own title and one h1.
 */
import type { Page } from '@playwright/test';
import { describeViolations, seriousViolations } from './axe.ts';
import { expect, signIn, test } from './harness.ts';
import { CLUSTER, setUpIssuedByApi } from './flows.ts';

test.use({ bypassCSP: true });

async function expectAccessible(page: Page, view: string, include?: string) {
  await page.waitForLoadState('networkidle');
  const violations = await seriousViolations(page, include);
  expect(violations, `${view}:\n${describeViolations(violations)}`).toEqual([]);
}

/** One h1, heading levels that never skip, and a title of the page's own. */
async function expectStructure(page: Page, view: string, title: RegExp) {
  await expect(page, view).toHaveTitle(title);
  await expect(page.locator('h1'), view).toHaveCount(1);
  const levels = await page.locator('h1, h2, h3, h4, h5, h6').evaluateAll((hs) => hs.filter((h) => (h as HTMLElement).offsetParent !== null).map((h) => Number(h.tagName[1])));
  for (let i = 1; i < levels.length; i++) expect(levels[i] - levels[i - 1], `${view}: heading levels ${levels.join(',')}`).toBeLessThanOrEqual(1);
}

test('every view passes axe without serious or critical violations, with its own title and one h1', async ({ page, server, fleet }) => {
  await setUpIssuedByApi(server, fleet);

  await page.goto(`${server.url}/sign-in`);
  await expect(page.getByTestId('sign-in-username')).toBeVisible();
  await expectStructure(page, 'sign-in', /^Sign in · kpki$/);
  await expectAccessible(page, 'sign-in');

  await signIn(page, server);
  const views: Array<[string, string, RegExp, string]> = [
    ['clusters', '/', /^Clusters · kpki$/, 'cluster-list'],
    ['overview', `/clusters/${CLUSTER}`, new RegExp(`^${CLUSTER} · kpki$`), 'cluster-dashboard'],
    ['certificate', `/clusters/${CLUSTER}/certificates/kubernetes`, new RegExp(`^kubernetes · Certificates · ${CLUSTER} · kpki$`), 'certificate-detail'],
    ['nodes', `/clusters/${CLUSTER}/nodes`, new RegExp(`^Nodes · ${CLUSTER} · kpki$`), 'nodes-table'],
    ['certificates', `/clusters/${CLUSTER}/certificates`, new RegExp(`^Certificates · ${CLUSTER} · kpki$`), 'certificates-table'],
    ['jobs', `/clusters/${CLUSTER}/jobs`, new RegExp(`^Jobs · ${CLUSTER} · kpki$`), 'jobs-table'],
    ['node', `/clusters/${CLUSTER}/nodes/worker1`, new RegExp(`^worker1 · Nodes · ${CLUSTER} · kpki$`), 'node-files-table'],
    ['ca-rotation', `/clusters/${CLUSTER}/ca-rotation`, new RegExp(`^CA rotation · ${CLUSTER} · kpki$`), 'restart-order'],
    ['import', `/clusters/${CLUSTER}/import`, new RegExp(`^Adopt an existing PKI · ${CLUSTER} · kpki$`), 'import-upload'],
    ['audit', '/audit', /^Audit log · kpki$/, 'audit-table'],
    // searched and filtered by result, with the server's counts
    ['audit searched', '/audit?q=sign-in&result=ok', /^Audit log · kpki$/, 'audit-count-ok'],
  ];
  for (const [view, url, title, ready] of views) {
    await page.goto(`${server.url}${url}`);
    await expect(page.getByTestId(ready).first()).toBeVisible();
    if (view === 'audit searched') {
      // the sign-ins that went through: the ok count pressed, every row an ok sign-in
      await expect(page.getByTestId('audit-count-ok')).toHaveAttribute('aria-pressed', 'true');
      await expect(page.getByRole('searchbox', { name: 'Search the audit log' })).toHaveValue('sign-in');
      const outcomes = await page.locator('[data-testid^="audit-row-"]').evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-action')} ${r.getAttribute('data-outcome')}`));
      expect(outcomes.length).toBeGreaterThan(0);
      expect(new Set(outcomes)).toEqual(new Set(['sign-in ok']));
    }
    await expectStructure(page, view, title);
    await expectAccessible(page, view);
  }

  // the keyboard's first stop is "Skip to content", which moves focus to the page's main region
  await page.goto(`${server.url}/clusters/${CLUSTER}/nodes`);
  await expect(page.getByTestId('nodes-table')).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('skip-link')).toBeFocused();
  await expect(page.getByTestId('skip-link')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.locator('#main-content')).toBeFocused();

  // a dialog: the confirmation before re-issuing
  await page.goto(`${server.url}/clusters/${CLUSTER}`);
  await page.getByTestId('review-again').click();
  await page.getByTestId('issue-certificates').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeVisible();
  await expectAccessible(page, 're-issue dialog');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});
