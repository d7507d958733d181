/**
 * Issue 4, third check: a file is changed on one fleet node; after Verify the node shows
 * foreign (content kpki never issued); Redistribute on that node alone brings it back in sync, the job log shows only that
 * node written, and no other node's files were touched.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Fleet } from '../apps/server/test/support.ts';
import { expect, FLEET_NODES, test } from './harness.ts';
import { JOB_TIMEOUT, openNode, openNodes, screenshotEnd, setUpDistributedCluster } from './flows.ts';

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** Every file of the other fleet nodes with its modification time and content hash. */
function snapshot(fleet: Fleet, except: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const node of FLEET_NODES.filter((n) => n !== except)) {
    const dir = fleet.node(node).remoteDir;
    for (const name of fs.readdirSync(dir)) {
      const file = path.join(dir, name);
      const st = fs.statSync(file);
      out.set(file, `${st.mtimeMs} ${st.ino} ${sha256(fs.readFileSync(file))}`);
    }
  }
  return out;
}

test('a file changed on the node shows after verify and redistributing that node alone fixes it', async ({ page, server, fleet }, testInfo) => {
  await setUpDistributedCluster(page, server, fleet);

  // someone edits worker1's certificate on the node
  const file = path.join(fleet.node('worker1').remoteDir, 'worker1.pem');
  const original = fs.readFileSync(file);
  const tampered = Buffer.concat([original, Buffer.from('# edited by hand\n')]);
  fs.writeFileSync(file, tampered); // same inode, owner and mode: only the content differs
  const others = snapshot(fleet, 'worker1');
  expect(others.size).toBe(16 + 16 + 7); // .pem files, kubeconfigs and the encryption config of cp1, cp2, worker2

  // kpki does not know yet: the last known state is still in sync
  await openNode(page, 'worker1');
  await expect(page.getByTestId('node-page-state')).toHaveText('in-sync');

  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(page.getByTestId('node-page-state')).toHaveText('foreign');
  await expect(page.getByTestId('node-title-state')).toHaveText('foreign');
  await expect(page.getByTestId('node-page-files')).toHaveText('6 / 7 files');
  const row = page.getByTestId('file-row-worker1.pem');
  await expect(row).toHaveAttribute('data-state', 'foreign');
  await expect(row.getByTestId('file-reason')).toHaveText('worker1.pem holds content kpki never issued');
  await expect(row.getByTestId('remote-sha256')).toHaveText(sha256(tampered));
  await expect(row.getByTestId('expected-sha256')).toHaveText(sha256(original));
  for (const other of ['ca.pem', 'worker1-key.pem', 'kube-proxy.pem', 'kube-proxy-key.pem', 'worker1.kubeconfig', 'kube-proxy.kubeconfig']) {
    await expect(page.getByTestId(`file-row-${other}`)).toHaveAttribute('data-state', 'in-sync');
  }
  // the nodes page agrees; the other nodes are still in sync
  await openNodes(page);
  await expect(page.getByTestId('node-row-worker1')).toHaveAttribute('data-state', 'foreign');
  await expect(page.getByTestId('node-row-worker1').getByTestId('node-files')).toHaveText('6 / 7 files');
  for (const node of ['cp1', 'cp2', 'worker2']) await expect(page.getByTestId(`node-row-${node}`)).toHaveAttribute('data-state', 'in-sync');

  // Redistribute, on worker1 only
  await openNode(page, 'worker1');
  await page.getByRole('button', { name: 'Redistribute' }).click();
  await expect(page).toHaveURL(/[?&]job=/);
  const job = page.getByTestId('job-progress');
  await expect(job).toHaveAttribute('data-status', 'succeeded', { timeout: JOB_TIMEOUT });
  await expect(page.getByTestId('node-page-state')).toHaveText('in-sync');
  await expect(page.getByTestId('node-page-files')).toHaveText('7 / 7 files');
  await expect(row).toHaveAttribute('data-state', 'in-sync');
  await expect(row.getByTestId('remote-sha256')).toHaveText(sha256(original));

  // the job's log names worker1 and no other node, and it wrote worker1's files
  const lines = job.getByTestId('job-log-line');
  await expect(lines.first()).toBeVisible();
  const nodesInLog = await lines.evaluateAll((els) => els.map((el) => el.getAttribute('data-node')));
  const named = nodesInLog.filter((n): n is string => !!n);
  expect(named.length).toBeGreaterThan(0);
  expect(new Set(named)).toEqual(new Set(['worker1']));
  const written = job.getByTestId('job-log-line').filter({ hasText: /wrote/ });
  await expect(written.filter({ hasText: 'worker1.pem' })).not.toHaveCount(0);
  for (const node of ['cp1', 'cp2', 'worker2']) await expect(job.getByTestId('job-log-line').filter({ hasText: `/${node}/` })).toHaveCount(0);
  const jobId = await job.getAttribute('data-job-id');
  const jobRecord = await server.api<{ log: Array<{ node?: string | null }> }>('GET', `/jobs/${jobId}`);
  expect(new Set(jobRecord.log.map((l) => l.node).filter(Boolean))).toEqual(new Set(['worker1']));

  // on the fleet: worker1's certificate is back, nothing else was touched
  expect(fs.readFileSync(file).equals(original)).toBe(true);
  expect(snapshot(fleet, 'worker1')).toEqual(others);

  await screenshotEnd(page, testInfo, 'worker1-redistributed');
});
