#!/usr/bin/env node
/**
 * npm run backup / npm run rotate-master-key: runs the built command line of the server
 * (apps/server/dist/kpki-admin.js, from apps/server/src/cli/kpki-admin.ts), building it first
 * when a source is newer. See that file for the commands and their rules;
 * `node scripts/kpki-admin.mjs help` prints the usage.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { buildServer, root } from './lib/setup.mjs';

buildServer({ ifStale: true, quiet: true });
const child = spawn(process.execPath, [path.join(root, 'apps/server/dist/kpki-admin.js'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: root,
  env: { ...process.env, KPKI_DATA_DIR: path.resolve(process.env.KPKI_DATA_DIR || './data') },
});
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
