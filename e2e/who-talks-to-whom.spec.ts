/**
 * Issue 4, fourth check: "Who talks to whom" shows, for the preset, the eight connections of
 * docs/domain.md section 3 (the kubelet row naming both workers' certificates), as a grid and a table.
 */
import { expect, test } from './harness.ts';
import { CLUSTER, createPresetCluster, JOB_TIMEOUT, screenshotEnd } from './flows.ts';

/** docs/domain.md section 3 for the preset: client, server, certificate(s) presented. */
const EDGES: Array<[client: string, server: string, certificates: string[]]> = [
  ['kubectl (admin)', 'kube-apiserver', ['admin']],
  ['kube-apiserver', 'etcd', ['kubernetes']],
  ['kube-apiserver', 'kubelet', ['kubernetes']],
  ['kubelet (worker1, worker2)', 'kube-apiserver', ['worker1', 'worker2']],
  ['kube-proxy', 'kube-apiserver', ['kube-proxy']],
  ['kube-scheduler', 'kube-apiserver', ['kube-scheduler']],
  ['kube-controller-manager', 'kube-apiserver', ['kube-controller-manager']],
  ['etcd peer', 'etcd peer', ['etcd']],
];

test('the matrix shows the eight connections of the preset', async ({ page, server }, testInfo) => {
  await createPresetCluster(page, server);
  await page.getByTestId('nav-talks').click();
  await expect(page).toHaveURL(new RegExp(`/clusters/${CLUSTER}/talks$`));

  // the table: eight rows, in the tutorial's order
  const rows = page.getByTestId('matrix-edges').getByTestId('matrix-edge');
  await expect(rows).toHaveCount(8);
  for (const [i, [client, server, certificates]] of EDGES.entries()) {
    const cells = rows.nth(i).getByRole('cell');
    await expect(cells.nth(0)).toHaveText(client);
    await expect(cells.nth(1)).toHaveText(server);
    await expect(cells.nth(2).getByRole('link')).toHaveText(certificates);
  }

  // the grid: eight filled cells, client by server
  const grid = page.getByTestId('matrix-grid');
  await expect(grid.getByTestId('matrix-cell')).toHaveCount(8);
  for (const [client, server, certificates] of EDGES) {
    const cell = grid.locator(`[data-testid="matrix-cell"][data-client="${client}"][data-server="${server}"]`);
    await expect(cell.getByRole('link'), `${client} -> ${server}`).toHaveText(certificates);
  }
  await expect(page.getByRole('heading', { name: 'Connections (8)' })).toBeVisible();

  // a cell opens the certificate it names (issued through the API: not what this test is about)
  await server.api('POST', `/clusters/${CLUSTER}/ca`);
  const { jobId } = await server.api<{ jobId: string }>('POST', `/clusters/${CLUSTER}/issuances`);
  await expect.poll(async () => (await server.api<{ status: string }>('GET', `/jobs/${jobId}`)).status, { timeout: JOB_TIMEOUT }).toBe('succeeded');
  await grid.locator('[data-testid="matrix-cell"][data-client="kube-apiserver"][data-server="etcd"]').getByRole('link', { name: 'kubernetes' }).click();
  await expect(page).toHaveURL(new RegExp(`/clusters/${CLUSTER}/certificates/kubernetes$`));
  await expect(page.getByTestId('certificate-detail')).toHaveAttribute('data-name', 'kubernetes');
  await page.goBack();
  await expect(rows).toHaveCount(8);

  await screenshotEnd(page, testInfo, 'who-talks-to-whom');
});
