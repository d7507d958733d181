/**
 * A typed client from the OpenAPI description (issue 17): openapi-typescript generates the types
 * from the description a server serves on a loopback socket; a small script written against them
 * with openapi-fetch (fixtures/openapi-client/client.ts: sign in, make a token, create a cluster
 * from the preset, its CA, issue, list the certificates) type-checks with tsc and runs, as its own
 * process, against that server; and misuses the types must refuse (fixtures/openapi-client/wrong.ts)
 * fail to type-check, each of them.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import openapiTS, { astToString } from 'openapi-typescript';
import { ADMIN_PASSWORD, tempDataDir, testApp } from './helpers/app.ts';
import { ROOT } from './support.ts';

const FIXTURE = path.join(ROOT, 'apps/server/test/fixtures/openapi-client');
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');
const TSX = path.join(ROOT, 'node_modules/tsx/dist/cli.mjs');

describe('a typed client generated from the live description', () => {
  let app: Awaited<ReturnType<typeof testApp>>;
  let base = '';
  // inside the repository (.tmp/ is ignored by git) so that the script resolves openapi-fetch
  const dir = path.join(ROOT, '.tmp', `openapi-client-${crypto.randomBytes(6).toString('hex')}`);

  beforeAll(async () => {
    app = await testApp(tempDataDir());
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    fs.mkdirSync(dir, { recursive: true });
    const ast = await openapiTS(new URL(`${base}/api/docs/json`));
    fs.writeFileSync(path.join(dir, 'kpki-api.ts'), astToString(ast));
    for (const f of ['client.ts', 'wrong.ts']) fs.copyFileSync(path.join(FIXTURE, f), path.join(dir, f));
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      extends: path.relative(dir, path.join(ROOT, 'tsconfig.base.json')),
      compilerOptions: { skipLibCheck: true },
      files: ['client.ts'],
    }));
    fs.writeFileSync(path.join(dir, 'tsconfig.wrong.json'), JSON.stringify({
      extends: './tsconfig.json',
      files: ['wrong.ts'],
    }));
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the generated types name the operations and their answers', () => {
    const types = fs.readFileSync(path.join(dir, 'kpki-api.ts'), 'utf8');
    expect(types).toContain('"/api/v1/clusters/{cluster}/certificates"');
    // the success answer of an operation is its schema, not an unknown
    expect(types).toMatch(/expiryState: "ok" \| "warning" \| "critical" \| "expired"/);
    expect(types).toContain('csrfToken: string | null');
  });

  test('the script type-checks against them', () => {
    const r = spawnSync(process.execPath, [TSC, '-p', path.join(dir, 'tsconfig.json'), '--noEmit'], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);

  test('misuses of the API do not type-check, each of them', () => {
    const r = spawnSync(process.execPath, [TSC, '-p', path.join(dir, 'tsconfig.wrong.json'), '--noEmit'], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    const lines = fs.readFileSync(path.join(dir, 'wrong.ts'), 'utf8').split('\n');
    // the line after each "WRONG-n" comment has an error
    const expected = lines.flatMap((l, i) => (/\/\/ WRONG-\d/.test(l) ? [i + 2] : []));
    expect(expected.length).toBe(5);
    const failing = new Set([...r.stdout.matchAll(/wrong\.ts\((\d+),\d+\): error/g)].map((m) => Number(m[1])));
    expect(expected.filter((n) => !failing.has(n)), r.stdout).toEqual([]);
  }, 120_000);

  test('the script runs against the server: signs in, creates the preset cluster, issues, lists the certificates', async () => {
    // its own process, asynchronously: the server answers from this one
    const r = await promisify(execFile)(process.execPath, [TSX, path.join(dir, 'client.ts')], {
      encoding: 'utf8',
      cwd: dir,
      env: { ...process.env, KPKI_URL: base, KPKI_USER: 'admin', KPKI_PASSWORD: ADMIN_PASSWORD, KPKI_CLUSTER: 'typed' },
      timeout: 180_000,
    });
    expect(r.stderr).toBe('');
    const seen = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(seen).toMatchObject({ via: 'token', hasCaBefore: false, caName: 'ca', status: 'succeeded', missingStatus: 404, missingCode: 'CLUSTER_NOT_FOUND' });
    // what it listed is what the server holds
    const held = (await app.inject('/api/v1/clusters/typed/certificates')).json().items as Array<{ name: string; serial: string }>;
    expect(held.length).toBeGreaterThan(5);
    expect(seen.certificates.map((c: { name: string; serial: string }) => `${c.name}:${c.serial}`).sort()).toEqual(held.map((c) => `${c.name}:${c.serial}`).sort());
    expect(seen.certificates.map((c: { name: string }) => c.name)).toEqual(expect.arrayContaining(['ca', 'admin', 'kubernetes']));
  }, 200_000);
});
