/**
 * Issue 4, first check: from an empty database a user creates the preset cluster, points its
 * nodes at the sshd fleet, pins the host keys through the scan dialog, creates the CA, reviews
 * the plan, issues and, in the guided flow's fourth step, distributes to all nodes, by clicking
 * (confirming that ca-key.pem and admin.kubeconfig go to the control-plane nodes); every node then shows in sync
 * with 16 or 7 files (12 or 5 .pem files plus the kubeconfigs and the encryption config; the load
 * balancer 0), and the fleet really holds those files.
 */
import { X509Certificate } from 'node:crypto';
import { expect, FLEET_NODES, test } from './harness.ts';
import {
  authorizeDeployKey, CLUSTER, configureNode, createCaAndIssue, createPresetCluster, distributeToAll, EXPECTED_FILES, EXPECTED_PEMS,
  remoteFiles, screenshotEnd,
} from './flows.ts';

test('create, pin, issue and distribute to the fleet by clicking', async ({ page, server, fleet }, testInfo) => {
  // the database is empty: the API knows no cluster, the start page offers to begin
  expect((await server.api<{ items: unknown[] }>('GET', '/clusters')).items).toEqual([]);
  await createPresetCluster(page, server);
  await expect(page.getByTestId('issuance-stepper')).toBeVisible();

  // before anything is configured, no fleet node can be reached
  await authorizeDeployKey(page, server, fleet);
  for (const node of FLEET_NODES) {
    await expect(page.getByTestId(`node-row-${node}`)).toHaveAttribute('data-state', 'not-configured');
  }

  for (const node of FLEET_NODES) await configureNode(page, fleet, node);
  // what was typed and pinned is what the server stored
  const { items: nodes } = await server.api<{ items: Array<{ name: string; ssh?: Record<string, unknown> }> }>('GET', `/clusters/${CLUSTER}/nodes`);
  for (const node of FLEET_NODES) {
    const f = fleet.node(node);
    expect(nodes.find((n) => n.name === node)?.ssh).toEqual({ host: f.host, port: f.port, user: fleet.user, remoteDir: f.remoteDir, hostKey: f.hostKeyFingerprint });
  }
  expect(nodes.find((n) => n.name === 'lb')?.ssh?.host).toBeUndefined();

  await createCaAndIssue(page, async (p) => {
    // the plan, before anything is signed: every certificate with CN, O and recipients
    const rows = p.locator('[data-testid^="plan-row-"]');
    await expect(rows).toHaveCount(10);
    const kubernetes = p.getByTestId('plan-row-kubernetes');
    await expect(kubernetes.getByTestId('plan-cn')).toHaveText('CN=kubernetes');
    await expect(kubernetes.getByTestId('plan-o')).toHaveText('O=Kubernetes');
    await expect(kubernetes.getByTestId('plan-recipients')).toHaveText('cp1, cp2');
    await expect(p.getByTestId('plan-row-worker1').getByTestId('plan-cn')).toHaveText('CN=system:node:worker1');
    await expect(p.getByTestId('plan-row-worker1').getByTestId('plan-o')).toHaveText('O=system:nodes');
    await expect(p.getByTestId('plan-row-worker1').getByTestId('plan-recipients')).toHaveText('worker1');
    await expect(p.getByTestId('plan-row-admin').getByTestId('plan-o')).toHaveText('O=system:masters');
    // nothing is signed while reviewing
    expect((await server.api<{ items: unknown[] }>('GET', `/clusters/${CLUSTER}/certificates`)).items.map((c: any) => c.name)).toEqual(['ca']);
  });
  await expect(page.locator('[data-testid^="cert-row-"]')).toHaveCount(10);

  await distributeToAll(page);

  // the fleet really holds the files, byte for byte what kpki issued
  const { items: certs } = await server.api<{ items: Array<{ name: string; sha256: string }> }>('GET', `/clusters/${CLUSTER}/certificates`);
  for (const node of FLEET_NODES) {
    expect(remoteFiles(fleet, node, true).size, `${node} files`).toBe(EXPECTED_FILES[node]);
    const files = remoteFiles(fleet, node);
    expect(files.size, `${node} .pem files (ls ~/*.pem)`).toBe(EXPECTED_PEMS[node]);
    for (const [name, content] of files) {
      if (name.endsWith('-key.pem')) continue;
      const cert = new X509Certificate(content);
      const summary = certs.find((c) => `${c.name}.pem` === name);
      expect(summary, `${node}/${name} is a current certificate`).toBeDefined();
      const hex = (s: string) => s.replace(/:/g, '').toLowerCase();
      expect(hex(cert.fingerprint256)).toBe(hex(summary!.sha256));
    }
  }
  expect([...remoteFiles(fleet, 'worker1').keys()]).not.toContain('ca-key.pem');
  expect([...remoteFiles(fleet, 'cp1').keys()]).toContain('ca-key.pem');
  await expect(page.getByTestId('node-row-lb').getByTestId('node-files')).toHaveText('0 / 0 files');

  await screenshotEnd(page, testInfo, 'nodes-in-sync');
});
