#!/usr/bin/env node
/** npm run demo: install, build, then run scripts/demo.ts (kpki + a real sshd fleet on loopback). */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { buildWeb, ensureDependencies, ensureSystemPackages, root, step } from './lib/setup.mjs';

ensureSystemPackages({ '/usr/sbin/sshd': 'openssh-server', '/usr/bin/ssh-keygen': 'openssh-client' });
ensureDependencies();
buildWeb();
step('starting the demo fleet and kpki');
const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/demo.ts')], { stdio: 'inherit', cwd: root });
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s));
child.on('exit', (code) => process.exit(code ?? 0));
