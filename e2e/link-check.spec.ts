/**
 * Issue 12 in the browser: after a certificate is tampered with on one node and the node is
 * verified, the matrix shows the links that read it red, with the reason on hover and in the
 * details panel, the failing filter keeps only them, the node page lists them, and the overview
 * says how many links work; redistributing that node turns everything green again.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './harness.ts';
import { CLUSTER, JOB_TIMEOUT, openNode, screenshotEnd, setUpDistributedCluster } from './flows.ts';

const BROKEN = 'tls: failed to find any PEM data in certificate input';
const KUBELET_LINKS = ['kubelet@worker1>kube-apiserver@cp1', 'kubelet@worker1>kube-apiserver@cp2'];

async function openTalks(page: Page) {
  await page.getByTestId('nav-talks').click();
  await expect(page).toHaveURL(new RegExp(`/clusters/${CLUSTER}/talks`));
  await expect(page.getByTestId('links-summary')).toBeVisible();
}

test('a tampered file turns its links red with the reason; redistributing the node turns them green', async ({ page, server, fleet }, testInfo) => {
  test.setTimeout(300_000);
  await setUpDistributedCluster(page, server, fleet);

  // every node verified by the distribution: the overview says how many links work
  await page.getByTestId('nav-overview').click();
  await expect(page.getByTestId('overview-links')).toContainText('24 of 24 links work');
  await openTalks(page);
  await expect(page.getByTestId('links-summary')).toHaveText('24 of 24 links work');
  await expect(page.getByTestId('row-verdict').filter({ hasText: 'fail' })).toHaveCount(0);

  // someone replaces worker1's certificate on the node with something else
  fs.writeFileSync(path.join(fleet.node('worker1').remoteDir, 'worker1.pem'), 'replaced by hand\n');
  await openNode(page, 'worker1');
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(page.getByTestId('file-row-worker1.pem')).toHaveAttribute('data-state', 'foreign');
  // the node page lists its links: the four that read worker1.pem fail
  await expect(page.getByTestId('node-links-summary')).toHaveAttribute('data-fails', '4');
  const nodeRow = page.getByTestId('node-links-table').locator(`[data-link="${KUBELET_LINKS[0]}"]`);
  await expect(nodeRow).toHaveAttribute('data-verdict', 'fails');
  await expect(nodeRow.getByTestId('link-first-reason')).toHaveText(`worker1 · worker1.pem: ${BROKEN}`);

  // the matrix: the kubelet row is red, the links list the reason on hover and in the details panel
  await openTalks(page);
  await expect(page.getByTestId('links-summary')).toHaveText('20 of 24 links work');
  const kubeletCell = page.locator('[data-testid="matrix-cell"][data-server="kube-apiserver"]').filter({ hasText: 'worker1' });
  await expect(kubeletCell.getByTestId('row-verdict')).toHaveText('2 of 4 fail');
  await page.getByLabel(/Failing links only/).check({ force: true });
  const rows = page.getByTestId('links-table').getByTestId('link-row');
  await expect(rows).toHaveCount(4);
  for (const id of KUBELET_LINKS) await expect(page.getByTestId('links-table').locator(`[data-link="${id}"]`)).toHaveAttribute('data-verdict', 'fails');
  const row = page.getByTestId('links-table').locator(`[data-link="${KUBELET_LINKS[0]}"]`);
  await row.getByTestId('link-verdict').hover();
  await expect(page.getByRole('tooltip')).toContainText(`worker1 · worker1.pem: ${BROKEN}`);
  await row.getByTestId('link-open').click();
  const details = page.getByTestId('link-details');
  await expect(details).toHaveAttribute('data-verdict', 'fails');
  await expect(details.getByTestId('link-reason').first()).toHaveAttribute('data-code', 'bad-file');
  await expect(details).toContainText(BROKEN);
  await expect(details).toContainText('Client side: worker1 · worker1.pem');
  await expect(details).toContainText('kubelet on worker1 cannot load worker1.pem and worker1-key.pem from worker1');
  await screenshotEnd(page, testInfo, 'links-red');
  await page.getByRole('button', { name: 'Close the link details' }).click();
  // the API agrees with the page
  const api = await server.api<{ summary: { fails: number } }>('GET', `/clusters/${CLUSTER}/links?source=deployed`);
  expect(api.summary.fails).toBe(4);

  // redistribute worker1 only: green again everywhere
  await openNode(page, 'worker1');
  await page.getByRole('button', { name: 'Redistribute' }).click();
  await expect(page.getByTestId('job-progress')).toHaveAttribute('data-status', 'succeeded', { timeout: JOB_TIMEOUT });
  await expect(page.getByTestId('node-links-summary')).toHaveAttribute('data-fails', '0');
  await openTalks(page);
  await expect(page.getByTestId('links-summary')).toHaveText('24 of 24 links work');
  await expect(page.getByTestId('row-verdict').filter({ hasText: 'fail' })).toHaveCount(0);
  await page.getByLabel(/Failing links only/).check({ force: true });
  await expect(page.getByTestId('links-empty')).toBeVisible();
  await page.getByTestId('nav-overview').click();
  await expect(page.getByTestId('overview-links')).toContainText('24 of 24 links work');
  await screenshotEnd(page, testInfo, 'links-green');
});
