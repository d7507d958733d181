/**
 * Remote folder safety (issue 8, item 8), against real sshd: a remote folder that is, or lies
 * under, a symbolic link is refused (nothing is written through it) unless the node's SSH settings
 * allow links; "/" and system folders are refused, by the topology check and on the node (also
 * when a link leads there); folders kpki creates are 0700 whatever the umask.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Job } from '@kpki/shared';
import { connect, type SshSession } from '../src/ssh/transport.ts';
import { SshError } from '../src/ssh/errors.ts';
import { startFleet, startKeyedFleet, type Fleet, type KeyedFleet } from './support.ts';
import { issuedCluster, tempDataDir, testApp, waitJob } from './helpers/app.ts';
import { dump } from './helpers/db-dump.ts';

type App = FastifyInstance & { rawInject: FastifyInstance['inject'] };

/** A folder under the fleet node's base owned by the fleet user (made by root, as an admin on the node would). */
function folderFor(node: { remoteDir: string }, ...parts: string[]): string {
  const dir = path.join(path.dirname(node.remoteDir), ...parts);
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  const { uid, gid } = fs.statSync(node.remoteDir);
  fs.chownSync(dir, uid, gid);
  return dir;
}
const sshError = (p: Promise<unknown>) => p.then(() => { throw new Error('expected an SshError'); }, (e: unknown) => e as SshError);

describe('the SSH transport on a real node', () => {
  let kf: KeyedFleet;
  let s: SshSession;
  beforeAll(async () => {
    kf = await startKeyedFleet(['n1']);
    s = await connect(kf.opts('n1'));
  });
  afterAll(async () => {
    await s?.close();
    await kf?.fleet.stop();
  });

  test('a folder that is a symbolic link is refused, naming where it leads; with followLinks its real path is used', async () => {
    const real = folderFor(kf.node('n1'), 'real-pki');
    const link = path.join(path.dirname(kf.node('n1').remoteDir), 'link-pki');
    fs.symlinkSync(real, link);
    const err = await sshError(s.resolveDir(link));
    expect(err.code).toBe('SSH_NOT_CONFIGURED');
    expect(err.message).toContain(`${link} leads to ${real}`);
    expect(err.message).toContain('followLinks');
    expect(await s.resolveDir(link, true)).toBe(real);
    expect(await s.resolveDir(real)).toBe(real);
  });

  test('a folder under a symbolic link that does not exist yet is refused, and nothing is created behind the link', async () => {
    const target = folderFor(kf.node('n1'), 'elsewhere');
    const link = path.join(path.dirname(kf.node('n1').remoteDir), 'linked-parent');
    fs.symlinkSync(target, link);
    const err = await sshError(s.resolveDir(`${link}/pki`));
    expect(err.message).toContain(`leads to ${target}/pki`);
    expect(fs.readdirSync(target)).toEqual([]);
  });

  test('"/", /etc and ~/.ssh are refused before anything is read; a link that leads to /etc is refused even with followLinks', async () => {
    for (const dir of ['/', '/etc', '/etc/', '~/.ssh']) {
      expect((await sshError(s.resolveDir(dir))).code, dir).toBe('SSH_NOT_CONFIGURED');
    }
    const link = path.join(path.dirname(kf.node('n1').remoteDir), 'to-etc');
    fs.symlinkSync('/etc', link);
    const err = await sshError(s.resolveDir(link, true));
    expect(err.message).toContain('really /etc');
    expect(err.message).toContain('system folder /etc');
  });

  test('folders kpki creates are 0700, every level, whatever the umask', async () => {
    const base = folderFor(kf.node('n1'), 'made');
    const dir = await s.resolveDir(`${base}/a/b`);
    const old = process.umask(0);
    try {
      await s.ensureDir(dir);
    } finally {
      process.umask(old);
    }
    for (const d of [`${base}/a`, `${base}/a/b`]) expect(fs.statSync(d).mode & 0o777, d).toBe(0o700);
  });
});

describe('distribution to a node whose remote folder is a link', () => {
  let dataDir = '';
  let app: App;
  let fleet: Fleet;
  let cluster: string;
  const api = (url: string) => `/api/v1/clusters/${cluster}${url}`;
  const distribute = async (): Promise<Job> => waitJob(app, (await app.inject({ method: 'POST', url: api('/distributions'), payload: { nodes: ['worker1'] } })).json().jobId);

  beforeAll(async () => {
    dataDir = tempDataDir();
    app = await testApp(dataDir);
    cluster = await issuedCluster(app);
    const { publicKey } = (await app.inject(api('/ssh-key'))).json();
    fleet = await startFleet({ nodes: [{ name: 'worker1' }], authorizedKeys: [publicKey] });
  });
  afterAll(async () => {
    await fleet?.stop();
    await app?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('writes nothing through the link; "/" and /etc are refused when saved (database unchanged); allowed links are followed', async () => {
    const n = fleet.node('worker1');
    const real = folderFor(n, 'worker1-real');
    const link = path.join(path.dirname(n.remoteDir), 'worker1-link');
    fs.symlinkSync(real, link);
    const ssh = { host: n.host, port: n.port, user: fleet.user, hostKey: n.hostKeyFingerprint };
    expect((await app.inject({ method: 'PUT', url: api('/nodes/worker1/ssh'), payload: { ...ssh, remoteDir: link } })).statusCode).toBe(200);
    const refused = await distribute();
    expect(refused.status).toBe('failed');
    const result = (refused.result as { nodes: Record<string, { error?: { code: string; message: string } }> }).nodes.worker1;
    expect(result.error).toMatchObject({ code: 'SSH_NOT_CONFIGURED', message: expect.stringContaining('symbolic link') });
    expect(fs.readdirSync(real)).toEqual([]);

    const before = dump(app.deps.db);
    for (const remoteDir of ['/', '/etc', '/usr/bin']) {
      const res = await app.inject({ method: 'PUT', url: api('/nodes/worker1/ssh'), payload: { ...ssh, remoteDir } });
      expect(res.statusCode, remoteDir).toBe(400);
      expect(res.json().error.message).toMatch(/root folder|system folder/);
    }
    expect(dump(app.deps.db)).toBe(before);

    expect((await app.inject({ method: 'PUT', url: api('/nodes/worker1/ssh'), payload: { ...ssh, remoteDir: link, followLinks: true } })).statusCode).toBe(200);
    const allowed = await distribute();
    expect(allowed.status, JSON.stringify(allowed.result)).toBe('succeeded');
    expect(fs.readdirSync(real).sort()).toEqual(expect.arrayContaining(['ca.pem', 'worker1.pem', 'worker1-key.pem']));
    const status = (await app.inject(api('/nodes/worker1/status'))).json();
    expect(status).toMatchObject({ state: 'in-sync', remoteDir: real });
  });
});
