/**
 * The compiled server, run the way the container image runs it: the final stage's CMD of the
 * Dockerfile (read from the file, not copied here) from the repository root (the image's
 * WORKDIR), with the image's ENV except that it listens on 127.0.0.1 and a free port. It must
 * need no TypeScript at run time and only the server's production dependencies (the image
 * prunes the others), serve the API and the web app, and issue a CA (the X.509 code loads).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { builtinModules } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { hardWayPreset } from '@kpki/shared/preset';
import { tempDataDir } from './helpers/app.ts';
import { signInHttp, type Client } from './helpers/http-client.ts';
import { buildServerIfStale, freePort, ROOT, SERVER_PASSWORD, type ServerProcess } from './support.ts';
import { removeDir } from './helpers/tools.ts';
import { spawn } from 'node:child_process';

/** The last stage of the Dockerfile: its ENV pairs and its CMD (exec form). */
function imageStage(): { env: Record<string, string>; cmd: string[]; workdir: string } {
  const text = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const last = text.slice(text.lastIndexOf('\nFROM '));
  const env: Record<string, string> = {};
  for (const m of last.matchAll(/^ENV (.+)$/gm)) for (const [, k, v] of m[1].matchAll(/(\w+)=(\S+)/g)) env[k] = v;
  const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(last)![1]) as string[];
  return { env, cmd, workdir: /^WORKDIR (\S+)$/m.exec(last)![1] };
}

describe('the built server as the container runs it', () => {
  const stage = imageStage();
  let dataDir: string;
  let server: ServerProcess;
  let api: Client;

  beforeAll(async () => {
    buildServerIfStale();
    dataDir = tempDataDir();
    const port = await freePort();
    const [cmd, ...args] = stage.cmd;
    const child = spawn(cmd === 'node' ? process.execPath : cmd, args, {
      cwd: ROOT,
      // the image's environment only (no NODE_OPTIONS, no loader of this test process)
      env: { PATH: process.env.PATH ?? '', ...stage.env, KPKI_HOST: '127.0.0.1', KPKI_PORT: String(port), KPKI_DATA_DIR: dataDir, KPKI_ADMIN_PASSWORD: SERVER_PASSWORD },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
    let gone = false;
    void exited.then(() => (gone = true));
    const base = `http://127.0.0.1:${port}`;
    const stop = async () => {
      if (!gone) child.kill('SIGTERM');
      await exited;
    };
    server = { pid: child.pid!, base, output: () => out, stop, kill: stop, exited };
    for (const until = Date.now() + 60_000; Date.now() < until && !gone;) {
      if (await fetch(`${base}/api/v1/health`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    if (gone) throw new Error(`the built server exited:\n${out}`);
    api = await signInHttp(base, 'admin', SERVER_PASSWORD);
  });

  afterAll(async () => {
    await server?.stop();
    await removeDir(dataDir);
  });

  test('the image runs compiled JavaScript from its WORKDIR, without tsx', () => {
    expect(stage.workdir).toBe('/app');
    expect(stage.cmd).toEqual(['node', 'apps/server/dist/server.js']);
    expect(stage.cmd.join(' ')).not.toMatch(/tsx|\.ts\b|--import|--loader/);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'apps/server/package.json'), 'utf8'));
    expect(Object.keys(pkg.dependencies)).not.toContain('tsx');
  });

  test('the bundle imports only node built-ins and production dependencies of the server', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'apps/server/package.json'), 'utf8'));
    const bundle = fs.readFileSync(path.join(ROOT, 'apps/server/dist/server.js'), 'utf8');
    const specifiers = [...bundle.matchAll(/^import .*?from "([^"]+)";$|^import "([^"]+)";$/gm)].map((m) => m[1] ?? m[2]);
    expect(specifiers.length).toBeGreaterThan(5);
    const packageOf = (s: string) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]);
    const outside = specifiers.filter((s) => !s.startsWith('node:') && !builtinModules.includes(s)).map(packageOf)
      .filter((p) => !(p in pkg.dependencies) || p.startsWith('@kpki/'));
    expect(outside).toEqual([]);
  });

  test('it serves the API, the OpenAPI page and the web app', async () => {
    expect((await api.get('/session')).user.username).toBe('admin');
    expect((await fetch(`${server.base}/api/docs/json`)).status).toBe(200);
    if (fs.existsSync(path.join(ROOT, 'apps/web/dist/index.html'))) {
      const page = await fetch(`${server.base}/clusters`);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(await page.text()).toContain('<div id="root">');
    }
  });

  test('it creates a cluster and its CA, and reads the certificate back', async () => {
    const preset = hardWayPreset();
    expect((await api.req('POST', '/clusters', preset)).status).toBe(201);
    const ca = await api.req('POST', `/clusters/${preset.name}/ca`);
    expect(ca.status, ca.text).toBe(201);
    const detail = await api.get(`/clusters/${preset.name}/certificates/ca`);
    expect(detail.basicConstraints).toEqual({ critical: true, ca: true });
    expect(detail.chain.ok).toBe(true);
    expect(detail.recipients).toEqual(ca.json.recipients);
  });
});
