/**
 * Issue 17 in the browser, against the real server: two people edit one topology. The page
 * saves with If-Match (the version it opened); someone else saved in between, so the server
 * keeps theirs (412) and the page shows what each side changed; "Reapply my changes on theirs"
 * puts the person's edit on the current version, and saving it keeps both.
 */
import { expect, test } from './harness.ts';
import { CLUSTER, createPresetCluster } from './flows.ts';

test('a topology saved by someone else meanwhile: the page shows what changed and reapplies the person\'s edit', async ({ page, server }) => {
  await createPresetCluster(page, server);
  const before = await server.api('GET', `/clusters/${CLUSTER}`);
  const worker1 = before.nodes.findIndex((n: { name: string }) => n.name === 'worker1');
  const [address] = before.nodes[worker1].addresses as string[];

  await test.step('the person edits worker1\'s address while someone else saves another validity', async () => {
    await page.getByTestId('nav-topology').click();
    await page.getByTestId(`node-${worker1}-addresses`).fill('192.168.56.51');
    // the other writer: a GET body sent back with PUT (read-only fields included)
    await server.api('PUT', `/clusters/${CLUSTER}`, { ...before, certValidityHours: 4000 });
  });

  await test.step('save: 412, nothing of the person\'s written, both sides shown', async () => {
    await page.getByRole('button', { name: 'Save topology' }).click();
    const conflict = page.getByTestId('topology-conflict');
    await expect(conflict).toBeVisible();
    await expect(conflict.getByTestId('conflict-theirs')).toContainText('certValidityHours: 8760 → 4000');
    await expect(conflict.getByTestId('conflict-yours')).toContainText(`node worker1: addresses ${address} → 192.168.56.51`);
    const stored = await server.api('GET', `/clusters/${CLUSTER}`);
    expect(stored.certValidityHours).toBe(4000);
    expect(stored.nodes[worker1].addresses).toEqual([address]);
  });

  await test.step('reapply on theirs and save: both changes kept', async () => {
    await page.getByTestId('reapply-changes').click();
    await expect(page.getByTestId('reapplied')).toBeVisible();
    await expect(page.getByTestId(`node-${worker1}-addresses`)).toHaveValue('192.168.56.51');
    await page.getByRole('button', { name: 'Save topology' }).click();
    await expect(page.getByTestId('topology-editor')).toBeHidden();
    const stored = await server.api('GET', `/clusters/${CLUSTER}`);
    expect(stored.certValidityHours).toBe(4000);
    expect(stored.nodes[worker1].addresses).toEqual(['192.168.56.51']);
  });
});
