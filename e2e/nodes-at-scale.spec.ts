/**
 * Issue 16, the nodes table at scale, in Chromium against the real server: a 1,000-node cluster
 * (3 control-plane nodes, 997 workers, every certificate issued) in which six workers point at
 * a fleet of real sshd nodes on loopback and were distributed to; one of them has gone away
 * since (its sshd stopped, a verify found it unreachable) and two kubelet certificates were
 * renewed, so the server judges exactly those two nodes stale (their certificate and kubeconfig
 * are earlier versions) while the other fleet nodes stay in sync. No state here is made up: the
 * server computes each from the files it read back from the nodes. The other 994 nodes have no
 * SSH target (not configured) and are never contacted; no target is outside 127.0.0.0/8.
 *
 * On the nodes page: the counts at the top, the state filter showing exactly the stale nodes
 * (in the URL, surviving a reload), the count buttons, and a search by name, by address and by
 * SSH target finding one node among 1,000. How fast the page is: `npm run bench -- pages`.
 */
import type { Page } from '@playwright/test';
import { startFleet, type Fleet } from '../apps/server/test/support.ts';
import { expect, signIn, test as base } from './harness.ts';
import { createBigCluster } from './big-cluster.ts';
import { JOB_TIMEOUT, screenshotEnd, waitJobApi } from './flows.ts';

/** Workers of the big cluster that get an sshd of their own (spread over the list, not the first ones). */
const FLEET = ['worker7', 'worker250', 'worker400', 'worker512', 'worker803', 'worker997'];
/** Their kubelet certificates are renewed after the distribution: these nodes, and only these, turn stale. */
const RENEWED = ['worker250', 'worker803'];
/** Its sshd is stopped after the distribution; a verify then finds it unreachable. */
const GONE = 'worker400';
const IN_SYNC = FLEET.filter((n) => !RENEWED.includes(n) && n !== GONE);

/** What the test reads of GET .../nodes and GET .../nodes/{node}/status (NodeSummary, NodeStatus of @kpki/shared). */
interface NodeStatus {
  state: string;
  files: Array<{ file: string; state: string }>;
}
interface NodeSummary {
  name: string;
  addresses: string[];
  ssh?: { host?: string } | null;
  status: { state: string };
}

/** The big cluster's fleet: only these six workers, stopped by pid when the test ends, pass or fail. */
const test = base.extend<{ fleet: Fleet }>({
  fleet: async ({}, use) => {
    const fleet = await startFleet({ nodes: FLEET.map((name) => ({ name })), authorizedKeys: [] });
    try {
      await use(fleet);
    } finally {
      await fleet.stop();
    }
  },
});

const rows = (page: Page) => page.getByTestId('nodes-table').locator('[data-testid^="node-row-"]');

/** The names of the rows in the table, in the order shown. */
async function shownNames(page: Page): Promise<string[]> {
  return rows(page).evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')!.replace(/^node-row-/, '')));
}

/** The URL's value of `key` (the table's query lives in the address). */
const inUrl = (page: Page, key: string) => expect.poll(() => new URL(page.url()).searchParams.get(key));

/**
 * Waits until the table lists exactly `names` (any order) and says so in its status line. Each
 * name is waited for first: a search typed over another that also found one node shows one row
 * both before and after the page took it (the search box waits for a pause in the typing).
 */
async function expectListed(page: Page, names: string[], total = 1000) {
  for (const name of names) await expect(page.getByTestId(`node-row-${name}`)).toBeVisible();
  await expect(rows(page)).toHaveCount(names.length);
  await expect.poll(async () => (await shownNames(page)).sort()).toEqual([...names].sort());
  await expect(page.getByTestId('nodes-table-shown')).toHaveAttribute('data-shown', String(names.length));
  await expect(page.getByTestId('nodes-table-shown')).toHaveText(`1–${names.length} of ${names.length} nodes matching (${total} in all)`);
}

test('a 1,000-node cluster: the nodes page filters to the really stale nodes and finds a node by search', async ({ page, server, fleet }, testInfo) => {
  // issuing 1,006 certificates and distributing on a loaded 2-core machine: the limit is for hangs, not speed
  test.setTimeout(720_000);
  const cluster = await test.step('a 1,000-node cluster with every certificate issued', () => createBigCluster(server, { issue: true }));

  await test.step('six workers point at the sshd fleet on loopback and are distributed to', async () => {
    fleet.setAuthorizedKeys([(await server.api('GET', `/clusters/${cluster}/ssh-key`)).publicKey]);
    for (const name of FLEET) {
      const n = fleet.node(name);
      expect(n.host).toMatch(/^127\./);
      await server.api('PUT', `/clusters/${cluster}/nodes/${name}/ssh`, { host: n.host, port: n.port, user: fleet.user, remoteDir: n.remoteDir, hostKey: n.hostKeyFingerprint });
    }
    const { jobId } = await server.api('POST', `/clusters/${cluster}/distributions`, { nodes: FLEET });
    expect((await waitJobApi(server, jobId, JOB_TIMEOUT * 2)).status).toBe('succeeded');
  });

  await test.step(`${GONE}'s sshd stops; a verify finds it unreachable`, async () => {
    await fleet.stopNode(GONE);
    const status = await server.api('POST', `/clusters/${cluster}/nodes/${GONE}/verify`);
    expect(status.state).toBe('unreachable');
  });

  await test.step(`the kubelet certificates of ${RENEWED.join(' and ')} are renewed (not distributed)`, async () => {
    const { jobId } = await server.api('POST', `/clusters/${cluster}/renewals`, { certificates: RENEWED });
    expect(jobId).toBeTruthy();
    expect((await waitJobApi(server, jobId, JOB_TIMEOUT * 2)).status).toBe('succeeded');
  });

  // what the server says, before the page is opened: exactly the nodes holding a renewed certificate are stale,
  // for the renewed certificate, its new key and the kubeconfig that embeds it; the others of the fleet in sync, one unreachable
  const { items } = await server.api<{ items: NodeSummary[] }>('GET', `/clusters/${cluster}/nodes`);
  expect(items).toHaveLength(1000);
  const byState = (state: string) => items.filter((n) => n.status.state === state).map((n) => n.name).sort();
  expect(byState('stale')).toEqual([...RENEWED].sort());
  expect(byState('in-sync')).toEqual([...IN_SYNC].sort());
  expect(byState('unreachable')).toEqual([GONE]);
  expect(byState('not-configured')).toHaveLength(994);
  const staleFiles = new Map<string, string>();
  for (const name of RENEWED) {
    // a renewed kubelet certificate has a new key: the certificate, its key and the kubeconfig embedding it are earlier versions
    const status = await server.api<NodeStatus>('GET', `/clusters/${cluster}/nodes/${name}/status`);
    expect(status.state).toBe('stale');
    expect(status.files.filter((f) => f.state === 'stale').map((f) => f.file).sort(), name).toEqual([`${name}-key.pem`, `${name}.kubeconfig`, `${name}.pem`]);
    expect(status.files.filter((f) => f.state !== 'stale').every((f) => f.state === 'in-sync'), name).toBe(true);
    staleFiles.set(name, `${status.files.filter((f) => f.state === 'in-sync').length} / ${status.files.length} files`);
  }
  // no node has an SSH target off loopback: nothing else was, or could have been, dialled
  for (const n of items) if (n.ssh?.host) expect(n.ssh.host, n.name).toMatch(/^127\./);

  await signIn(page, server);
  await page.goto(`${server.url}/clusters/${cluster}/nodes`);
  const table = page.getByTestId('nodes-table');
  await expect(table).toBeVisible({ timeout: 60_000 });

  await test.step('the counts at the top: 1,000 nodes by state', async () => {
    await expect(page.getByTestId('nodes-table-total')).toHaveAttribute('data-count', '1000');
    await expect(page.getByTestId('nodes-table-total')).toHaveText('1000 nodes:');
    const counts = page.getByTestId('nodes-table-counts');
    await expect(counts.getByTestId('nodes-table-count-stale')).toHaveText('2 stale');
    await expect(counts.getByTestId('nodes-table-count-in-sync')).toHaveText('3 in-sync');
    await expect(counts.getByTestId('nodes-table-count-unreachable')).toHaveText('1 unreachable');
    await expect(counts.getByTestId('nodes-table-count-not-configured')).toHaveText('994 not-configured');
    await expect(counts.getByRole('button')).toHaveCount(4);
    // 50 rows a page, not 1,000
    await expect(rows(page)).toHaveCount(50);
    await expect(page.getByTestId('nodes-table-shown')).toHaveText('1–50 of 1000 nodes');
  });

  await test.step('filter by state = stale: exactly the two stale nodes, in the URL, after a reload too', async () => {
    await page.getByTestId('nodes-table-filter-state').selectOption('stale');
    await inUrl(page, 'state').toBe('stale');
    await expectListed(page, RENEWED);
    for (const name of RENEWED) {
      const row = page.getByTestId(`node-row-${name}`);
      await expect(row).toHaveAttribute('data-state', 'stale');
      await expect(row.getByTestId('node-files')).toHaveText(staleFiles.get(name)!);
    }
    for (const name of [...IN_SYNC, GONE, 'worker1', 'cp1']) await expect(page.getByTestId(`node-row-${name}`)).toHaveCount(0);
    // the counts stay those of the whole list; the stale one is the active filter
    await expect(page.getByTestId('nodes-table-total')).toHaveAttribute('data-count', '1000');
    await expect(page.getByTestId('nodes-table-count-stale')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('nodes-table-count-in-sync')).toHaveAttribute('aria-pressed', 'false');

    await page.reload();
    await expect(table).toBeVisible({ timeout: 60_000 });
    expect(new URL(page.url()).searchParams.get('state')).toBe('stale');
    await expect(page.getByTestId('nodes-table-filter-state')).toHaveValue('stale');
    await expectListed(page, RENEWED);
    await screenshotEnd(page, testInfo, 'nodes-stale');
  });

  await test.step('the count buttons filter too: in-sync lists the three others', async () => {
    await page.getByTestId('nodes-table-count-in-sync').click();
    await inUrl(page, 'state').toBe('in-sync');
    await expectListed(page, IN_SYNC);
    for (const name of IN_SYNC) await expect(page.getByTestId(`node-row-${name}`)).toHaveAttribute('data-state', 'in-sync');
  });

  await test.step('clear: every node again', async () => {
    await page.getByTestId('nodes-table-clear').click();
    await inUrl(page, 'state').toBeNull();
    await expect(page.getByTestId('nodes-table-filter-state')).toHaveValue('');
    await expect(page.getByTestId('nodes-table-shown')).toHaveText('1–50 of 1000 nodes');
    await expect(rows(page)).toHaveCount(50);
  });

  const search = page.getByTestId('nodes-table-search');
  await test.step('search by name: worker512 alone', async () => {
    await search.fill('worker512');
    await inUrl(page, 'q').toBe('worker512');
    await expectListed(page, ['worker512']);
    await expect(page.getByTestId('node-row-worker512')).toHaveAttribute('data-state', 'in-sync');
    await page.reload();
    await expect(table).toBeVisible({ timeout: 60_000 });
    await expect(search).toHaveValue('worker512');
    await expectListed(page, ['worker512']);
  });

  await test.step('search by address: worker997 alone', async () => {
    const worker997 = items.find((n) => n.name === 'worker997')!;
    const address = worker997.addresses[0];
    // the test's data: no other node's address or SSH target holds this text
    expect(items.filter((n) => `${n.addresses.join(' ')} ${n.ssh?.host ?? ''}`.includes(address)).map((n) => n.name)).toEqual(['worker997']);
    await search.fill(address);
    await inUrl(page, 'q').toBe(address);
    await expectListed(page, ['worker997']);
    await expect(page.getByTestId('node-row-worker512')).toHaveCount(0);
  });

  await test.step('search by SSH target: the stopped node alone', async () => {
    const target = `${fleet.node(GONE).host}:${fleet.node(GONE).port}`;
    await search.fill(target);
    await inUrl(page, 'q').toBe(target);
    await expectListed(page, [GONE]);
    await expect(page.getByTestId(`node-row-${GONE}`)).toHaveAttribute('data-state', 'unreachable');
  });

  await test.step('a search and a filter together: nothing stale matches worker512', async () => {
    await search.fill('worker512');
    await inUrl(page, 'q').toBe('worker512');
    await expectListed(page, ['worker512']);
    await page.getByTestId('nodes-table-filter-state').selectOption('stale');
    await inUrl(page, 'state').toBe('stale');
    await expect(page.getByTestId('nodes-table-shown')).toHaveAttribute('data-shown', '0');
    await expect(page.getByTestId('nodes-table-shown')).toHaveText('No nodes match (1000 in all).');
    await expect(rows(page)).toHaveCount(0);
    await search.fill('worker250');
    await inUrl(page, 'q').toBe('worker250');
    await expectListed(page, ['worker250']);
  });
});
