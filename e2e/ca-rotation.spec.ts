/**
 * Issue 13 in the browser, against the real server and the sshd fleet: start a CA rotation on the
 * CA rotation page, see the phase ("CA rotation: prepared"), both CAs with fingerprints and
 * expiry, the nodes in step and the restart order, and run the phases to the end (prepare, switch,
 * finalize), each writing its files to the fleet with the password entered (the CA key rule). On
 * the fleet: ca.pem holds both CAs during the rotation (the signing one first) and the new CA
 * alone at the end.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { Fleet } from '../scripts/fleet.ts';
import { expect, FLEET_NODES, test } from './harness.ts';
import { CLUSTER, JOB_TIMEOUT, clickWithPassword, screenshotEnd, setUpDistributedCluster } from './flows.ts';

const pems = (text: string) => text.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n/g) ?? [];
const caPem = (fleet: Fleet, node: string) => pems(fs.readFileSync(path.join(fleet.node(node).remoteDir, 'ca.pem'), 'utf8'));

/** Clicks a phase's button, answers the password, waits for its job to succeed and every node to be in step. */
async function runPhase(page: Page, action: string, phase: string) {
  const job = page.getByTestId('running-job').getByTestId('job-progress');
  await clickWithPassword(page, page.getByTestId(`rotation-${action}`), () => expect(job).toHaveAttribute('data-status', /running|succeeded/, { timeout: JOB_TIMEOUT }));
  await expect(job).toHaveAttribute('data-status', 'succeeded', { timeout: JOB_TIMEOUT });
  await expect(job).toContainText('CA rotation');
  await expect(page.getByTestId('rotation-phase')).toHaveAttribute('data-phase', phase, { timeout: 20_000 });
  for (const node of FLEET_NODES) await expect(page.getByTestId(`rotation-node-${node}`)).toHaveAttribute('data-in-step', 'true');
}

test('start a CA rotation, see the phases and the restart order, run them to the end on the fleet', async ({ page, server, fleet }, testInfo) => {
  await setUpDistributedCluster(page, server, fleet);
  const oldCa = caPem(fleet, 'cp1');
  expect(oldCa).toHaveLength(1);

  await test.step('the page: no rotation, the CA with its fingerprint and expiry, the restart order', async () => {
    await page.getByTestId('nav-ca-rotation').click();
    await expect(page).toHaveURL(new RegExp(`/clusters/${CLUSTER}/ca-rotation`));
    await expect(page.getByTestId('rotation-phase')).toHaveAttribute('data-phase', 'none');
    await expect(page.getByTestId('rotation-ca-old-sha256')).toHaveText(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    await expect(page.getByTestId('rotation-ca-old-expiry')).toHaveAttribute('data-level', 'ok');
    const steps = page.getByTestId('restart-order').locator('[data-testid^="restart-step-"]');
    await expect(steps).toHaveCount(4);
    await expect(page.getByTestId('restart-step-1')).toContainText('etcd, one node at a time: cp1, cp2');
    await expect(page.getByTestId('restart-step-1')).toContainText('sudo systemctl restart etcd');
    await expect(page.getByTestId('restart-step-2')).toContainText('sudo systemctl restart kube-apiserver');
    await expect(page.getByTestId('restart-step-3')).toContainText('sudo systemctl restart kube-controller-manager kube-scheduler');
    await expect(page.getByTestId('restart-step-4')).toContainText('sudo systemctl restart kubelet kube-proxy');
  });

  await test.step('prepare: "CA rotation: prepared", both CAs, every node trusts both', async () => {
    await runPhase(page, 'prepare', 'prepared');
    await expect(page.getByTestId('rotation-phase')).toContainText('CA rotation: prepared');
    await expect(page.getByTestId('rotation-ca-old')).toHaveAttribute('data-signing', 'true');
    await expect(page.getByTestId('rotation-ca-new')).toHaveAttribute('data-signing', 'false');
    await expect(page.getByTestId('rotation-ca-new-expiry')).toHaveAttribute('data-level', 'ok');
    await expect(page.getByTestId('cross-signed-download')).toBeVisible();
    // every page of the cluster says so, from the summaries (?view=summary): the frame never loads the full rotation answer or expiry report
    const asked: string[] = [];
    const record = (r: { url(): string }) => {
      const u = new URL(r.url());
      if (/\/(ca-rotation|expiry)$/.test(u.pathname)) asked.push(`${u.pathname.replace(/.*\//, '')}${u.search}`);
    };
    await page.getByTestId('nav-nodes').click();
    await expect(page.getByTestId('rotation-banner')).toHaveAttribute('data-phase', 'prepared');
    page.on('request', record);
    await page.reload(); // the nodes page loaded afresh: what the frame asks for
    await expect(page.getByTestId('rotation-banner')).toHaveAttribute('data-phase', 'prepared');
    await expect.poll(() => asked.length).toBeGreaterThanOrEqual(2);
    await expect(page.getByTestId('rotation-banner')).toContainText(/(?:^|\D)(\d+) of \1 nodes in step/);
    page.off('request', record);
    expect(asked.filter((a) => !a.endsWith('?view=summary')), asked.join(' ')).toEqual([]);
    await page.getByTestId('rotation-banner-link').click();
    await expect(page).toHaveURL(new RegExp(`/clusters/${CLUSTER}/ca-rotation`));
    for (const node of FLEET_NODES) {
      const bundle = caPem(fleet, node);
      expect(bundle, node).toHaveLength(2);
      expect(bundle[0], node).toBe(oldCa[0]);
    }
  });

  const newCa = caPem(fleet, 'cp1')[1];
  await test.step('switch: the new CA signs, trust stays both', async () => {
    await runPhase(page, 'switch', 'switched');
    await expect(page.getByTestId('rotation-phase')).toContainText('CA rotation: switched');
    await expect(page.getByTestId('rotation-ca-new')).toHaveAttribute('data-signing', 'true');
    for (const node of FLEET_NODES) expect(caPem(fleet, node), node).toEqual([newCa, oldCa[0]]);
  });

  await test.step('finalize: the new CA alone', async () => {
    await runPhase(page, 'finalize', 'none');
    await expect(page.getByTestId('rotation-ca-new')).toHaveCount(0);
    await expect(page.getByTestId('rotation-history')).toContainText('finalized');
    await expect(page.getByTestId('rotation-banner')).toHaveCount(0);
    for (const node of FLEET_NODES) expect(caPem(fleet, node), node).toEqual([newCa]);
  });
  await screenshotEnd(page, testInfo, 'ca-rotation-finalized');
});
