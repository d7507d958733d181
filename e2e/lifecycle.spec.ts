/**
 * Issue 10 in the browser, against the real server and the sshd fleet: (1) change the load
 * balancer's address in the topology editor, review the diff, apply and distribute by clicking:
 * only the API server certificate is re-issued and written to the control-plane nodes; the
 * workers receive only their two kubeconfigs (they name the load balancer), their certificates
 * and keys keep their mtimes; (2) renew one certificate on the expiry page: its node goes
 * stale (without anyone looking at the node), and redistributing brings it back in sync.
 */
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Fleet } from '../scripts/fleet.ts';
import { expect, test } from './harness.ts';
import { CLUSTER, JOB_TIMEOUT, openNode, openNodes, screenshotEnd, setUpDistributedCluster } from './flows.ts';

/** file -> mtime (ms) of every file in a fleet node's folder. */
const mtimes = (fleet: Fleet, node: string) => {
  const dir = fleet.node(node).remoteDir;
  return Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, fs.statSync(path.join(dir, f)).mtimeMs]));
};
const PEM = (files: Record<string, number>) => Object.fromEntries(Object.entries(files).filter(([f]) => f.endsWith('.pem')));
const held = (fleet: Fleet, node: string, file: string) => new X509Certificate(fs.readFileSync(path.join(fleet.node(node).remoteDir, file)));

test('change the load-balancer address, review the diff, apply and distribute: one certificate to two nodes, the workers\' kubeconfigs', async ({ page, server, fleet }, testInfo) => {
  await setUpDistributedCluster(page, server, fleet);
  const workers = { worker1: PEM(mtimes(fleet, 'worker1')), worker2: PEM(mtimes(fleet, 'worker2')) };
  const before = held(fleet, 'cp1', 'kubernetes.pem').serialNumber;

  await test.step('edit the topology: the load balancer moves to 192.168.56.30', async () => {
    await page.getByTestId('nav-topology').click();
    const nodes = await server.api<{ nodes: Array<{ role: string }> }>('GET', `/clusters/${CLUSTER}`);
    const lb = nodes.nodes.findIndex((n) => n.role === 'load-balancer');
    await page.getByTestId(`node-${lb}-addresses`).fill('192.168.56.30');
    await page.getByRole('button', { name: 'Save topology' }).click();
    // with certificates issued, saving lands on what the change requires
    await expect(page).toHaveURL(new RegExp(`/clusters/${CLUSTER}/changes`));
  });

  await test.step('review: kubernetes outdated with its SAN diff, written to cp1 and cp2; the workers\' kubeconfigs', async () => {
    const row = page.getByTestId('change-row-kubernetes');
    await expect(row).toHaveAttribute('data-change', 'outdated');
    await expect(row.getByTestId('diff-line').filter({ hasText: '+ SAN 192.168.56.30 added: load balancer lb' })).toHaveAttribute('data-change', 'added');
    await expect(row.getByTestId('diff-line').filter({ hasText: '- SAN 192.168.56.20 removed' })).toHaveAttribute('data-change', 'removed');
    await expect(page.getByTestId('change-certificates').locator('[data-testid^="change-row-"]')).toHaveCount(1);
    await expect(page.getByTestId('unchanged-certificates')).toContainText('worker1');
    await expect(page.getByTestId('node-writes-cp1').getByTestId('node-write')).toHaveText(['kubernetes.pem', 'kubernetes-key.pem']);
    await expect(page.getByTestId('node-writes-cp2')).toBeVisible();
    await expect(page.getByTestId('node-writes-worker1').getByTestId('node-write')).toHaveText(['worker1.kubeconfig', 'kube-proxy.kubeconfig']);
    await expect(page.getByTestId('node-writes').locator('tbody tr')).toHaveCount(4);
    await expect(page.getByTestId('changes-summary')).toHaveAttribute('data-nothing', 'false');
  });

  await test.step('apply and distribute', async () => {
    await page.getByRole('button', { name: 'Apply and distribute' }).click();
    const job = page.getByTestId('running-job').getByTestId('job-progress');
    await expect(job).toHaveAttribute('data-status', 'succeeded', { timeout: JOB_TIMEOUT });
    await expect(job).toContainText('Apply changes');
    const written = await job.getByTestId('job-log-line').evaluateAll((els) => [...new Set(els.map((el) => el.getAttribute('data-node')).filter(Boolean))]);
    expect(written.sort()).toEqual(['cp1', 'cp2', 'worker1', 'worker2']);
    // the diff is now empty
    await expect(page.getByTestId('changes-summary')).toHaveAttribute('data-nothing', 'true');
    await expect(page.getByTestId('node-writes-none')).toBeVisible();
  });

  // on the fleet: the control-plane nodes hold the new API server certificate; the workers' certificates and keys were not touched, their kubeconfigs name the new address
  for (const cp of ['cp1', 'cp2']) {
    const cert = held(fleet, cp, 'kubernetes.pem');
    expect(cert.serialNumber).not.toBe(before);
    expect(cert.subjectAltName).toContain('IP Address:192.168.56.30');
    expect(cert.subjectAltName).not.toContain('IP Address:192.168.56.20');
  }
  expect({ worker1: PEM(mtimes(fleet, 'worker1')), worker2: PEM(mtimes(fleet, 'worker2')) }).toEqual(workers);
  for (const w of ['worker1', 'worker2']) {
    for (const k of [`${w}.kubeconfig`, 'kube-proxy.kubeconfig']) {
      expect(fs.readFileSync(path.join(fleet.node(w).remoteDir, k), 'utf8')).toContain('server: https://192.168.56.30:6443');
    }
  }
  await openNodes(page);
  for (const node of ['cp1', 'cp2', 'worker1', 'worker2']) await expect(page.getByTestId(`node-row-${node}`)).toHaveAttribute('data-state', 'in-sync');
  await screenshotEnd(page, testInfo, 'lb-change-applied');
});

test('renew one certificate: its node goes stale, then in sync after redistributing', async ({ page, server, fleet }, testInfo) => {
  await setUpDistributedCluster(page, server, fleet);
  const before = held(fleet, 'worker1', 'worker1.pem').serialNumber.toLowerCase();

  await test.step('the expiry page: nothing due, so "Renew due" has nothing to do', async () => {
    await page.getByTestId('nav-expiry').click();
    await expect(page.getByTestId('expiry-table')).toBeVisible();
    await expect(page.getByTestId('expiry-row-worker1')).toHaveAttribute('data-state', 'ok');
    await expect(page.getByTestId('expiry-row-ca')).toBeVisible();
    await expect(page.getByTestId('deployed-row-worker1-worker1.pem')).toHaveAttribute('data-serial', before);
    await expect(page.getByTestId('expiry-banner')).toHaveCount(0);
    await page.getByRole('button', { name: /^Renew due certificates/ }).click();
    await expect(page.getByText('Nothing to renew', { exact: true })).toBeVisible();
  });

  await test.step('renew worker1 alone', async () => {
    await page.getByRole('button', { name: 'Renew worker1' }).click();
    const job = page.getByTestId('running-job').getByTestId('job-progress');
    await expect(job).toHaveAttribute('data-status', 'succeeded', { timeout: JOB_TIMEOUT });
    await expect(job).toContainText('Renewal');
    const renewed = (await server.api<{ serial: string }>('GET', `/clusters/${CLUSTER}/certificates/worker1`)).serial;
    expect(renewed).not.toBe(before);
    await expect(page.getByTestId('expiry-row-worker1')).toHaveAttribute('data-serial', renewed);
    // what worker1 holds is the earlier version, named as such
    await expect(page.getByTestId('deployed-row-worker1-worker1.pem')).toHaveAttribute('data-serial', before);
    await expect(page.getByTestId('deployed-row-worker1-worker1.pem').getByTestId('expiry-note')).toContainText('redistribute');
  });

  await test.step('worker1 is stale without anyone looking at it; the other nodes are in sync', async () => {
    await openNodes(page);
    await expect(page.getByTestId('node-row-worker1')).toHaveAttribute('data-state', 'stale');
    // worker1.pem, worker1-key.pem and worker1.kubeconfig (it embeds the certificate) are earlier versions
    await expect(page.getByTestId('node-row-worker1').getByTestId('node-files')).toHaveText('4 / 7 files');
    for (const node of ['cp1', 'cp2', 'worker2']) await expect(page.getByTestId(`node-row-${node}`)).toHaveAttribute('data-state', 'in-sync');
  });

  await test.step('redistribute worker1: in sync, holding the renewed certificate', async () => {
    await openNode(page, 'worker1');
    await page.getByRole('button', { name: 'Redistribute' }).click();
    await expect(page.getByTestId('job-progress')).toHaveAttribute('data-status', 'succeeded', { timeout: JOB_TIMEOUT });
    await expect(page.getByTestId('node-page-state')).toHaveText('in-sync');
    const renewed = (await server.api<{ serial: string }>('GET', `/clusters/${CLUSTER}/certificates/worker1`)).serial;
    expect(held(fleet, 'worker1', 'worker1.pem').serialNumber.toLowerCase()).toBe(renewed);
  });
  await screenshotEnd(page, testInfo, 'worker1-renewed');
});
