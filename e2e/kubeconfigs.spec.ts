/**
 * Issue 11 in the browser: after the preset is issued and distributed by clicking, worker1's
 * page lists the kubeconfigs it holds (user, server through the load balancer), the admin
 * certificate's page names the two kubeconfigs that embed it, and the overview's button
 * downloads the workstation admin.kubeconfig after the password is entered again; the file is
 * what real kubectl reads, with the load balancer's address and the stored admin certificate.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { ADMIN_PASSWORD, expect, test } from './harness.ts';
import { CLUSTER, openNode, remoteFiles, screenshotEnd, setUpDistributedCluster } from './flows.ts';

test('kubeconfigs on the node page, on the certificate page, and the workstation download', async ({ page, server, fleet }, testInfo) => {
  await setUpDistributedCluster(page, server, fleet);

  // worker1 holds its own kubeconfig and kube-proxy's, both through the load balancer
  await openNode(page, 'worker1');
  const table = page.getByTestId('kubeconfigs-table');
  await expect(table.locator('[data-testid^="kubeconfig-row-"]')).toHaveCount(2);
  await expect(page.getByTestId('kubeconfigs-summary')).toHaveText('worker1 holds worker1.kubeconfig, kube-proxy.kubeconfig.');
  await expect(page.getByTestId('kubeconfig-row-worker1').getByTestId('kubeconfig-user')).toHaveText('system:node:worker1');
  await expect(page.getByTestId('kubeconfig-row-worker1').getByTestId('kubeconfig-server')).toHaveText('https://192.168.56.20:6443');
  await expect(page.getByTestId('file-row-worker1.kubeconfig')).toHaveAttribute('data-state', 'in-sync');
  expect([...remoteFiles(fleet, 'worker1', true).keys()]).toContain('worker1.kubeconfig');

  // the admin certificate is embedded in admin.kubeconfig (control-plane nodes) and the workstation's
  await page.getByTestId('nav-certificates').click();
  await page.getByTestId('cert-row-admin').getByRole('link', { name: 'admin', exact: true }).click();
  const embedded = page.getByTestId('embedded-in-kubeconfigs');
  await expect(embedded.getByTestId('kubeconfigs-summary')).toContainText("Embedded in 2 kubeconfigs: admin.kubeconfig, the workstation's admin.kubeconfig");
  await expect(embedded.locator('[data-testid^="kubeconfig-row-"]')).toHaveCount(2);

  // the overview's button asks for the password, then downloads admin.kubeconfig (a reload forgets
  // the page's memory of an earlier re-entry, e.g. the one the distribution with ca-key.pem asked)
  await page.getByTestId('nav-overview').click();
  await page.reload();
  const card = page.getByTestId('workstation-kubeconfig');
  await expect(card).toContainText('https://192.168.56.20:6443');
  await card.getByTestId('download-workstation-kubeconfig').click();
  const dialog = page.getByTestId('reauth-dialog');
  await expect(dialog).toContainText('cluster-admin credential');
  await page.getByTestId('reauth-password').fill(ADMIN_PASSWORD);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('reauth-confirm').click()]);
  expect(download.suggestedFilename()).toBe('admin.kubeconfig');
  const file = await download.path();

  // real kubectl reads it: the load balancer, context named after the cluster, the stored admin pair
  const cfg = JSON.parse(execFileSync('/usr/bin/kubectl', ['config', 'view', '--raw', '-o', 'json', '--kubeconfig', file], { encoding: 'utf8' }));
  expect(cfg['current-context']).toBe('kubernetes-the-hard-way');
  expect(cfg.clusters[0].cluster.server).toBe('https://192.168.56.20:6443');
  expect(cfg.users[0].name).toBe('admin');
  const admin = await server.api<{ pem: string }>('GET', `/clusters/${CLUSTER}/certificates/admin`);
  expect(Buffer.from(cfg.users[0].user['client-certificate-data'], 'base64').toString() === admin.pem).toBe(true);
  expect(fs.readFileSync(file, 'utf8')).toContain('client-key-data: ');

  // the download is in the audit log
  const audit = await server.api<{ items: Array<{ action: string; object: string; result: string }> }>('GET', '/audit');
  expect(audit.items.some((e) => e.action === 'download-kubeconfig' && e.object === `cluster=${CLUSTER} name=admin-workstation` && e.result === 'ok')).toBe(true);

  await screenshotEnd(page, testInfo, 'overview-workstation-kubeconfig');
});
