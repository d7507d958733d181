/**
 * The tutorial's PKI made by real cfssl (its exact commands, module 07, for the preset's
 * topology: fixtures/hard-way-cfssl.ts), written into a folder as the tutorial leaves it; and
 * archives of a folder made by the real `tar czf` and `zip`, as an operator would send them.
 * For the import tests (issue 14): the domain, the routes, the fleet and the browser.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { CA_CONFIG, CA_CSR, LEAF_REQUESTS, tutorialScript } from '../fixtures/hard-way-cfssl.ts';
import { requireTool, runOk, sh } from './tools.ts';

/** Catalog names of the tutorial's certificates, CA first (10). */
export const CFSSL_NAMES: readonly string[] = ['ca', ...Object.keys(LEAF_REQUESTS)];

/** The PEM files the tutorial's commands write: <name>.pem and <name>-key.pem for each of CFSSL_NAMES (20). */
export const CFSSL_PEM_FILES: readonly string[] = CFSSL_NAMES.flatMap((n) => [`${n}.pem`, `${n}-key.pem`]);

/**
 * Runs the tutorial's cfssl commands in `dir` (created when missing): ca-config.json, the CSR
 * JSON files, then `cfssl gencert ... | cfssljson -bare <name>` for the CA and every leaf.
 * The folder then holds CFSSL_PEM_FILES plus the inputs and the .csr files, as in the tutorial.
 */
export async function writeCfsslPki(dir: string): Promise<void> {
  requireTool('/usr/bin/cfssl', 'golang-cfssl');
  requireTool('/usr/bin/cfssljson', 'golang-cfssl');
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, 'ca-config.json'), JSON.stringify(CA_CONFIG, null, 2));
  await fs.writeFile(path.join(dir, 'ca-csr.json'), JSON.stringify(CA_CSR, null, 2));
  for (const [name, req] of Object.entries(LEAF_REQUESTS)) {
    await fs.writeFile(path.join(dir, `${name}-csr.json`), JSON.stringify(req.csr, null, 2));
  }
  await sh(tutorialScript(), { cwd: dir });
}

/**
 * Re-signs one leaf with cfssl in `dir` (its <name>-csr.json must be there), with another
 * -hostname (null: none) and optionally another CA (files in `dir`): <name>.pem and
 * <name>-key.pem are replaced, as the tutorial's command would write them.
 */
export async function cfsslResign(dir: string, name: string, opts: { hostname: string | null; ca?: string; caKey?: string }): Promise<void> {
  const hostname = opts.hostname === null ? '' : ` -hostname=${opts.hostname}`;
  await sh(`cfssl gencert -ca=${opts.ca ?? 'ca.pem'} -ca-key=${opts.caKey ?? 'ca-key.pem'} -config=ca-config.json${hostname} -profile=kubernetes ${name}-csr.json | cfssljson -bare ${name}`, { cwd: dir });
}

/** A second CA by cfssl in `dir`, named <base>.pem / <base>-key.pem (same CSR as the tutorial's CA: same name, another key). */
export async function cfsslForeignCa(dir: string, base = 'foreign-ca'): Promise<void> {
  await fs.writeFile(path.join(dir, `${base}-csr.json`), JSON.stringify(CA_CSR, null, 2));
  await sh(`cfssl gencert -initca ${base}-csr.json | cfssljson -bare ${base}`, { cwd: dir });
}

/** The tutorial's value of -hostname for a leaf (undefined: none). */
export const cfsslHostname = (name: string): string | undefined => LEAF_REQUESTS[name]?.hostname;

/** `tar czf out -C dir <files>` (default: every file of the folder, as "./..."): the real tar. */
export async function tarGz(dir: string, out: string, files: readonly string[] = ['.']): Promise<Buffer> {
  await runOk('tar', ['czf', out, '-C', dir, ...files]);
  return fs.readFile(out);
}

/** `zip -q -r out <files>` run in `dir` (default: every file of the folder): the real zip. */
export async function zipFiles(dir: string, out: string, files: readonly string[] = ['.']): Promise<Buffer> {
  requireTool('/usr/bin/zip', 'zip');
  await runOk('zip', ['-q', '-r', '-y', out, ...files], { cwd: dir });
  return fs.readFile(out);
}
