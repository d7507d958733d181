/**
 * Issue 17 in the browser, against the real server: two people edit one topology. The page
 * saves with If-Match (the version it opened); someone else saved in between, so the server
 * keeps theirs (412) and the page shows what each side changed; "Reapply my changes on theirs"
 * puts the person's edit on the current version, and saving it keeps both.
 */
import { expect, test } from './harness.ts';
import { CLUSTER, createPresetCluster, openNode } from './flows.ts';

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

test('a node\'s SSH settings saved by someone else meanwhile: theirs are shown, and the person saves theirs over them; a change elsewhere is no conflict', async ({ page, server }) => {
  await createPresetCluster(page, server);
  const form = page.getByTestId('ssh-form');
  const sshOf = async (node: string) => (await server.api('GET', `/clusters/${CLUSTER}/nodes`)).items.find((n: { name: string }) => n.name === node).ssh;

  await test.step('someone else changes worker2 while the person edits worker1: saved without asking', async () => {
    await openNode(page, 'worker1');
    await form.getByTestId('ssh-host').fill('127.0.0.1');
    await form.getByTestId('ssh-user').fill('kpki');
    await server.api('PUT', `/clusters/${CLUSTER}/nodes/worker2/ssh`, { host: '127.0.0.2', user: 'other' });
    await page.getByRole('button', { name: 'Save SSH settings' }).click();
    await expect(page.getByText('SSH settings saved')).toBeVisible();
    await expect(page.getByTestId('ssh-conflict')).toHaveCount(0);
    expect(await sshOf('worker1')).toMatchObject({ host: '127.0.0.1', user: 'kpki' });
    expect(await sshOf('worker2')).toMatchObject({ host: '127.0.0.2', user: 'other' });
  });

  await test.step('someone else changes worker1 itself: nothing of the person\'s is written, both shown', async () => {
    await server.api('PUT', `/clusters/${CLUSTER}/nodes/worker1/ssh`, { host: '127.0.0.1', port: 2222, user: 'ops' });
    await form.getByTestId('ssh-user').fill('admin2');
    await page.getByRole('button', { name: 'Save SSH settings' }).click();
    const conflict = page.getByTestId('ssh-conflict');
    await expect(conflict).toBeVisible();
    await expect(conflict.getByTestId('ssh-conflict-theirs')).toContainText('ops@127.0.0.1:2222');
    await expect(conflict.getByTestId('ssh-conflict-mine')).toContainText('admin2@127.0.0.1:22');
    expect(await sshOf('worker1')).toMatchObject({ port: 2222, user: 'ops' });
  });

  await test.step('"Save mine over theirs" writes the person\'s settings', async () => {
    await page.getByTestId('ssh-save-over').click();
    await expect(page.getByTestId('ssh-conflict')).toHaveCount(0);
    await expect.poll(async () => (await sshOf('worker1')).user).toBe('admin2');
    expect((await sshOf('worker1')).port ?? 22).toBe(22);
  });
});
