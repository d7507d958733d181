/**
 * Issue 14 in the browser, against the real server and the sshd fleet: a PKI made by real cfssl
 * with the tutorial's commands is on the nodes (copied by the tutorial's scp loop, plain scp
 * with the operator's own key), and the operator adopts it: upload the folder as a .tar.gz (the password asked,
 * since it holds the CA key), read the report (all 10 certificates recognised, no difference from
 * the plan, the CSRs set aside), adopt, then verify the fleet: every node in sync, and no file
 * on any node was written. The report passes axe.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SSH_KEYGEN, type Fleet } from '../apps/server/test/support.ts';
import { tarGz, writeCfsslPki } from '../apps/server/test/helpers/cfssl-pki.ts';
import { runOk } from '../apps/server/test/helpers/tools.ts';
import { describeViolations, seriousViolations } from './axe.ts';
import { ADMIN_PASSWORD, expect, FLEET_NODES, signIn, test, type Server } from './harness.ts';
import { CLUSTER, JOB_TIMEOUT, clickWithPassword, screenshotEnd } from './flows.ts';

test.use({ bypassCSP: true });

/** The tutorial's scp loop (module 07): the files each node receives. */
const CONTROL_PLANE_FILES = [
  'ca.pem', 'ca-key.pem', 'kubernetes.pem', 'kubernetes-key.pem', 'etcd.pem', 'etcd-key.pem', 'service-account.pem', 'service-account-key.pem',
  'kube-controller-manager.pem', 'kube-controller-manager-key.pem', 'kube-scheduler.pem', 'kube-scheduler-key.pem',
];
const WORKER_FILES = (w: string) => ['ca.pem', `${w}.pem`, `${w}-key.pem`, 'kube-proxy.pem', 'kube-proxy-key.pem'];

/** inode, mtime, ctime and mode of every file of every node: any write, rename or chmod changes them. */
function stamps(fleet: Fleet): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of fleet.nodes) {
    for (const f of fs.readdirSync(n.remoteDir).sort()) {
      const s = fs.statSync(path.join(n.remoteDir, f));
      out[`${n.name}/${f}`] = `${s.ino}:${s.mtimeMs}:${s.ctimeMs}:${(s.mode & 0o777).toString(8)}`;
    }
  }
  return out;
}

/**
 * The preset without generated kubeconfigs (the tutorial's module 07 copies certificates only),
 * no CA yet, every node pointed at the fleet with its host key pinned: as an admin's browser
 * session with the password re-entered (control-plane targets follow the CA key rule). Answers
 * the cluster's deploy key.
 */
async function createPinnedCluster(server: Server, fleet: Fleet): Promise<string> {
  const preset = await server.api('GET', '/presets/hard-way');
  await server.api('POST', '/clusters', { ...preset, generateConfigFiles: false });
  const { publicKey } = await server.api('GET', `/clusters/${CLUSTER}/ssh-key`);
  const signIn = await fetch(`${server.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
  const headers = { 'content-type': 'application/json', cookie: signIn.headers.get('set-cookie')!.split(';')[0], 'x-csrf-token': (await signIn.json()).csrfToken as string };
  const send = async (method: string, url: string, body: unknown) => {
    const res = await fetch(`${server.url}/api/v1${url}`, { method, headers, body: JSON.stringify(body) });
    expect(res.status, `${method} ${url}: ${await res.clone().text()}`).toBeLessThan(300);
  };
  await send('POST', '/session/reauth', { password: ADMIN_PASSWORD });
  for (const name of FLEET_NODES) {
    const n = fleet.node(name);
    await send('PUT', `/clusters/${CLUSTER}/nodes/${name}/ssh`, { host: n.host, port: n.port, user: fleet.user, remoteDir: n.remoteDir, hostKey: n.hostKeyFingerprint });
  }
  return publicKey as string;
}

/** The tutorial's scp loop with the operator's own key: each node's files into its folder. */
async function scpLoop(fleet: Fleet, pki: string, work: string, deployKey: string) {
  const key = path.join(work, 'id_ed25519');
  await runOk(SSH_KEYGEN, ['-q', '-t', 'ed25519', '-N', '', '-C', 'tutorial-operator', '-f', key]);
  fleet.setAuthorizedKeys([deployKey, fs.readFileSync(`${key}.pub`, 'utf8').trim()]);
  const knownHosts = path.join(work, 'known_hosts');
  fs.writeFileSync(knownHosts, fleet.nodes.map((n) => `[${n.host}]:${n.port} ${fs.readFileSync(`${n.hostKeyPath}.pub`, 'utf8').trim()}`).join('\n') + '\n');
  for (const name of FLEET_NODES) {
    const n = fleet.node(name);
    const files = name.startsWith('cp') ? CONTROL_PLANE_FILES : WORKER_FILES(name);
    await runOk('scp', ['-q', '-i', key, '-P', String(n.port), '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${knownHosts}`,
      ...files, `${fleet.user}@${n.host}:${n.remoteDir}/`], { cwd: pki });
  }
}

test('upload the tutorial\'s cfssl PKI, read the report, adopt it, verify the fleet: every node in sync, nothing written', async ({ page, server, fleet }, testInfo) => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kpki-e2e-import-'));
  try {
    const pki = path.join(work, 'pki');
    let archive = '';
    await test.step('the tutorial\'s PKI by cfssl, on the nodes as its scp loop leaves them', async () => {
      await writeCfsslPki(pki);
      archive = path.join(work, 'pki.tar.gz');
      await tarGz(work, archive, ['pki']);
      await scpLoop(fleet, pki, work, await createPinnedCluster(server, fleet));
      for (const name of FLEET_NODES) expect(fs.readdirSync(fleet.node(name).remoteDir).length, name).toBe(name.startsWith('cp') ? 12 : 5);
    });
    const before = stamps(fleet);

    await test.step('upload the archive: the password is asked (it holds the CA key), the report shows', async () => {
      await signIn(page, server);
      await page.goto(`${server.url}/clusters/${CLUSTER}`);
      await page.getByTestId('nav-import').click();
      await expect(page).toHaveURL(new RegExp(`/clusters/${CLUSTER}/import`));
      await page.getByTestId('import-archive').setInputFiles(archive);
      await clickWithPassword(page, page.getByTestId('import-upload'), () => expect(page.getByTestId('import-summary')).toBeVisible({ timeout: 30_000 }));
    });

    await test.step('the report: 10 certificates recognised with no difference from the plan, the CSRs set aside', async () => {
      const summary = page.getByTestId('import-summary');
      await expect(summary).toHaveAttribute('data-adoptable', 'true');
      await expect(summary).toHaveAttribute('data-state', 'pending');
      await expect(page.getByTestId('import-ca-key')).toBeVisible();
      const rows = page.getByTestId('import-files').locator('tbody tr');
      await expect(rows).toHaveCount(10);
      for (const name of ['ca', 'admin', 'worker1', 'worker2', 'kube-controller-manager', 'kube-proxy', 'kube-scheduler', 'kubernetes', 'etcd', 'service-account']) {
        const row = page.getByTestId(`import-file-${name}`);
        await expect(row, name).toHaveAttribute('data-problems', '0');
        await expect(row, name).toHaveAttribute('data-path', `${name}.pem`);
        await expect(page.getByTestId(`import-problems-${name}`)).toHaveText('matches the plan');
        await expect(page.getByTestId(`import-expiry-${name}`)).toHaveAttribute('data-level', 'ok');
      }
      await expect(page.getByTestId('import-file-worker1')).toContainText('CN system:node:worker1');
      await expect(page.getByTestId('import-unrecognised')).toContainText('kubernetes.csr: a certificate signing request');
      await expect(page.getByTestId('import-report-problems')).toHaveCount(0);
      await page.waitForLoadState('networkidle');
      const violations = await seriousViolations(page);
      expect(violations, describeViolations(violations)).toEqual([]);
      // nothing stored yet: the cluster has no CA
      expect((await server.api('GET', `/clusters/${CLUSTER}`)).hasCa).toBe(false);
    });

    await test.step('adopt: every certificate becomes the cluster\'s current version', async () => {
      await clickWithPassword(page, page.getByTestId('import-adopt'), () => expect(page.getByTestId('import-adopted')).toBeVisible({ timeout: 30_000 }));
      await expect(page.getByTestId('import-adopted')).toHaveAttribute('data-count', '10');
      await expect(page.getByTestId('import-summary')).toHaveAttribute('data-state', 'adopted');
      expect((await server.api('GET', `/clusters/${CLUSTER}`)).hasCa).toBe(true);
      const served = await server.api('GET', `/clusters/${CLUSTER}/certificates/kubernetes`);
      expect(served.pem.trim()).toBe(fs.readFileSync(path.join(pki, 'kubernetes.pem'), 'utf8').trim());
    });

    await test.step('verify the fleet: every node in sync, and no file was written', async () => {
      await page.getByTestId('import-verify').click();
      const job = page.getByTestId('running-job').getByTestId('job-progress');
      await expect(job).toHaveAttribute('data-status', 'succeeded', { timeout: JOB_TIMEOUT });
      const { items } = await server.api<{ items: Array<{ name: string; status: { state: string } }> }>('GET', `/clusters/${CLUSTER}/nodes`);
      const states = Object.fromEntries(items.filter((n) => FLEET_NODES.includes(n.name)).map((n) => [n.name, n.status.state]));
      expect(states).toEqual(Object.fromEntries(FLEET_NODES.map((n) => [n, 'in-sync'])));
      expect(stamps(fleet)).toEqual(before);
      await page.getByRole('link', { name: 'See the nodes' }).click();
      for (const name of FLEET_NODES) await expect(page.getByTestId(`node-row-${name}`)).toHaveAttribute('data-state', 'in-sync');
    });
    await screenshotEnd(page, testInfo, 'import');
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
});
