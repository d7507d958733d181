/**
 * What `npm start` and `npm test` need before they run: pnpm at the pinned version, the
 * dependencies from the lockfile, and (for tests, when root) the Debian packages of the real
 * parts. Each step prints what it does; each is skipped when already done.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const PNPM_VERSION = pkg.packageManager.split('@')[1];

/** Debian packages of the real parts the tests use: binary -> package. */
export const TEST_PACKAGES = {
  '/usr/sbin/sshd': 'openssh-server',
  '/usr/bin/ssh-keygen': 'openssh-client',
  '/usr/bin/etcd': 'etcd-server',
  '/usr/bin/etcdctl': 'etcd-client',
  '/usr/bin/cfssl': 'golang-cfssl',
  '/usr/bin/openssl': 'openssl',
  '/usr/bin/chromium': 'chromium',
  '/usr/bin/kubectl': 'kubernetes-client',
  '/usr/bin/promtool': 'prometheus',
  '/usr/bin/zip': 'zip',
};

export function step(message) {
  console.log(`\x1b[1m==> ${message}\x1b[0m`);
}

export function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) {
    console.error(`\nkpki: \`${cmd} ${args.join(' ')}\` failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

function pnpmVersion() {
  try {
    return execFileSync('pnpm', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** Installs pnpm (pinned) globally with npm when it is missing or another version. */
export function ensurePnpm() {
  if (pnpmVersion() === PNPM_VERSION) return;
  step(`installing pnpm ${PNPM_VERSION} with npm`);
  sh('npm', ['install', '-g', `pnpm@${PNPM_VERSION}`, '--no-fund', '--no-audit']);
}

/** pnpm install from the lockfile (better-sqlite3 compiles from source the first time, ~2 min). */
export function ensureDependencies() {
  ensurePnpm();
  step('installing dependencies from the lockfile');
  sh('pnpm', ['install', '--frozen-lockfile', '--reporter=append-only']);
}

/** Installs missing Debian packages when root; otherwise says what to install. */
export function ensureSystemPackages(packages = TEST_PACKAGES) {
  const missing = [...new Set(Object.entries(packages).filter(([bin]) => !fs.existsSync(bin)).map(([, p]) => p))];
  if (!missing.length) return;
  if (process.getuid?.() !== 0) {
    console.error(`kpki: the tests need these Debian packages: ${missing.join(' ')}\n  run: sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`);
    process.exit(1);
  }
  step(`installing Debian packages: ${missing.join(' ')}`);
  sh('apt-get', ['update'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  sh('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

export function buildWeb() {
  step('building the web app');
  sh('pnpm', ['--filter', '@kpki/web', 'build']);
}

/**
 * Compiles the server to apps/server/dist/ (server.js, kpki-admin.js) with esbuild; with
 * `ifStale` only when a source is newer than the output.
 */
export function buildServer({ ifStale = false, quiet = false } = {}) {
  if (!quiet) step('building the server');
  sh(process.execPath, [path.join(root, 'apps/server/build.mjs'), ...(ifStale ? ['--if-stale'] : [])], quiet ? { stdio: ['ignore', 'ignore', 'inherit'] } : {});
}

/** Compiles the command line to apps/cli/dist/kpki.js (esbuild, like the server); with `ifStale` only when a source is newer. */
export function buildCli({ ifStale = true } = {}) {
  step('building the command line (kpki)');
  sh(process.execPath, [path.join(root, 'apps/cli/build.mjs'), ...(ifStale ? ['--if-stale'] : [])]);
}
