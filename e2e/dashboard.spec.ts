/**
 * Issue 15 in Chromium: a distribution that failed on a node (its sshd stopped) offers "Retry
 * failed nodes", which mends it once the sshd is started again; focus stays on the button that
 * started the job and the outcome is announced in a status region. The audit page, filtered to
 * one node, shows that node's bundle download with the CA-key flag, in words.
 */
import { expect, signIn, test } from './harness.ts';
import type { Page } from '@playwright/test';
import { CLUSTER, clickWithPassword, JOB_TIMEOUT, setUpIssuedByApi, waitJobApi } from './flows.ts';
import type { Server } from './harness.ts';

/** A node's page, by its address. */
async function gotoNode(page: Page, server: Server, node: string) {
  await page.goto(`${server.url}/clusters/${CLUSTER}/nodes/${node}`);
  await expect(page.getByTestId('ssh-form')).toBeVisible();
}

test('a failed node is retried after its sshd is started again', async ({ page, server, fleet }) => {
  await setUpIssuedByApi(server, fleet);
  // a re-issue: worker2 now holds earlier versions; then its sshd goes away
  const { jobId } = await server.api('POST', `/clusters/${CLUSTER}/issuances`);
  expect((await waitJobApi(server, jobId)).status).toBe('succeeded');
  await fleet.stopNode('worker2');

  await signIn(page, server);
  await gotoNode(page, server, 'worker2');
  await expect(page.getByTestId('node-page-state')).toHaveText('stale');
  const redistribute = page.getByTestId('redistribute-node');
  await redistribute.focus();
  await page.keyboard.press('Enter');
  const job = page.getByTestId('job-progress');
  await expect(job).toHaveAttribute('data-status', 'failed', { timeout: JOB_TIMEOUT });
  // the button that started the job keeps the focus; the outcome is read out by a status region
  await expect(redistribute).toBeFocused();
  const announcement = page.getByRole('status').filter({ hasText: 'Distribution failed on worker2' });
  await expect(announcement).toBeVisible();
  const retry = page.getByTestId('retry-failed');
  await expect(retry).toContainText('worker2 failed');

  await fleet.startNode('worker2');
  await retry.getByTestId('retry-failed-nodes').click();
  await expect(page.getByTestId('job-progress')).toHaveAttribute('data-status', 'succeeded', { timeout: JOB_TIMEOUT });
  await expect(page.getByRole('status').filter({ hasText: 'Distribution finished: 1 node written and verified.' })).toBeVisible();
  await expect(page.getByTestId('retry-failed')).toHaveCount(0);
  await expect(page.getByTestId('node-page-state')).toHaveText('in-sync');
  // the retry was a distribution to worker2 alone
  const { items } = await server.api('GET', `/jobs?cluster=${CLUSTER}&type=distribution`);
  expect(items[0]).toMatchObject({ status: 'succeeded', params: { nodes: ['worker2'] }, startedBy: 'admin' });
});

test('the audit page filtered to one node shows its bundle download with the CA-key flag', async ({ page, server, fleet }) => {
  await setUpIssuedByApi(server, fleet);
  await signIn(page, server);
  await gotoNode(page, server, 'cp1');
  await clickWithPassword(page, page.getByTestId('download-node-bundle'), () => page.waitForEvent('download'));

  await page.getByTestId('nav-audit').click();
  await expect(page.getByTestId('audit-table')).toBeVisible();
  await page.getByTestId('audit-filter-node').fill('cp1');
  await page.getByTestId('audit-filter-node').press('Enter');
  await expect(page).toHaveURL(/\/audit\?node=cp1$/);
  const bundle = page.locator('[data-testid^="audit-row-"][data-action="download-bundle"]');
  await expect(bundle).toHaveCount(1);
  await expect(bundle).toHaveAttribute('data-ca-key', 'true');
  await expect(bundle).toHaveAttribute('data-nodes', 'cp1');
  await expect(bundle.getByTestId('audit-what')).toHaveText('downloaded the bundle of cp1 (includes the CA key)');
  await expect(bundle.getByTestId('audit-ca-key')).toHaveText('CA key included');
  // every row shown is about cp1
  for (const nodes of await page.locator('[data-testid^="audit-row-"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-nodes')))) {
    expect(nodes?.split(' ')).toContain('cp1');
  }
  // the export link carries the filter
  await expect(page.getByTestId('audit-export-csv')).toHaveAttribute('href', '/api/v1/audit/export?format=csv&node=cp1');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export-csv').click()]);
  expect(csv.suggestedFilename()).toMatch(/^kpki-audit-.*\.csv$/);
});
