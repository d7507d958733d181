#!/usr/bin/env node
/** npm start: install, build, and serve API + UI (KPKI_HOST:KPKI_PORT, default 127.0.0.1:8080). */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { buildWeb, ensureDependencies, root, step } from './lib/setup.mjs';

ensureDependencies();
buildWeb();
step(`starting kpki on http://${process.env.KPKI_HOST || '127.0.0.1'}:${process.env.KPKI_PORT || '8080'}`);
// key generation runs on libuv's thread pool: give it at least one thread per core
const env = { ...process.env, UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE || String(Math.max(4, os.availableParallelism())) };
const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'apps/server/src/server.ts')], { stdio: 'inherit', cwd: root, env });
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
