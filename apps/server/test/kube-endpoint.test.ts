/**
 * The loopback API-server stand-in (helpers/kube-endpoint.ts) judged by real kubectl: a client
 * certificate of the cluster's CA is the user its CN and O say, the server certificate is
 * verified for the address given with --tls-server-name, and a client certificate of another
 * CA is unauthorized. Nothing dials a non-loopback address.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fs from 'node:fs/promises';
import path from 'node:path';
import { issueCluster, type IssuedCluster } from './helpers/pki.ts';
import { startKubeEndpoint, type KubeEndpoint } from './helpers/kube-endpoint.ts';
import { removeDir, requireTool, run, runOk, tmpDir } from './helpers/tools.ts';

const KUBECTL = '/usr/bin/kubectl';

describe('kube-endpoint against real kubectl', () => {
  let dir = '';
  let pki: IssuedCluster;
  let foreign: IssuedCluster;
  let endpoint: KubeEndpoint | undefined;

  /** A kubeconfig written by kubectl itself, with the given client pair embedded. */
  async function kubeconfig(name: string, cert: string, key: string): Promise<string> {
    const file = path.join(dir, `${name}.kubeconfig`);
    await fs.writeFile(path.join(dir, 'ca.pem'), pki.ca.certPem);
    await fs.writeFile(path.join(dir, `${name}.pem`), cert);
    await fs.writeFile(path.join(dir, `${name}-key.pem`), key, { mode: 0o600 });
    const k = (...args: string[]) => runOk(KUBECTL, [...args, `--kubeconfig=${file}`]);
    await k('config', 'set-cluster', 'test', `--certificate-authority=${path.join(dir, 'ca.pem')}`, '--embed-certs=true', `--server=https://192.168.56.20:6443`);
    await k('config', 'set-credentials', name, `--client-certificate=${path.join(dir, `${name}.pem`)}`, `--client-key=${path.join(dir, `${name}-key.pem`)}`, '--embed-certs=true');
    await k('config', 'set-context', 'default', '--cluster=test', `--user=${name}`);
    await k('config', 'use-context', 'default');
    return file;
  }

  const whoami = (file: string, serverName: string) =>
    run(KUBECTL, ['--kubeconfig', file, '--server', endpoint!.url, '--tls-server-name', serverName, 'auth', 'whoami', '-o', 'json'], { timeoutMs: 30_000 });

  beforeAll(async () => {
    requireTool(KUBECTL, 'kubernetes-client');
    dir = await tmpDir('kpki-kube-endpoint-');
    pki = await issueCluster({ algorithm: 'ecdsa-p256', only: ['kubernetes', 'admin', 'worker1'] });
    foreign = await issueCluster({ algorithm: 'ecdsa-p256', only: ['admin'] });
    const api = pki.leaves.find((l) => l.name === 'kubernetes')!;
    endpoint = await startKubeEndpoint({ certPem: api.certPem, keyPem: api.keyPem, clientCaPem: pki.ca.certPem });
  });
  afterAll(async () => {
    await endpoint?.stop();
    await removeDir(dir);
  });

  test('admin is admin in system:masters, a kubelet is system:node:<node> in system:nodes', async () => {
    for (const [name, user, group] of [['admin', 'admin', 'system:masters'], ['worker1', 'system:node:worker1', 'system:nodes']]) {
      const leaf = pki.leaves.find((l) => l.name === name)!;
      const r = await whoami(await kubeconfig(name, leaf.certPem, leaf.keyPem), '192.168.56.20');
      expect(r.code, r.stderr).toBe(0);
      const info = JSON.parse(r.stdout).status.userInfo;
      expect(info.username).toBe(user);
      expect(info.groups).toContain(group);
    }
  });

  test('the server certificate is verified for the name kubectl is told to expect', async () => {
    const leaf = pki.leaves.find((l) => l.name === 'admin')!;
    const r = await whoami(await kubeconfig('admin', leaf.certPem, leaf.keyPem), '192.168.56.99');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/x509: certificate is valid for .*not 192\.168\.56\.99/);
  });

  test('a client certificate of another CA is unauthorized', async () => {
    const leaf = foreign.leaves.find((l) => l.name === 'admin')!;
    const before = endpoint!.requests.length;
    const r = await whoami(await kubeconfig('stranger', leaf.certPem, leaf.keyPem), '127.0.0.1');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Unauthorized|must be logged in/);
    expect(endpoint!.requests.slice(before).every((q) => q.user === null)).toBe(true);
  });
});
