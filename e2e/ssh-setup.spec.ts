/**
 * Issue 16, the SSH set-up card in Chromium against real sshd nodes on loopback: the operator
 * pastes the ~/.ssh/config and known_hosts they already hold (known_hosts as the real
 * `ssh-keyscan -p PORT HOST` prints it, with a wrong key for worker2), previews (nothing stored),
 * applies (the password again: control-plane targets follow the CA key rule); worker2 is
 * configured but not pinned. The bulk host-key review then scans every node (pins nothing), shows
 * each fingerprint as `ssh-keygen -lf` prints it, and pins the one node selected. The guided
 * flow then issues and distributes to every node, which only works with the right targets and pins.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { SSH_KEYGEN } from '../apps/server/test/support.ts';
import { expect, FLEET_NODES, test } from './harness.ts';
import { authorizeDeployKey, clickWithPassword, CLUSTER, createCaAndIssue, createPresetCluster, distributeToAll, openNodes, screenshotEnd } from './flows.ts';

const run = promisify(execFile);

type StoredSsh = { host?: string; port?: number; user?: string; hostKey?: string } | undefined;

test('SSH set-up from ~/.ssh/config and known_hosts, the bulk host-key review, then distribution to every node', async ({ page, server, fleet }, testInfo) => {
  await createPresetCluster(page, server);
  await authorizeDeployKey(page, server, fleet);
  const stored = async () => {
    const c = await server.api<{ nodes: Array<{ name: string; ssh?: StoredSsh }> }>('GET', `/clusters/${CLUSTER}`);
    return Object.fromEntries(c.nodes.map((n) => [n.name, n.ssh]));
  };
  const before = await stored();

  // what the operator holds: a Host entry per node, and ssh-keyscan's lines, worker2's carrying cp1's key
  const sshConfig = ['Host bastion', '  HostName 127.0.0.1', '', ...FLEET_NODES.flatMap((name) => {
    const n = fleet.node(name);
    return [`Host ${name}`, `  HostName ${n.host}`, `  Port ${n.port}`, `  User ${fleet.user}`, ''];
  })].join('\n');
  const scanned = new Map<string, string>();
  for (const name of FLEET_NODES) {
    const n = fleet.node(name);
    const { stdout } = await run('ssh-keyscan', ['-p', String(n.port), '-t', 'ed25519', n.host], { timeout: 30_000 });
    scanned.set(name, stdout.split('\n').find((l) => l.startsWith(`[${n.host}]:${n.port} ssh-ed25519 `))!);
  }
  const knownHosts = FLEET_NODES.map((name) =>
    name === 'worker2' ? `${scanned.get('worker2')!.split(' ')[0]} ${scanned.get('cp1')!.split(' ').slice(1).join(' ')}` : scanned.get(name)!,
  ).join('\n');

  await test.step('import: preview stores nothing, apply configures every node and pins all but worker2', async () => {
    await openNodes(page);
    await page.getByTestId('open-ssh-import').click();
    const dialog = page.getByTestId('ssh-import-dialog');
    await dialog.getByTestId('import-ssh-config').fill(sshConfig);
    await dialog.getByTestId('import-known-hosts').fill(knownHosts);
    await dialog.getByTestId('import-preview-button').click();
    await expect(dialog.getByTestId('import-preview')).toBeVisible();
    await expect(dialog.getByTestId('unused-hosts')).toContainText('bastion (line 1)');
    for (const name of FLEET_NODES) {
      const row = dialog.getByTestId(`import-row-${name}`);
      const n = fleet.node(name);
      await expect(row).toContainText(`${fleet.user}@${n.host}:${n.port}`);
      if (name === 'worker2') await expect(row.getByTestId('import-problem')).toContainText(fleet.node('cp1').hostKeyFingerprint);
      else await expect(row).toContainText(n.hostKeyFingerprint);
    }
    await expect(dialog.getByTestId('import-ca-key')).toBeVisible();
    expect(await stored()).toEqual(before);

    await clickWithPassword(page, dialog.getByTestId('import-apply'), () => expect(dialog.getByTestId('import-counts')).toContainText('changed', { timeout: 30_000 }));
    const after = await stored();
    for (const name of FLEET_NODES) {
      const n = fleet.node(name);
      expect(after[name]).toMatchObject({ host: n.host, port: n.port, user: fleet.user });
      expect(after[name]?.hostKey).toBe(name === 'worker2' ? undefined : n.hostKeyFingerprint);
    }
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  });

  await test.step('bulk host-key review: a scan pins nothing; pinning the one selected pins exactly it', async () => {
    const review = page.getByTestId('host-key-review');
    await review.getByTestId('scan-all-host-keys').click();
    await expect(review.getByTestId('host-key-review-table')).toBeVisible({ timeout: 60_000 });
    for (const name of FLEET_NODES) {
      const n = fleet.node(name);
      const printed = (await run(SSH_KEYGEN, ['-l', '-f', `${n.hostKeyPath}.pub`])).stdout.split(/\s+/)[1];
      const row = review.getByTestId(`review-row-${name}`);
      await expect(row).toContainText(printed);
      if (name === 'worker2') await expect(row).toContainText('not pinned');
      else await expect(row.getByText('pinned', { exact: true })).toBeVisible();
      await expect(row.getByRole('checkbox')).toBeEnabled({ enabled: name === 'worker2' });
    }
    expect((await stored()).worker2?.hostKey).toBeUndefined();
    await review.getByRole('checkbox', { name: 'Pin the key of worker2' }).check();
    await review.getByTestId('pin-selected').click();
    await expect(review.getByTestId('host-key-review-table')).toBeHidden({ timeout: 30_000 });
    const after = await stored();
    for (const name of FLEET_NODES) expect(after[name]?.hostKey).toBe(fleet.node(name).hostKeyFingerprint);
  });

  await createCaAndIssue(page);
  await distributeToAll(page);
  await screenshotEnd(page, testInfo, 'ssh-setup');
});
