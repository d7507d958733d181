/**
 * npm run demo: a fleet of real sshd nodes shaped like the tutorial's topology on loopback,
 * kpki serving on KPKI_HOST:KPKI_PORT (127.0.0.1:8080), and a cluster "demo" whose nodes point
 * at the fleet with host keys pinned from the fleet's own key files. Ctrl-C stops everything.
 * Data lives in a temporary folder unless KPKI_DATA_DIR is set.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../apps/server/src/app.ts';
import { loadConfig } from '../apps/server/src/config.ts';
import { hardWayPreset } from '../packages/shared/src/preset.ts';
import { startFleet } from './fleet.ts';

const tempData = process.env.KPKI_DATA_DIR ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'kpki-demo-'));
const password = process.env.KPKI_ADMIN_PASSWORD || crypto.randomBytes(12).toString('base64url');
// the demo's fleet is on loopback: allow exactly that network (a LAN deployment names its own)
const config = loadConfig({ KPKI_SSH_ALLOWED_NETWORKS: '127.0.0.0/8', ...process.env, KPKI_DATA_DIR: process.env.KPKI_DATA_DIR || tempData!, KPKI_ADMIN_PASSWORD: password, KPKI_LOG_LEVEL: process.env.KPKI_LOG_LEVEL || 'warn' });
const app = await buildApp(config);

const signIn = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'admin', password } });
if (signIn.statusCode !== 200) throw new Error(`demo: cannot sign in as admin (${signIn.json().error?.message}); unset KPKI_ADMIN_PASSWORD or use a fresh KPKI_DATA_DIR`);
const headers = { cookie: `kpki_session=${signIn.cookies.find((c) => c.name === 'kpki_session')!.value}`, 'x-csrf-token': signIn.json().csrfToken };
// the control-plane nodes' SSH targets decide where the CA key goes: the admin re-enters the password
const elevated = await app.inject({ method: 'POST', url: '/api/v1/session/reauth', headers, payload: { password } });
if (elevated.statusCode !== 200) throw new Error(`demo: cannot re-enter the admin password (${elevated.json().error?.message})`);
const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
  const res = await app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });
  if (res.statusCode >= 400) throw new Error(`demo: ${method} ${url}: ${res.body}`);
  return res.json();
};

const preset = { ...hardWayPreset(), name: 'demo' };
const existing = (await call('GET', '/clusters')).items.some((c: { name: string }) => c.name === 'demo');
if (!existing) await call('POST', '/clusters', preset);
const { publicKey } = await call('GET', '/clusters/demo/ssh-key');
const fleet = await startFleet({ nodes: preset.nodes.map((n) => ({ name: n.name })), authorizedKeys: [publicKey] });

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping kpki and the fleet…');
  await app.close().catch(() => {});
  await fleet.stop().catch(() => {});
  if (tempData) fs.rmSync(tempData, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

try {
  for (const n of fleet.nodes) {
    await call('PUT', `/clusters/demo/nodes/${n.name}/ssh`, { host: n.host, port: n.port, user: fleet.user, hostKey: n.hostKeyFingerprint });
  }
  await app.listen({ host: config.host, port: config.port });
} catch (err) {
  console.error((err as Error).message);
  await stop();
}

const url = `http://${config.host}:${config.port}`;
console.log(`
kpki demo is running: ${url}   (API docs: ${url}/api/docs)
  sign in as admin / ${process.env.KPKI_ADMIN_PASSWORD ? '(your KPKI_ADMIN_PASSWORD)' : password}
  cluster "demo": the tutorial's topology, each node a real sshd on loopback:
${fleet.nodes.map((n) => `    ${n.name.padEnd(8)} ${n.host}:${n.port}  ${n.hostKeyFingerprint}  -> ${n.remoteDir}`).join('\n')}
  open the cluster, create the CA, review the plan, issue, distribute. Ctrl-C stops everything.
`);
