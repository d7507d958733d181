#!/usr/bin/env node
/**
 * npm start: install, build the UI and the server, and serve API + UI from the compiled server
 * (apps/server/dist/server.js, as the container runs it) on KPKI_HOST:KPKI_PORT
 * (default 127.0.0.1:8080).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { buildServer, buildWeb, ensureDependencies, root, step } from './lib/setup.mjs';

ensureDependencies();
buildWeb();
buildServer();
step(`starting kpki on http://${process.env.KPKI_HOST || '127.0.0.1'}:${process.env.KPKI_PORT || '8080'}`);
const child = spawn(process.execPath, [path.join(root, 'apps/server/dist/server.js')], { stdio: 'inherit', cwd: root });
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
