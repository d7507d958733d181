#!/usr/bin/env node
/**
 * npm run backup / npm run rotate-master-key: runs scripts/kpki-admin.ts (which reuses the
 * server's TypeScript store code) through tsx. See that file for the commands and their rules;
 * `node scripts/kpki-admin.mjs help` prints the usage.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/kpki-admin.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: root,
  env: { ...process.env, KPKI_DATA_DIR: path.resolve(process.env.KPKI_DATA_DIR || './data') },
});
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
