/** The SSH/SFTP transport against real OpenSSH sshd nodes on loopback (scripts/fleet.ts). */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SshError } from '../src/ssh/errors.ts';
import { generateDeployKey, parsePrivateKey } from '../src/ssh/keys.ts';
import { connect, scanHostKey, type SshSession } from '../src/ssh/transport.ts';
import { startKeyedFleet, type KeyedFleet } from './support.ts';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const modeOf = (p: string) => fs.statSync(p).mode & 0o7777;

/** Await a promise that must reject with an SshError. */
async function sshError(p: Promise<unknown>): Promise<SshError> {
  const err = await p.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SshError);
  return err as SshError;
}

describe('SSH transport against real sshd', () => {
  let kf: KeyedFleet;
  let session: SshSession;

  beforeAll(async () => {
    kf = await startKeyedFleet(['cp1', 'worker1', 'worker2']);
    session = await connect(kf.opts('cp1'));
  });
  afterAll(async () => {
    await session?.close();
    await kf?.fleet.stop();
  });

  test('fleet nodes: distinct loopback addresses, own folders owned by the non-root user', () => {
    const hosts = kf.fleet.nodes.map((n) => n.host);
    expect(new Set(hosts).size).toBe(hosts.length);
    for (const n of kf.fleet.nodes) {
      expect(n.host).toMatch(/^127\.\d+\.\d+\.\d+$/);
      expect(n.host).not.toBe('127.0.0.1');
      const st = fs.statSync(n.remoteDir);
      expect(st.isDirectory()).toBe(true);
      expect(st.uid).not.toBe(0);
      expect(kf.fleet.user).not.toBe('root');
    }
  });

  test('scanHostKey gives the fingerprint ssh-keygen -lf prints for the node host key', async () => {
    for (const n of kf.fleet.nodes) {
      const scanned = await scanHostKey({ host: n.host, port: n.port });
      const expected = execFileSync('/usr/bin/ssh-keygen', ['-l', '-f', n.hostKeyPath]).toString().split(' ')[1];
      expect(scanned).toEqual({ fingerprint: expected, keyType: 'ssh-ed25519' });
      expect(n.hostKeyFingerprint).toBe(expected);
    }
  });

  test('the generated deploy key logs in; "~" is the node folder (SFTP starts there)', async () => {
    expect(session.hostKey).toBe(kf.node('cp1').hostKeyFingerprint);
    expect(await session.resolveDir()).toBe(kf.node('cp1').remoteDir);
    expect(await session.resolveDir('~')).toBe(kf.node('cp1').remoteDir);
    expect(await session.resolveDir('~/pki')).toBe(`${kf.node('cp1').remoteDir}/pki`);
    expect(await session.resolveDir('/etc/kubernetes/')).toBe('/etc/kubernetes');
  });

  test('resolveDir rejects ".."', async () => {
    for (const bad of ['..', '~/../x', '/tmp/../etc']) {
      const err = await sshError(session.resolveDir(bad));
      expect(err.code).toBe('SSH_NOT_CONFIGURED');
      expect(err.message).toContain('..');
    }
  });

  test('an uploaded RSA key (ssh-keygen) logs in too', async () => {
    const dir = fs.mkdtempSync(path.join(kf.fleet.baseDir, 'rsa-'));
    execFileSync('/usr/bin/ssh-keygen', ['-q', '-t', 'rsa', '-b', '3072', '-N', '', '-f', path.join(dir, 'id')]);
    const uploaded = parsePrivateKey(fs.readFileSync(path.join(dir, 'id'), 'utf8'));
    fs.rmSync(dir, { recursive: true });
    kf.fleet.setAuthorizedKeys([kf.key.publicKey, uploaded.publicKey]);
    const s = await connect(kf.opts('worker1', { privateKey: uploaded.privateKey }));
    expect(await s.resolveDir()).toBe(kf.node('worker1').remoteDir);
    await s.close();
  });

  test('a wrong pinned host key is refused before authentication, and nothing is written', async () => {
    const before = fs.readdirSync(kf.node('worker1').remoteDir);
    const wrong = kf.node('cp1').hostKeyFingerprint;
    const err = await sshError(connect(kf.opts('worker1', { hostKey: wrong })));
    expect(err.code).toBe('SSH_HOST_KEY_MISMATCH');
    expect(err.node).toBe('worker1');
    expect(err.message).toContain(kf.node('worker1').hostKeyFingerprint);
    expect(err.message).toContain(wrong);
    expect(err.message).toMatch(/scan and pin the new key/);
    expect(fs.readdirSync(kf.node('worker1').remoteDir)).toEqual(before);
  });

  test('a missing or malformed pin is refused without connecting', async () => {
    for (const hostKey of [undefined, null, '', 'ab'.repeat(32)]) {
      const err = await sshError(connect(kf.opts('worker1', { hostKey })));
      expect(err.code).toBe('SSH_HOST_KEY_NOT_PINNED');
    }
  });

  test('a key that is not in authorized_keys gives SSH_AUTH_FAILED', async () => {
    const stranger = generateDeployKey('stranger');
    const err = await sshError(connect(kf.opts('worker1', { privateKey: stranger.privateKey })));
    expect(err.code).toBe('SSH_AUTH_FAILED');
    expect(err.message).toContain(stranger.fingerprint);
    expect(err.message).toContain(kf.fleet.user);
  });

  test('a stopped node is SSH_UNREACHABLE; restarted, it answers with the same key and port', async () => {
    const before = { ...kf.node('worker2') };
    await kf.fleet.stopNode('worker2');
    try {
      const err = await sshError(connect(kf.opts('worker2')));
      expect(err.code).toBe('SSH_UNREACHABLE');
      expect(err.detail).toMatch(/refused/); // the exact cause is the admins' detail; the message is the same for every unreachable port
      expect(err.message).toMatch(/no SSH server could be reached/);
      expect((await sshError(scanHostKey({ host: before.host, port: before.port }))).code).toBe('SSH_UNREACHABLE');
    } finally {
      await kf.fleet.startNode('worker2');
    }
    expect(kf.node('worker2').port).toBe(before.port);
    expect(kf.node('worker2').pid).not.toBe(before.pid);
    const s = await connect(kf.opts('worker2'));
    await s.close();
  });

  test('a server that never speaks SSH times out as SSH_UNREACHABLE', async () => {
    const sockets: net.Socket[] = [];
    const server = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const err = await sshError(connect({ ...kf.opts('cp1'), host: '127.0.0.1', port, timeoutMs: 500 }));
      expect(err.code).toBe('SSH_UNREACHABLE');
      expect(err.detail).toMatch(/500 ms/);
      expect(err.message).not.toMatch(/500 ms|silent/);
      expect((await sshError(scanHostKey({ host: '127.0.0.1', port, timeoutMs: 300 }))).code).toBe('SSH_UNREACHABLE');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    }
  });

  test('putAtomic writes exact modes and content, leaves no temp file, replaces existing files', async () => {
    const dir = await session.resolveDir();
    const key = Buffer.from('-----BEGIN PRIVATE KEY-----\nnot really\n-----END PRIVATE KEY-----\n');
    const cert = Buffer.from('-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n');
    await Promise.all([session.putAtomic(dir, 'ca-key.pem', key, 0o600), session.putAtomic(dir, 'ca.pem', cert, 0o644)]);
    expect(fs.readdirSync(dir).sort()).toEqual(['ca-key.pem', 'ca.pem']);
    expect(modeOf(path.join(dir, 'ca-key.pem'))).toBe(0o600);
    expect(modeOf(path.join(dir, 'ca.pem'))).toBe(0o644);
    expect(fs.readFileSync(path.join(dir, 'ca-key.pem'))).toEqual(key);
    expect(fs.statSync(path.join(dir, 'ca.pem')).uid).toBe(fs.statSync(dir).uid);

    // replace a file that has a looser mode and other content
    fs.chmodSync(path.join(dir, 'ca-key.pem'), 0o666);
    const big = Buffer.alloc(300_000, 7); // more than one SFTP write
    await session.putAtomic(dir, 'ca-key.pem', big, 0o600);
    expect(modeOf(path.join(dir, 'ca-key.pem'))).toBe(0o600);
    expect(sha(fs.readFileSync(path.join(dir, 'ca-key.pem')))).toBe(sha(big));
    await session.putAtomic(dir, 'empty.pem', Buffer.alloc(0), 0o644);
    expect(fs.statSync(path.join(dir, 'empty.pem')).size).toBe(0);
    expect(fs.readdirSync(dir).filter((f) => f.includes('kpki-tmp'))).toEqual([]);
  });

  test('sha256 reads files back: hash and mode, null when missing', async () => {
    const dir = await session.resolveDir();
    const content = Buffer.from('hello node\n');
    await session.putAtomic(dir, 'a.pem', content, 0o644);
    fs.writeFileSync(path.join(dir, 'b.pem'), 'changed on the node');
    fs.chmodSync(path.join(dir, 'b.pem'), 0o640);
    const big = Buffer.alloc(200_000, 1);
    fs.writeFileSync(path.join(dir, 'big.pem'), big);
    const { uid, gid } = fs.statSync(dir); // files changed "on the node" belong to the login user
    for (const f of ['b.pem', 'big.pem']) fs.chownSync(path.join(dir, f), uid, gid);
    const got = await session.sha256(dir, ['a.pem', 'b.pem', 'big.pem', 'missing.pem']);
    expect(got).toEqual({
      'a.pem': { sha256: sha(content), mode: 0o644 },
      'b.pem': { sha256: sha('changed on the node'), mode: 0o640 },
      'big.pem': { sha256: sha(big), mode: modeOf(path.join(dir, 'big.pem')) },
      'missing.pem': null,
    });
    expect(await session.sha256(`${dir}/nowhere`, ['a.pem'])).toEqual({ 'a.pem': null });
  });

  test('list gives names, modes, sizes; [] for a missing folder', async () => {
    const dir = await session.resolveDir();
    const entries = await session.list(dir);
    const a = entries.find((e) => e.name === 'a.pem')!;
    expect(a).toMatchObject({ mode: 0o644, size: 11, type: 'file' });
    expect(Math.abs(a.mtimeMs - fs.statSync(path.join(dir, 'a.pem')).mtimeMs)).toBeLessThan(2000);
    expect(entries.map((e) => e.name)).toEqual([...entries.map((e) => e.name)].sort());
    expect(await session.list(`${dir}/nowhere`)).toEqual([]);
  });

  test('ensureDir is mkdir -p; a file in the way is a clear error', async () => {
    const home = await session.resolveDir();
    const deep = await session.resolveDir('~/x/y/z');
    await session.ensureDir(deep);
    await session.ensureDir(deep); // idempotent
    await Promise.all([session.ensureDir(`${home}/p/q`), session.ensureDir(`${home}/p/r`)]);
    expect(fs.statSync(deep).isDirectory()).toBe(true);
    expect(modeOf(deep)).toBe(0o700);
    await session.putAtomic(deep, 'ca.pem', Buffer.from('x'), 0o644);
    expect(fs.readFileSync(path.join(deep, 'ca.pem'), 'utf8')).toBe('x');
    const err = await sshError(session.ensureDir(`${home}/a.pem/sub`));
    expect(err.code).toBe('SSH_WRITE_FAILED');
    expect(err.message).toContain(`${home}/a.pem`);
  });

  test('a folder without write permission gives SSH_WRITE_FAILED naming node and path; nothing left behind', async () => {
    const locked = path.join(kf.fleet.baseDir, 'locked');
    fs.mkdirSync(locked, { mode: 0o555 });
    fs.chmodSync(locked, 0o555); // owned by root, not writable by the login user
    const err = await sshError(session.putAtomic(locked, 'ca-key.pem', Buffer.from('secret'), 0o600));
    expect(err.code).toBe('SSH_WRITE_FAILED');
    expect(err.node).toBe('cp1');
    expect(err.path).toBe(`${locked}/ca-key.pem`);
    expect(err.message).toContain('cp1');
    expect(err.message).toContain(locked);
    expect(err.message).toMatch(/permission denied/);
    expect(fs.readdirSync(locked)).toEqual([]);

    const mk = await sshError(session.ensureDir(`${locked}/sub`));
    expect(mk.code).toBe('SSH_WRITE_FAILED');
    expect(mk.message).toContain(`${locked}/sub`);
  });

  test('a file that cannot be read back gives SSH_VERIFY_FAILED', async () => {
    const dir = await session.resolveDir();
    fs.writeFileSync(path.join(dir, 'root-only.pem'), 'x', { mode: 0o600 }); // owned by root
    fs.chmodSync(path.join(dir, 'root-only.pem'), 0o600);
    const err = await sshError(session.sha256(dir, ['root-only.pem']));
    expect(err.code).toBe('SSH_VERIFY_FAILED');
    expect(err.message).toContain('root-only.pem');
  });

  test('after close, operations fail as SSH_UNREACHABLE', async () => {
    const s = await connect(kf.opts('worker1'));
    await s.close();
    await s.close();
    expect((await sshError(s.list('/tmp'))).code).toBe('SSH_UNREACHABLE');
  });
});
