#!/usr/bin/env node
/**
 * npm test: installs what the tests need (pnpm, dependencies, Debian packages when root),
 * builds the web app and the server (compiled, as `npm start` and the container run it),
 * type-checks, lints (ESLint: the layer boundaries and the recommended basics), builds the
 * container image when an engine runs here, runs the unit/integration suites (vitest) and the
 * browser suite (Playwright with Debian's Chromium), and ends with one line
 * `N passed, N failed` summing all suites.
 * Arguments are passed to vitest (e.g. `npm test -- apps/server/test/api.test.ts`); with
 * arguments the browser suite is skipped unless KPKI_E2E=1.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildCli, buildServer, buildWeb, ensureDependencies, ensureSystemPackages, root, step } from './lib/setup.mjs';

const args = process.argv.slice(2);
ensureSystemPackages();
ensureDependencies();
buildWeb();
buildServer();
buildCli();

const out = path.join(root, '.artifacts');
fs.mkdirSync(out, { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
const bin = (name) => path.join(root, 'node_modules/.bin', name);

step('type-checking');
const tsc = [['-p', 'tsconfig.json'], ['-p', 'apps/web/tsconfig.json']].map((a) => spawnSync(bin('tsc'), [...a, '--noEmit'], { stdio: 'inherit', cwd: root }).status);
if (tsc.some((s) => s !== 0)) {
  totals.failed += 1;
  console.error('kpki: type errors (above)');
}

step('lint (ESLint)');
if (spawnSync(bin('eslint'), ['.'], { stdio: 'inherit', cwd: root }).status !== 0) {
  totals.failed += 1;
  console.error('kpki: lint errors (above)');
}

// The container image, where an engine runs (none on the development machines): built from the
// Dockerfile whose CMD apps/server/test/built-server.test.ts runs without one.
const engine = ['docker', 'podman'].find((e) => spawnSync(e, ['info'], { stdio: 'ignore' }).status === 0);
if (engine && !args.length) {
  step(`container image (${engine} build)`);
  if (spawnSync(engine, ['build', '-t', 'kpki:test', '.'], { stdio: 'inherit', cwd: root }).status === 0) totals.passed += 1;
  else {
    totals.failed += 1;
    console.error(`kpki: ${engine} build failed (above)`);
  }
} else if (!engine) {
  console.log('kpki: no container engine here: the image is not built (built-server.test.ts runs its start command)');
}

step('unit and integration tests (vitest)');
const vitestJson = path.join(out, 'vitest.json');
fs.rmSync(vitestJson, { force: true });
spawnSync(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`, ...args], { stdio: 'inherit', cwd: root });
if (fs.existsSync(vitestJson)) {
  const r = JSON.parse(fs.readFileSync(vitestJson, 'utf8'));
  totals.passed += r.numPassedTests;
  totals.failed += r.numFailedTests + (r.numTotalTestSuites && !r.success && r.numFailedTests === 0 ? 1 : 0);
  totals.skipped += r.numPendingTests + r.numTodoTests;
} else {
  totals.failed += 1;
  console.error('kpki: vitest wrote no report');
}

if (!args.length || process.env.KPKI_E2E === '1') {
  step('browser tests (Playwright, Debian Chromium)');
  const pwJson = path.join(out, 'playwright.json');
  fs.rmSync(pwJson, { force: true });
  spawnSync(bin('playwright'), ['test', '--reporter=list,json'], {
    stdio: 'inherit', cwd: root, env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson },
  });
  if (fs.existsSync(pwJson)) {
    const s = JSON.parse(fs.readFileSync(pwJson, 'utf8')).stats;
    totals.passed += s.expected + s.flaky;
    totals.failed += s.unexpected;
    totals.skipped += s.skipped;
  } else {
    totals.failed += 1;
    console.error('kpki: playwright wrote no report');
  }
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed ? 1 : 0);
