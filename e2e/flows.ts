/**
 * What several browser tests do the same way, by clicking: create the preset cluster, point a
 * node at the fleet and pin its host key, create the CA and issue, distribute to all. Plus the
 * small readers the tests check downloads with (a tar.gz reader) and the end-of-test screenshot.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Page, TestInfo } from '@playwright/test';
import type { Fleet } from '../apps/server/test/support.ts';
import { ADMIN_PASSWORD, expect, FLEET_NODES, signIn, test, type Server } from './harness.ts';

export const CLUSTER = 'hard-way';
/** The `.pem` files each node of the preset must hold, the tutorial's `ls ~/*.pem` (control-plane 12, worker 5, load balancer 0). */
export const EXPECTED_PEMS: Record<string, number> = { cp1: 12, cp2: 12, lb: 0, worker1: 5, worker2: 5 };
/** Every file: the .pem files plus 3 kubeconfigs and the encryption config (control-plane) or 2 kubeconfigs (worker). */
export const EXPECTED_FILES: Record<string, number> = { cp1: 16, cp2: 16, lb: 0, worker1: 7, worker2: 7 };
/** The jobs of these tests are small, but RSA key generation and SSH take a few seconds. */
export const JOB_TIMEOUT = 90_000;

/** From the start page of an empty kpki: "Create from the tutorial's preset", landing on the overview. */
export async function createPresetCluster(page: Page, server: Server) {
  return test.step('create the preset cluster', async () => {
    await signIn(page, server);
    await expect(page.getByTestId('start-empty')).toBeVisible();
    await page.getByRole('button', { name: "Create from the tutorial's preset" }).click();
    await expect(page).toHaveURL(new RegExp(`/clusters/${CLUSTER}/?$`));
    await expect(page.getByTestId('issuance-stepper')).toHaveAttribute('data-active-step', '0');
  });
}

/** Polls a job through the API (the test's token) until it has ended (or throws after `timeoutMs`). */
export async function waitJobApi(server: Server, jobId: string, timeoutMs = JOB_TIMEOUT): Promise<{ status: string; result: any; error: any }> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = await server.api('GET', `/jobs/${jobId}`);
    if (['succeeded', 'failed', 'interrupted'].includes(job.status)) return job;
    if (Date.now() > until) throw new Error(`job ${jobId} still ${job.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Through the API (the test's admin token), fast: the preset cluster with its CA and
 * certificates, the workers pointed at the fleet (host keys pinned from the fleet's own key
 * files) and distributed to. Control-plane nodes stay without an SSH target (the CA key rule
 * keeps tokens from pointing them anywhere).
 */
export async function setUpIssuedByApi(server: Server, fleet: Fleet, workers = ['worker1', 'worker2']) {
  return test.step('set up the issued preset through the API', async () => {
    const preset = await server.api('GET', '/presets/hard-way');
    await server.api('POST', '/clusters', preset);
    await server.api('POST', `/clusters/${CLUSTER}/ca`);
    const { jobId } = await server.api('POST', `/clusters/${CLUSTER}/issuances`);
    expect((await waitJobApi(server, jobId)).status).toBe('succeeded');
    fleet.setAuthorizedKeys([(await server.api('GET', `/clusters/${CLUSTER}/ssh-key`)).publicKey]);
    for (const w of workers) {
      const n = fleet.node(w);
      await server.api('PUT', `/clusters/${CLUSTER}/nodes/${w}/ssh`, { host: n.host, port: n.port, user: fleet.user, remoteDir: n.remoteDir, hostKey: n.hostKeyFingerprint });
    }
    if (workers.length) {
      const dist = await server.api('POST', `/clusters/${CLUSTER}/distributions`, { nodes: workers });
      expect((await waitJobApi(server, dist.jobId)).status).toBe('succeeded');
    }
  });
}

/** Navbar -> Nodes, waiting for the table. */
export async function openNodes(page: Page) {
  await page.getByTestId('nav-nodes').click();
  await expect(page).toHaveURL(new RegExp(`/clusters/${CLUSTER}/nodes(\\?.*)?$`));
  await expect(page.getByTestId('nodes-table')).toBeVisible();
}

/** Nodes table -> the node's page. */
export async function openNode(page: Page, node: string) {
  await openNodes(page);
  await page.getByTestId(`node-row-${node}`).getByTestId('node-link').click();
  await expect(page).toHaveURL(new RegExp(`/clusters/${CLUSTER}/nodes/${node}(\\?.*)?$`));
  await expect(page.getByTestId('ssh-form')).toBeVisible();
}

/**
 * The operator copies the deploy public key shown on the nodes page into the fleet's
 * authorized_keys (what they would paste on each node). Cross-checked with the API.
 */
export async function authorizeDeployKey(page: Page, server: Server, fleet: Fleet) {
  return test.step('authorize the deploy key on the fleet', async () => {
    await openNodes(page);
    const shown = (await page.getByTestId('deploy-public-key').innerText()).trim();
    const { publicKey } = await server.api<{ publicKey: string }>('GET', `/clusters/${CLUSTER}/ssh-key`);
    expect(shown).toBe(publicKey.trim());
    expect(shown).toMatch(/^ssh-(ed25519|rsa) AAAA/);
    fleet.setAuthorizedKeys([shown]);
  });
}

/**
 * Clicks `button`; when kpki asks for the password again (the CA key rule: a control-plane
 * node's SSH target, a distribution with ca-key.pem, ...), enters it. `done` is what shows once
 * the action went through; it decides that no dialog is coming.
 */
export async function clickWithPassword(page: Page, button: ReturnType<Page['getByRole']>, done: () => Promise<unknown>) {
  await button.click();
  const reauth = page.getByTestId('reauth-dialog');
  const sendCaKey = page.getByTestId('distribute-dialog');
  const finished = done().then(() => 'done' as const, (err: unknown) => err);
  // answer what is asked on the way: "ca-key.pem and admin.kubeconfig go to ..." (confirm), then the password
  for (let asked = 0; asked < 3; asked++) {
    const first = await Promise.race([
      reauth.waitFor({ state: 'visible', timeout: 20_000 }).then(() => 'password' as const, () => 'nothing' as const),
      sendCaKey.waitFor({ state: 'visible', timeout: 20_000 }).then(() => 'confirm' as const, () => 'nothing' as const),
      finished,
    ]);
    if (first === 'done' || first === 'nothing') break;
    if (first === 'confirm') {
      // the dialog may already be on its way out (answered on an earlier turn): then there is nothing to click
      const confirmed = sendCaKey.getByTestId('confirm-distribute').click().catch(() => undefined);
      await Promise.race([confirmed, sendCaKey.waitFor({ state: 'hidden', timeout: 60_000 })]);
      await expect(sendCaKey).toBeHidden();
    } else if (first === 'password') {
      await reauth.getByTestId('reauth-password').fill(ADMIN_PASSWORD);
      await reauth.getByTestId('reauth-confirm').click();
      await expect(reauth).toBeHidden();
    } else {
      throw first;
    }
  }
  const outcome = await finished;
  if (outcome !== 'done') throw outcome;
}

/**
 * On the node's page: fill the SSH settings form with the fleet node's target and save it,
 * then scan the host key, check the dialog shows the fleet node's real fingerprint, and pin it.
 */
export async function configureNode(page: Page, fleet: Fleet, node: string) {
  return test.step(`point ${node} at the fleet and pin its host key`, async () => {
    const target = fleet.node(node);
    await openNode(page, node);
    await expect(page.getByTestId('pinned-host-key')).toContainText('none');
    const form = page.getByTestId('ssh-form');
    await form.getByTestId('ssh-host').fill(target.host);
    await form.getByTestId('ssh-port').fill(String(target.port));
    await form.getByTestId('ssh-user').fill(fleet.user);
    await form.getByTestId('ssh-remote-dir').fill(target.remoteDir);
    // the saved target shows in the nodes query, which enables the scan
    const scan = page.getByRole('button', { name: 'Scan host key' });
    await clickWithPassword(page, page.getByRole('button', { name: 'Save SSH settings' }), () => expect(scan).toBeEnabled({ timeout: 20_000 }));
    await expect(page.getByTestId('ssh-host')).toHaveValue(target.host);
    await expect(page.getByTestId('ssh-port')).toHaveValue(String(target.port));

    await scan.click();
    const dialog = page.getByTestId('host-key-dialog');
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('host-key-type')).toHaveText('ssh-ed25519');
    await expect(dialog.getByTestId('host-key-fingerprint')).toHaveText(target.hostKeyFingerprint);
    await expect(dialog).toContainText(`${target.host}:${target.port}`);
    await clickWithPassword(page, dialog.getByRole('button', { name: 'Pin this key' }), () => expect(dialog).toBeHidden({ timeout: 20_000 }));
    await expect(page.getByTestId('pinned-host-key')).toHaveText(target.hostKeyFingerprint);
  });
}

/**
 * Overview: Create CA, review the plan (checked by `review`), Issue certificates; the overview
 * stays and offers the fourth step (Distribute); then open the certificates.
 */
export async function createCaAndIssue(page: Page, review?: (page: Page) => Promise<void>) {
  return test.step('create the CA, review the plan, issue', async () => {
    await page.getByTestId('nav-overview').click();
    const stepper = page.getByTestId('issuance-stepper');
    await expect(stepper).toHaveAttribute('data-active-step', '0');
    await page.getByRole('button', { name: 'Create CA' }).click();
    await expect(stepper).toHaveAttribute('data-active-step', '1');
    await expect(page.getByTestId('plan-review')).toBeVisible();
    if (review) await review(page);
    await page.getByRole('button', { name: 'Issue certificates' }).click();
    await expect(stepper).toHaveAttribute('data-active-step', '3', { timeout: JOB_TIMEOUT });
    await expect(page.getByTestId('distribute-step')).toBeFocused();
    await page.getByTestId('nav-certificates').click();
    await expect(page.getByTestId('certificates-table')).toBeVisible();
  });
}

/**
 * The guided flow's fourth step, on the overview: "Distribute to all nodes" asks first that
 * ca-key.pem and admin.kubeconfig go to the control-plane nodes (confirmed), then the password (the CA key rule);
 * the job's outcome is announced, "Finish" ends the flow, and every node shows in sync on the
 * nodes page (the load balancer: nothing to hold).
 */
export async function distributeToAll(page: Page) {
  return test.step('distribute to all nodes (the fourth step)', async () => {
    await page.getByTestId('nav-overview').click();
    const stepper = page.getByTestId('issuance-stepper');
    await expect(stepper).toHaveAttribute('data-active-step', '3');
    const step = page.getByTestId('distribute-step');
    await step.getByTestId('distribute-step-start').click();
    const ask = page.getByTestId('distribute-dialog');
    await expect(ask.getByTestId('ca-key-recipients')).toHaveText('ca-key.pem and admin.kubeconfig go to cp1, cp2.');
    const job = step.getByTestId('job-progress');
    await clickWithPassword(page, ask.getByTestId('confirm-distribute'), () => expect(job).toBeVisible({ timeout: 20_000 }));
    await expect(job).toHaveAttribute('data-status', 'succeeded', { timeout: JOB_TIMEOUT });
    await expect(step.getByTestId('job-announcement')).toHaveText('Distribution finished: 4 nodes written and verified.');
    await step.getByTestId('finish-flow').click();
    await expect(stepper).toHaveAttribute('data-active-step', '4');
    await expect(page.getByTestId('step-done')).toContainText('Every node holds its current files');
    await openNodes(page);
    for (const [node, files] of Object.entries(EXPECTED_FILES)) {
      const row = page.getByTestId(`node-row-${node}`);
      const state = files > 0 ? 'in-sync' : 'nothing-to-hold';
      await expect(row).toHaveAttribute('data-state', state);
      await expect(row.getByTestId('node-state')).toHaveText(state);
      await expect(row.getByTestId('node-files')).toHaveText(`${files} / ${files} files`);
    }
  });
}

/** The whole way, clicking: a signed-in page with the preset cluster issued and distributed to the fleet. */
export async function setUpDistributedCluster(page: Page, server: Server, fleet: Fleet) {
  await createPresetCluster(page, server);
  await authorizeDeployKey(page, server, fleet);
  for (const node of FLEET_NODES) await configureNode(page, fleet, node);
  await createCaAndIssue(page);
  await distributeToAll(page);
}

/** The `.pem` files (or, with `all`, every file) in a fleet node's folder, name -> content. */
export function remoteFiles(fleet: Fleet, node: string, all = false): Map<string, Buffer> {
  const dir = fleet.node(node).remoteDir;
  const out = new Map<string, Buffer>();
  for (const name of fs.readdirSync(dir).sort()) {
    if (all || name.endsWith('.pem')) out.set(name, fs.readFileSync(path.join(dir, name)));
  }
  return out;
}

export interface TarEntry {
  name: string;
  mode: number;
  type: string;
  content: Buffer;
}

/** A small ustar reader (with pax "path" records), enough for kpki's bundles. */
export function readTarGz(gz: Buffer): TarEntry[] {
  const data = zlib.gunzipSync(gz);
  const entries: TarEntry[] = [];
  const str = (b: Buffer) => b.toString('utf8').replace(/\0.*$/s, '');
  const octal = (b: Buffer) => parseInt(str(b).trim() || '0', 8);
  let paxPath: string | undefined;
  for (let off = 0; off + 512 <= data.length; ) {
    const header = data.subarray(off, off + 512);
    if (header.every((x) => x === 0)) break;
    const size = octal(header.subarray(124, 136));
    const type = String.fromCharCode(header[156] || 48);
    const prefix = header.subarray(257, 263).toString('latin1').startsWith('ustar') ? str(header.subarray(345, 500)) : '';
    const name = paxPath ?? (prefix ? `${prefix}/` : '') + str(header.subarray(0, 100));
    const content = Buffer.from(data.subarray(off + 512, off + 512 + size));
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      paxPath = /\d+ path=([^\n]*)\n/.exec(content.toString('utf8'))?.[1];
      continue;
    }
    paxPath = undefined;
    if (type === 'g') continue;
    entries.push({ name, mode: octal(header.subarray(100, 108)), type, content });
  }
  return entries;
}

/** Saves a full-page screenshot of where the test ends, as a file and an attachment of the test. */
export async function screenshotEnd(page: Page, testInfo: TestInfo, name: string) {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  expect(fs.statSync(file).size).toBeGreaterThan(1000);
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}
