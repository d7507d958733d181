/**
 * The command line `kpki` (apps/cli, issue 17) against a real server process and a fleet of real
 * sshd nodes: login with an API token (stored 0600), issue the preset, distribute to all,
 * redistribute one node, status, a certificate checked with openssl, a node bundle, every
 * command once with --json parsed; a failing node makes `kpki distribute` exit non-zero naming
 * it; the CA key asked for with a token is refused with the rule in the message.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, SERVER_PASSWORD, startFleet, startServer, type Fleet, type ServerProcess } from './support.ts';
import { signInHttp, type Client } from './helpers/http-client.ts';
import { untar } from './helpers/untar.ts';
import { ProgressView } from '../../cli/src/progress.ts';

const BIN = path.join(ROOT, 'apps/cli/bin/kpki.mjs');
const FLEET = ['cp1', 'cp2', 'worker1', 'worker2'];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('kpki, the command line, against a real server and sshd fleet', () => {
  let dataDir = '';
  let work = '';
  let server: ServerProcess | undefined;
  let fleet: Fleet | undefined;
  let admin: Client;
  let token = '';
  /** the environment of every run: a config folder of its own, no KPKI_URL / KPKI_TOKEN */
  let env: NodeJS.ProcessEnv;

  const kpki = (args: string[], extra: NodeJS.ProcessEnv = {}, input?: string): Promise<Run> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...args], { cwd: work, env: { ...env, ...extra }, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
      child.stdin.end(input ?? '');
    });
  /** A run with --json: exit 0 expected, stdout parsed. */
  const kpkiJson = async (args: string[]) => {
    const r = await kpki([...args, '--json']);
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    return JSON.parse(r.stdout);
  };
  const openssl = (args: string[]) => spawnSync('openssl', args, { cwd: work, encoding: 'utf8' });

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpki-cli-data-'));
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'kpki-cli-work-'));
    env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KPKI_')));
    env.XDG_CONFIG_HOME = path.join(work, 'config');
    server = await startServer(dataDir);
    // the admin sets the cluster up in a browser-like session (pinning control-plane nodes follows the CA key rule)
    admin = await signInHttp(server.base, 'admin', undefined, { elevate: true });
    const preset = await admin.get('/presets/hard-way');
    expect((await admin.req('POST', '/clusters', preset)).status).toBe(201);
    const key = await admin.get('/clusters/hard-way/ssh-key');
    fleet = await startFleet({ nodes: FLEET.map((name) => ({ name })), authorizedKeys: [key.publicKey] });
    for (const name of FLEET) {
      const n = fleet.node(name);
      const res = await admin.req('PUT', `/clusters/hard-way/nodes/${name}/ssh`, { host: n.host, port: n.port, user: fleet.user, remoteDir: n.remoteDir, hostKey: n.hostKeyFingerprint });
      expect(res.status, res.text).toBe(200);
    }
    // an admin's own API token: the strongest token there is, and still no CA key
    const created = await admin.req('POST', '/tokens', { name: 'cli-test' });
    expect(created.status).toBe(201);
    token = created.json.token;
  }, 240_000);

  afterAll(async () => {
    await fleet?.stop();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('without a token: exit 3 (UNAUTHENTICATED) and how to log in; unknown commands: exit 2', async () => {
    const r = await kpki(['clusters']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('kpki login');
    const bad = await kpki(['frobnicate']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown command "frobnicate"');
  });

  test('login with a token: stored in the config folder with mode 0600; a wrong token is refused (exit 3)', async () => {
    const wrong = await kpki(['login', '--url', server!.base, '--token', 'kpki_not-a-token']);
    expect(wrong.code).toBe(3);
    const r = await kpki(['login', '--url', server!.base, '--token-stdin', '--json'], {}, `${token}\n`);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.user).toMatchObject({ username: 'admin', role: 'admin' });
    const file = path.join(work, 'config/kpki/config.json');
    expect(out.stored).toBe(file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ url: server!.base, token });
  });

  test('KPKI_URL and KPKI_TOKEN are used instead of the stored file', async () => {
    const r = await kpki(['clusters', '--json'], { XDG_CONFIG_HOME: path.join(work, 'empty'), KPKI_URL: `${server!.base}/`, KPKI_TOKEN: token });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).map((c: { name: string }) => c.name)).toEqual(['hard-way']);
  });

  test('clusters and plan, as text and as JSON', async () => {
    const list = await kpki(['clusters']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^NAME\s+NODES\s+CA/);
    expect(list.stdout).toMatch(/hard-way\s+5\s+no/);
    expect((await kpkiJson(['clusters']))[0].name).toBe('hard-way');

    const plan = await kpki(['plan', 'hard-way']);
    expect(plan.code).toBe(0);
    // the API server certificate's SAN table, with the reason of each SAN
    const expected = (await admin.get('/clusters/hard-way/plan')).certificates.find((c: { name: string }) => c.name === 'kubernetes');
    for (const san of expected.sans) expect(plan.stdout).toMatch(new RegExp(`${san.type.toUpperCase()}\\s+${san.value.replace(/\./g, '\\.')}\\s+${san.reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect((await kpkiJson(['plan', 'hard-way'])).certificates.map((c: { name: string }) => c.name)).toContain('kubernetes');
  });

  test('issue the preset: the CA is created, the issuance followed to its end (plain progress lines off a terminal)', async () => {
    const r = await kpki(['issue', 'hard-way']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('created the CA of hard-way');
    expect(r.stderr).toMatch(/issuing hard-way: \d+\/\d+\n/);
    const planned = (await admin.get('/clusters/hard-way/plan')).certificates.length;
    expect(r.stdout).toContain(`issued ${planned - 1} certificates of hard-way`);
    expect((await admin.get('/clusters/hard-way/certificates')).items).toHaveLength(planned);
    // again, as JSON: the CA exists now, the job is the API's Job
    const again = await kpkiJson(['issue', 'hard-way']);
    expect(again.ca).toBeNull();
    expect(again.job.status).toBe('succeeded');
    expect(again.job.type).toBe('issuance');
  }, 240_000);

  test('distribute to all, then redistribute one node; status; a token leaves the CA key out and says why', async () => {
    const all = await kpki(['distribute', 'hard-way']);
    expect(all.code, all.stderr).toBe(0);
    for (const n of FLEET) expect(all.stdout).toMatch(new RegExp(`^${n}\\s+in-sync|^${n}\\s+missing`, 'm'));
    expect(all.stdout).toContain('an API token never gets it');
    expect(all.stderr).toMatch(/distributing hard-way: 4\/4/);
    expect(fs.existsSync(path.join(fleet!.node('worker1').remoteDir, 'worker1.pem'))).toBe(true);
    expect(fs.existsSync(path.join(fleet!.node('cp1').remoteDir, 'kubernetes.pem'))).toBe(true);
    expect(fs.existsSync(path.join(fleet!.node('cp1').remoteDir, 'ca-key.pem'))).toBe(false);

    const before = fs.statSync(path.join(fleet!.node('worker2').remoteDir, 'worker2.pem')).mtimeMs;
    const one = await kpkiJson(['distribute', 'hard-way', '--node', 'worker1']);
    expect(one.status).toBe('succeeded');
    expect(one.params.nodes).toEqual(['worker1']);
    expect(Object.keys(one.result.nodes)).toEqual(['worker1']);
    expect(fs.statSync(path.join(fleet!.node('worker2').remoteDir, 'worker2.pem')).mtimeMs).toBe(before);

    const status = await kpki(['status', 'hard-way']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^worker1\s+worker\s+in-sync\s+7\/7/m);
    expect(status.stdout).toMatch(/^lb\s+load-balancer\s+nothing-to-hold/m);
    expect(status.stdout).toMatch(/cp1: .*ca-key\.pem/);
    const nodes = await kpkiJson(['status', 'hard-way']);
    expect(nodes.find((n: { name: string }) => n.name === 'worker2').status.state).toBe('in-sync');
  }, 240_000);

  test('a certificate: summary, PEM checked with openssl against the CA, OpenSSL-style text', async () => {
    const summary = await kpki(['cert', 'hard-way', 'worker1']);
    expect(summary.code).toBe(0);
    expect(summary.stdout).toMatch(/^subject {6}.*O=system:nodes.*CN=system:node:worker1$/m);
    expect(summary.stdout).toMatch(/DNS\s+worker1\s+/);
    expect((await kpki(['cert', 'hard-way', 'ca', '--pem', '-o', 'ca.pem'])).code).toBe(0);
    expect((await kpki(['cert', 'hard-way', 'worker1', '--pem', '-o', 'worker1.pem'])).code).toBe(0);
    const verify = openssl(['verify', '-CAfile', 'ca.pem', 'worker1.pem']);
    expect(verify.stdout.trim(), verify.stderr).toBe('worker1.pem: OK');
    const subject = openssl(['x509', '-noout', '-subject', '-in', 'worker1.pem']);
    expect(subject.stdout).toContain('CN = system:node:worker1');
    const text = await kpki(['cert', 'hard-way', 'worker1', '--text']);
    expect(text.stdout).toContain('Subject Alternative Name');
    const detail = await kpkiJson(['cert', 'hard-way', 'worker1']);
    expect(detail.pem).toBe(fs.readFileSync(path.join(work, 'worker1.pem'), 'utf8'));
    // a leaf key is an operator's download: written 0600
    expect((await kpki(['cert', 'hard-way', 'worker1', '--key', '-o', 'worker1-key.pem'])).code).toBe(0);
    expect(fs.statSync(path.join(work, 'worker1-key.pem')).mode & 0o777).toBe(0o600);
    const match = openssl(['x509', '-noout', '-pubkey', '-in', 'worker1.pem']).stdout;
    expect(openssl(['pkey', '-pubout', '-in', 'worker1-key.pem']).stdout).toBe(match);
  });

  test('a node\'s bundle as tar.gz (mode 0600), its files inside', async () => {
    const r = await kpkiJson(['bundle', 'hard-way', '--node', 'worker1', '-o', 'w1.tar.gz']);
    expect(r).toMatchObject({ cluster: 'hard-way', node: 'worker1', file: path.join(fs.realpathSync(work), 'w1.tar.gz') });
    const file = path.join(work, 'w1.tar.gz');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const files = await untar(fs.readFileSync(file));
    expect([...files.keys()].map((f) => path.basename(f))).toEqual(expect.arrayContaining(['ca.pem', 'worker1.pem', 'worker1-key.pem', 'worker1.kubeconfig']));
  });

  test('the CA key with a token: refused (exit 4, REAUTH_REQUIRED) with the rule in the message; nothing written', async () => {
    const key = await kpki(['cert', 'hard-way', 'ca', '--key', '-o', 'ca-key.pem']);
    expect(key.code).toBe(4);
    expect(key.stderr).toContain('REAUTH_REQUIRED');
    expect(key.stderr).toContain('the CA key rule');
    expect(key.stderr).toContain('an API token never gets it');
    expect(fs.existsSync(path.join(work, 'ca-key.pem'))).toBe(false);
    const whole = await kpki(['bundle', 'hard-way', '-o', 'all.tar.gz', '--json']);
    expect(whole.code).toBe(4);
    const err = JSON.parse(whole.stdout).error;
    expect(err.code).toBe('REAUTH_REQUIRED');
    expect(err.message).toContain('an API token never gets it');
    expect(fs.existsSync(path.join(work, 'all.tar.gz'))).toBe(false);
  });

  test('a failing node: `kpki distribute` exits 1 and names it; the others are written', async () => {
    await fleet!.stopNode('worker2');
    try {
      const r = await kpki(['distribute', 'hard-way']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/the distribution failed on worker2 \(NODES_FAILED\)/);
      expect(r.stderr).toMatch(/^ {2}worker2: .+\(SSH_[A-Z_]+\)$/m);
      expect(r.stdout).toMatch(/^worker2\s+FAILED/m);
      expect(r.stdout).toMatch(/^worker1\s+in-sync/m);
      const json = await kpki(['distribute', 'hard-way', '--node', 'worker2', '--json']);
      expect(json.code).toBe(1);
      const job = JSON.parse(json.stdout);
      expect(job.status).toBe('failed');
      expect(job.error.code).toBe('NODES_FAILED');
      expect(json.stderr).toContain('worker2');
    } finally {
      await fleet!.startNode('worker2');
    }
  }, 240_000);

  test('login with a user name and the password on stdin: kpki creates a token of that user and stores only the token', async () => {
    const xdg = path.join(work, 'config-by-password');
    const r = await kpki(['login', '--url', server!.base, '--user', 'admin', '--password-stdin', '--json'], { XDG_CONFIG_HOME: xdg }, `${SERVER_PASSWORD}\n`);
    expect(r.code, r.stderr).toBe(0);
    const stored = JSON.parse(fs.readFileSync(path.join(xdg, 'kpki/config.json'), 'utf8'));
    expect(stored.token).not.toBe(token);
    expect(JSON.stringify(stored)).not.toContain(SERVER_PASSWORD);
    const tokens = (await admin.get('/tokens')).items.map((t: { name: string }) => t.name);
    expect(tokens.some((n: string) => n.startsWith('kpki-cli '))).toBe(true);
    expect((await kpki(['clusters', '--json'], { XDG_CONFIG_HOME: xdg })).code).toBe(0);
  });

  test('`npx kpki` from the repository: the workspace binary', async () => {
    const r = spawnSync(path.join(ROOT, 'node_modules/.bin/kpki'), ['--version'], { cwd: ROOT, env, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test('progress: a bar redrawn in place on a terminal, plain lines otherwise', () => {
    let tty = '';
    const bar = new ProgressView({ isTTY: true, write: (t) => void (tty += t) }, 'distributing');
    bar.progress(1, 4);
    bar.progress(4, 4);
    bar.end();
    expect(tty).toBe(`\rdistributing [${'#'.repeat(7)}${'-'.repeat(21)}] 1/4\rdistributing [${'#'.repeat(28)}] 4/4\n`);
    let plain = '';
    const lines = new ProgressView({ isTTY: false, write: (t) => void (plain += t) }, 'distributing');
    lines.progress(1, 4);
    lines.progress(1, 4);
    lines.progress(4, 4);
    lines.end();
    expect(plain).toBe('distributing: 1/4\ndistributing: 4/4\n');
  });
});
