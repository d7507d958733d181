/**
 * Issue 15, narrow windows: at 390x844 (a phone) the clusters, certificates, certificate, node and
 * overview pages are screenshotted; tables turn into cards that show the name with its state or
 * expiry first, and no page scrolls sideways. Fingerprints and copy buttons keep their shape.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, signIn, test } from './harness.ts';
import { CLUSTER, screenshotEnd, setUpIssuedByApi } from './flows.ts';

const WIDTH = 390;
test.use({ viewport: { width: WIDTH, height: 844 } });

/** Nothing is wider than the window: the page never scrolls sideways. */
async function expectNoSidewaysScroll(page: Page, view: string) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `${view} is ${width} px wide`).toBeLessThanOrEqual(WIDTH);
}

/** The element is on screen, inside the window's width. */
async function expectInside(el: Locator, what: string) {
  await expect(el, what).toBeVisible();
  const box = (await el.boundingBox())!;
  expect(box.x, what).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, what).toBeLessThanOrEqual(WIDTH);
}

test('at 390x844 tables are cards with state and expiry first, and nothing scrolls sideways', async ({ page, server, fleet }, testInfo) => {
  await setUpIssuedByApi(server, fleet);
  await signIn(page, server);

  // clusters: name, CA, CA expiry
  await page.goto(`${server.url}/`);
  const clusters = page.getByTestId('cluster-list');
  await expect(clusters).toHaveAttribute('data-layout', 'cards');
  const cluster = page.getByTestId(`cluster-row-${CLUSTER}`);
  await expectInside(cluster.getByTestId('cluster-ca-expiry'), 'the CA expiry on the cluster card');
  await expectNoSidewaysScroll(page, 'clusters');
  await screenshotEnd(page, testInfo, 'narrow-clusters');

  // certificates: name, expiry, status first
  await page.goto(`${server.url}/clusters/${CLUSTER}/certificates`);
  await expect(page.getByTestId('certificates-table')).toHaveAttribute('data-layout', 'cards');
  const kubernetes = page.getByTestId('cert-row-kubernetes');
  await expectInside(kubernetes.getByTestId('expiry'), 'the expiry on the kubernetes card');
  await expectInside(kubernetes.getByTestId('expiry-date'), 'the expiry date on the kubernetes card');
  await expectNoSidewaysScroll(page, 'certificates');
  await screenshotEnd(page, testInfo, 'narrow-certificates');

  // a certificate: its fingerprint wraps as a block, never one character a line; copy buttons whole
  await page.goto(`${server.url}/clusters/${CLUSTER}/certificates/kubernetes`);
  await expect(page.getByTestId('certificate-detail')).toBeVisible();
  await expectNoSidewaysScroll(page, 'certificate');
  for (const copy of await page.getByRole('button', { name: /^Copy/ }).all()) {
    const box = await copy.boundingBox();
    if (!box) continue; // in a closed section
    expect(box.width, 'a copy button keeps its width').toBeGreaterThanOrEqual(20);
    expect(box.x + box.width, `${await copy.getAttribute('aria-label')} is inside the window`).toBeLessThanOrEqual(WIDTH);
  }
  const fingerprint = page.getByTestId('fingerprint-sha256').first();
  if (await fingerprint.count()) {
    const box = (await fingerprint.boundingBox())!;
    expect(box.width, 'the fingerprint is a block, not a column of characters').toBeGreaterThan(150);
  }
  await screenshotEnd(page, testInfo, 'narrow-certificate');

  // a node: its files with their state first
  await page.goto(`${server.url}/clusters/${CLUSTER}/nodes/worker1`);
  await expect(page.getByTestId('node-files-table')).toHaveAttribute('data-layout', 'cards');
  const file = page.getByTestId('file-row-worker1.pem');
  await expectInside(file.getByTestId('file-state'), 'the state on the worker1.pem card');
  await expect(file.getByTestId('file-state')).toHaveText('in-sync');
  await expectNoSidewaysScroll(page, 'node');
  await screenshotEnd(page, testInfo, 'narrow-node');

  // the overview: the dashboard and the vertical stepper
  await page.goto(`${server.url}/clusters/${CLUSTER}`);
  await expect(page.getByTestId('cluster-dashboard')).toBeVisible();
  await expect(page.getByTestId('issuance-stepper').locator('[data-orientation="vertical"]').first()).toBeAttached();
  await expectNoSidewaysScroll(page, 'overview');
  await screenshotEnd(page, testInfo, 'narrow-overview');
});
