/**
 * `kpki`: the command line of kpki, a thin client of its HTTP API (/api/v1) with an API token.
 * Every command prints text for people, or with --json the API's answer as JSON (one document
 * on stdout). Exit codes follow the API's error codes (exit-codes.ts). A token never gets the CA
 * key (the CA key rule); commands that would need it say so.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ClusterListItem, Cluster, CertificateDetail, CertificateSummary, Job, NodeSummary, Plan } from '@kpki/shared';
import { bundleFileName } from '@kpki/shared/download-names';
import { Api, ApiFailure, seg } from './api.ts';
import { configFile, normalizeUrl, readCredentials, saveCredentials } from './config.ts';
import { EXIT, exitCodeFor } from './exit-codes.ts';
import { followJob, ProgressView, type Output } from './progress.ts';

export const VERSION = '0.1.0';

/** The rule, in the words every refusal of the CA key ends with. */
export const CA_KEY_RULE =
  'the CA key rule: the CA key (ca-key.pem, and the bundles and kubeconfigs that carry it or admin.kubeconfig) leaves kpki only for an admin ' +
  'who re-entered the password in a browser session in the last 5 minutes; an API token never gets it, not even an admin\'s, so this command cannot';

const USAGE = `kpki ${VERSION}: the command line of kpki (a client of its HTTP API)

usage: kpki <command> [arguments] [--json]

  login [--url <url>] [--token <token> | --token-stdin | --user <name> [--password-stdin]]
                                    store the server and an API token (config folder, mode 0600);
                                    KPKI_URL and KPKI_TOKEN, when set, are used instead
  clusters                          the clusters, their CA and soonest expiry
  plan <cluster>                    every certificate with its SANs and why each is there
  issue <cluster>                   create the CA when there is none, then issue every certificate
  distribute <cluster> [--node <n>]...
                                    write each node its files over SSH (every node, or those named)
  status <cluster>                  the nodes and their states
  cert <cluster> <name> [--pem | --text | --key] [-o <file>]
                                    a certificate: summary, PEM, OpenSSL-style text, or its key
  bundle <cluster> [--node <n>] [-o <file.tar.gz>]
                                    download the files of a node (or of every node) as tar.gz

  --json     print the API's answer as JSON (errors too: {"error": {code, message, details}})
  --help     this text;  --version  the version

Exit codes: 0 ok, 1 a job failed (the failed nodes are named), 2 usage, 3 not signed in (401),
4 not allowed (403, the CA key rule), 5 not found (404), 6 conflict (409, 412), 7 invalid (4xx),
8 rate limited (429), 9 server unreachable or failing (5xx).`;

export interface Io {
  stdout: Output;
  stderr: Output;
  env: NodeJS.ProcessEnv;
  stdin: () => Promise<string>;
}

class UsageError extends Error {}

interface Args {
  positional: string[];
  flags: Map<string, string[]>;
}

const VALUE_FLAGS = new Set(['--url', '--token', '--user', '--node', '-o', '--output']);
const BOOLEAN_FLAGS = new Set(['--json', '--pem', '--text', '--key', '--token-stdin', '--password-stdin', '--help', '-h', '--version']);

function parseArgs(argv: string[]): Args {
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    let value: string | undefined;
    if (a.startsWith('--') && a.includes('=')) [a, value] = [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)];
    if (VALUE_FLAGS.has(a)) {
      value ??= argv[++i];
      if (value === undefined) throw new UsageError(`${a} needs a value`);
      flags.set(a, [...(flags.get(a) ?? []), value]);
    } else if (BOOLEAN_FLAGS.has(a)) {
      flags.set(a, ['']);
    } else if (a.startsWith('-') && a !== '-') {
      throw new UsageError(`unknown option ${a}`);
    } else {
      positional.push(a);
    }
  }
  return { positional, flags };
}

const has = (args: Args, f: string) => args.flags.has(f);
const one = (args: Args, ...names: string[]) => names.map((n) => args.flags.get(n)?.at(-1)).find((v) => v !== undefined);

function need(args: Args, index: number, what: string): string {
  const v = args.positional[index];
  if (!v) throw new UsageError(`missing ${what}`);
  return v;
}

/** Text table: columns padded to their widest cell. */
function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 16).replace('T', ' ') + ' UTC' : '-');
function inDays(iso: string, now = Date.now()): string {
  const days = Math.round((Date.parse(iso) - now) / 86_400_000);
  return days >= 0 ? `in ${days} days` : `${-days} days ago`;
}
function age(iso: string | null): string {
  if (!iso) return 'never';
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return s < 120 ? `${s} s ago` : s < 7200 ? `${Math.round(s / 60)} min ago` : s < 172_800 ? `${Math.round(s / 3600)} h ago` : `${Math.round(s / 86_400)} days ago`;
}

/** The outcome of a command: text for people, a value for --json, an exit code. */
interface Result {
  text?: string;
  json: unknown;
  code?: number;
  /** said on stderr (also with --json), e.g. why the job failed */
  error?: string;
}

function client(io: Io): Api {
  const creds = readCredentials(io.env);
  if (!creds) throw new ApiFailure(401, 'UNAUTHENTICATED', `not signed in: run \`kpki login --url <url> --token <token>\`, or set KPKI_URL and KPKI_TOKEN (config file: ${configFile(io.env)})`);
  return new Api(creds.url, creds.token);
}

async function login(args: Args, io: Io): Promise<Result> {
  const stored = readCredentials(io.env);
  const url = normalizeUrl(one(args, '--url') ?? io.env.KPKI_URL ?? stored?.url ?? '');
  if (!url) throw new UsageError('login needs --url <url> (or KPKI_URL)');
  let token = one(args, '--token') ?? (has(args, '--token-stdin') ? (await io.stdin()).trim() : undefined);
  const user = one(args, '--user');
  if (!token && user) {
    // a token is made in a browser-like session: sign in with the password, create the token, keep only the token
    const password = has(args, '--password-stdin') ? (await io.stdin()).replace(/\r?\n$/, '') : io.env.KPKI_PASSWORD;
    if (!password) throw new UsageError('--user needs the password on stdin (--password-stdin) or in KPKI_PASSWORD');
    const res = await new Api(url, null).request('POST', '/session', { body: { username: user, password } });
    const cookie = (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).filter((c) => /kpki_session=/.test(c)).join('; ');
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    const created = await new Api(url, null).json<{ token: string; expiresAt: string }>('POST', '/tokens', {
      body: { name: `kpki-cli ${os.userInfo().username}@${os.hostname()}` },
      headers: { cookie, 'x-csrf-token': csrfToken },
    });
    token = created.token;
  }
  if (!token && io.env.KPKI_TOKEN && !one(args, '--url')) {
    const session = await new Api(url, io.env.KPKI_TOKEN).get<{ user: { username: string; role: string } }>('/session');
    return {
      json: { url, user: session.user, stored: null, from: 'environment' },
      text: `KPKI_URL and KPKI_TOKEN are set: ${url} as ${session.user.username} (${session.user.role}); nothing stored (unset them to use a stored token)`,
    };
  }
  if (!token) throw new UsageError('login needs --token <token>, --token-stdin, or --user <name> (with the password on stdin or in KPKI_PASSWORD)');
  const session = await new Api(url, token).get<{ user: { username: string; role: string }; via: string }>('/session');
  if (session.via !== 'token') throw new UsageError('that is not an API token');
  const file = saveCredentials(url, token, io.env);
  return {
    json: { url, user: session.user, stored: file },
    text: `signed in to ${url} as ${session.user.username} (${session.user.role}); the token is stored in ${file} (mode 0600)`,
  };
}

async function clusters(io: Io): Promise<Result> {
  const { items } = await client(io).get<{ items: ClusterListItem[] }>('/clusters');
  return {
    json: items,
    text: items.length === 0 ? 'no clusters' : table(
      ['NAME', 'NODES', 'CA', 'CA EXPIRES', 'SOONEST EXPIRY'],
      items.map((c) => [
        c.name, String(c.nodes.length), c.hasCa ? 'yes' : 'no', c.caNotAfter ? `${day(c.caNotAfter)} (${inDays(c.caNotAfter)})` : '-',
        c.soonestExpiry ? `${c.soonestExpiry.name} ${inDays(c.soonestExpiry.notAfter)} (${c.soonestExpiry.state})` : '-',
      ]),
    ),
  };
}

async function plan(args: Args, io: Io): Promise<Result> {
  const cluster = need(args, 1, '<cluster>');
  const p = await client(io).get<Plan>(`/clusters/${seg(cluster)}/plan`);
  const blocks = p.certificates.map((c) => {
    const head = `${c.name}  CN=${c.cn}${c.o ? ` O=${c.o}` : ''}  (${c.usedBy}) -> ${c.recipients.join(', ') || 'download only'}`;
    if (c.sans.length === 0) return `${head}\n  no SANs`;
    return `${head}\n${table(['  SAN', 'VALUE', 'REASON'], c.sans.map((s) => [`  ${s.type.toUpperCase()}`, s.value, s.reason]))}`;
  });
  return { json: p, text: `${p.certificates.length} certificates of ${cluster}\n\n${blocks.join('\n\n')}` };
}

function failedNodes(job: Job): string[] {
  const nodes = (job.result?.nodes ?? {}) as Record<string, { error?: { message: string } }>;
  return Object.keys(nodes).filter((n) => nodes[n].error);
}

function jobFailure(job: Job, what: string): Result['error'] {
  const failed = failedNodes(job);
  const nodes = (job.result?.nodes ?? {}) as Record<string, { error?: { code: string; message: string } }>;
  if (failed.length > 0) {
    return `kpki: ${what} failed on ${failed.join(', ')} (${job.error?.code ?? 'NODES_FAILED'}):\n${failed.map((n) => `  ${n}: ${nodes[n].error!.message} (${nodes[n].error!.code})`).join('\n')}`;
  }
  return `kpki: ${what} ${job.status}: ${job.error?.message ?? 'no reason given'} (${job.error?.code ?? job.status})`;
}

async function issue(args: Args, io: Io, json: boolean): Promise<Result> {
  const cluster = need(args, 1, '<cluster>');
  const api = client(io);
  const c = await api.get<Cluster>(`/clusters/${seg(cluster)}`);
  const lines: string[] = [];
  let ca: CertificateSummary | null = null;
  if (!c.hasCa) {
    ca = await api.json<CertificateSummary>('POST', `/clusters/${seg(cluster)}/ca`);
    lines.push(`created the CA of ${cluster}: serial ${ca.serial}, expires ${day(ca.notAfter)}`);
    if (!json) io.stderr.write(`${lines[0]}\n`);
  }
  const { jobId } = await api.json<{ jobId: string }>('POST', `/clusters/${seg(cluster)}/issuances`);
  const job = await followJob(api, jobId, new ProgressView(io.stderr, `issuing ${cluster}`, true));
  if (job.status !== 'succeeded') return { json: { ca, job }, code: EXIT.JOB_FAILED, error: jobFailure(job, 'the issuance') };
  const { items } = await api.get<{ items: CertificateSummary[] }>(`/clusters/${seg(cluster)}/certificates`);
  return { json: { ca, job }, text: `issued ${items.filter((i) => i.name !== 'ca').length} certificates of ${cluster} (job ${job.id}); next: kpki distribute ${cluster}` };
}

async function distribute(args: Args, io: Io): Promise<Result> {
  const cluster = need(args, 1, '<cluster>');
  const nodes = args.flags.get('--node');
  const api = client(io);
  const { jobId } = await api.json<{ jobId: string }>('POST', `/clusters/${seg(cluster)}/distributions`, { body: nodes ? { nodes } : {} });
  const job = await followJob(api, jobId, new ProgressView(io.stderr, `distributing ${cluster}`));
  const outcomes = (job.result?.nodes ?? {}) as Record<string, { state: string; uploaded: string[]; error?: { code: string; message: string }; caKeyWithheld?: string }>;
  const rows = Object.entries(outcomes).map(([n, o]) => [n, o.error ? 'FAILED' : o.state, String(o.uploaded.length), o.error ? `${o.error.code}: ${o.error.message}` : o.caKeyWithheld ? 'ca-key.pem and admin.kubeconfig withheld' : '']);
  const withheld = Object.values(outcomes).some((o) => o.caKeyWithheld);
  const text = [
    rows.length ? table(['NODE', 'STATE', 'WRITTEN', 'NOTE'], rows) : 'no node written',
    ...(withheld ? [`ca-key.pem and admin.kubeconfig were left out: ${CA_KEY_RULE} deliver them (an admin distributes from the browser after re-entering the password)`] : []),
  ].join('\n');
  if (job.status !== 'succeeded') return { json: job, text, code: EXIT.JOB_FAILED, error: jobFailure(job, 'the distribution') };
  return { json: job, text };
}

async function status(args: Args, io: Io): Promise<Result> {
  const cluster = need(args, 1, '<cluster>');
  const { items } = await client(io).get<{ items: NodeSummary[] }>(`/clusters/${seg(cluster)}/nodes`);
  const rows = items.map((n) => {
    const s = n.status;
    const inSync = s.files.filter((f) => f.state === 'in-sync').length;
    return [n.name, n.role, s.state, `${inSync}/${n.expectedFiles}`, age(s.checkedAt) + (s.checkDue ? ' (due)' : '')];
  });
  const notes = items.flatMap((n) => [
    ...n.status.files.filter((f) => f.state !== 'in-sync' && f.reason).map((f) => `${n.name}: ${f.reason!.message}`),
    ...(n.status.error ? [`${n.name}: ${n.status.error.message}`] : []),
    ...(n.status.caKeyWithheld ? [`${n.name}: ${n.status.caKeyWithheld.reason}`] : []),
  ]);
  return { json: items, text: [table(['NODE', 'ROLE', 'STATE', 'FILES IN SYNC', 'CHECKED'], rows), ...(notes.length ? ['', ...notes] : [])].join('\n') };
}

/** Writes a downloaded file: keys and bundles 0600; never over a file that is there unless it is ours to replace. */
function writeOut(file: string, data: Buffer | string, secret: boolean) {
  fs.writeFileSync(file, data, { mode: secret ? 0o600 : 0o644 });
  if (secret) fs.chmodSync(file, 0o600);
}

/** A refusal under the CA key rule gets the rule's words (the server's message says what was refused). */
function caKeyRefusal(err: unknown): never {
  if (err instanceof ApiFailure && (err.code === 'REAUTH_REQUIRED' || err.code === 'FORBIDDEN')) {
    throw new ApiFailure(err.status, err.code, `${err.message}; ${CA_KEY_RULE}`, err.details);
  }
  throw err;
}

async function cert(args: Args, io: Io): Promise<Result> {
  const cluster = need(args, 1, '<cluster>');
  const name = need(args, 2, '<name>');
  const api = client(io);
  const out = one(args, '-o', '--output');
  const base = `/clusters/${seg(cluster)}/certificates/${seg(name)}`;
  if (has(args, '--key')) {
    const pem = await (await api.request('GET', `${base}/key.pem`, { accept: '*/*' }).catch(caKeyRefusal)).text();
    if (out) writeOut(out, pem, true);
    return { json: { name, key: out ? { file: out } : pem }, text: out ? `wrote ${out} (mode 0600)` : pem.trimEnd() };
  }
  const detail = await api.get<CertificateDetail>(base);
  if (has(args, '--pem') || has(args, '--text')) {
    const body = has(args, '--pem') ? detail.pem : detail.text;
    if (out) writeOut(out, body, false);
    return { json: { name, serial: detail.serial, ...(has(args, '--pem') ? { pem: detail.pem } : { text: detail.text }) }, text: out ? `wrote ${out}` : body.trimEnd() };
  }
  const subject = detail.subject.map((a) => `${a.type}=${a.value}`).join(', ');
  const text = [
    `${detail.name} (${detail.status})`,
    `subject      ${subject}`,
    `serial       ${detail.serial}`,
    `valid        ${day(detail.notBefore)} to ${day(detail.notAfter)} (${inDays(detail.notAfter)})`,
    `key          ${detail.publicKey.algorithm} ${detail.publicKey.size}${detail.publicKey.curve ? ` ${detail.publicKey.curve}` : ''}`,
    `usages       ${[...(detail.keyUsage?.usages ?? []), ...detail.extendedKeyUsage].join(', ')}`,
    `chain        ${detail.chain.message}`,
    `recipients   ${detail.recipients.join(', ') || 'download only'}`,
    `sha256       ${detail.fingerprints.sha256}`,
    ...(detail.sansWithReasons.length ? ['', table(['SAN', 'VALUE', 'REASON'], detail.sansWithReasons.map((s) => [s.type.toUpperCase(), s.value, s.reason]))] : []),
  ].join('\n');
  return { json: detail, text };
}

async function bundle(args: Args, io: Io): Promise<Result> {
  const cluster = need(args, 1, '<cluster>');
  const node = one(args, '--node');
  const file = one(args, '-o', '--output') ?? bundleFileName(cluster, node);
  const res = await client(io).request('GET', `/clusters/${seg(cluster)}/bundle.tar.gz`, { query: { node }, accept: '*/*' }).catch(caKeyRefusal);
  const data = Buffer.from(await res.arrayBuffer());
  writeOut(file, data, true);
  return { json: { cluster, node: node ?? null, file: path.resolve(file), bytes: data.length }, text: `wrote ${file} (${data.length} bytes, mode 0600): ${node ? `the files of ${node}` : 'every node\'s files'}` };
}

/** Runs one command line; answers the exit code. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let json = argv.includes('--json');
  try {
    const args = parseArgs(argv);
    json = has(args, '--json');
    if (has(args, '--version')) {
      io.stdout.write(json ? `${JSON.stringify({ version: VERSION })}\n` : `${VERSION}\n`);
      return EXIT.OK;
    }
    const command = args.positional[0];
    if (!command || has(args, '--help') || has(args, '-h') || command === 'help') {
      io.stdout.write(`${USAGE}\n`);
      return command || has(args, '--help') || has(args, '-h') ? EXIT.OK : EXIT.USAGE;
    }
    const commands: Record<string, () => Promise<Result>> = {
      login: () => login(args, io),
      clusters: () => clusters(io),
      plan: () => plan(args, io),
      issue: () => issue(args, io, json),
      distribute: () => distribute(args, io),
      status: () => status(args, io),
      cert: () => cert(args, io),
      bundle: () => bundle(args, io),
    };
    const run = commands[command];
    if (!run) throw new UsageError(`unknown command "${command}"`);
    const result = await run();
    io.stdout.write(json ? `${JSON.stringify(result.json, null, 2)}\n` : result.text !== undefined ? `${result.text}\n` : '');
    if (result.error) io.stderr.write(`${result.error}\n`);
    return result.code ?? EXIT.OK;
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`kpki: ${err.message}\n(kpki --help lists the commands)\n`);
      if (json) io.stdout.write(`${JSON.stringify({ error: { code: 'USAGE', message: err.message } })}\n`);
      return EXIT.USAGE;
    }
    if (err instanceof ApiFailure) {
      io.stderr.write(`kpki: ${err.message} (${err.code})\n`);
      if (json) io.stdout.write(`${JSON.stringify({ error: { code: err.code, message: err.message, details: err.details ?? null } }, null, 2)}\n`);
      return err.status === 0 ? EXIT.UNAVAILABLE : exitCodeFor(err.status);
    }
    io.stderr.write(`kpki: ${(err as Error).message}\n`);
    if (json) io.stdout.write(`${JSON.stringify({ error: { code: 'INTERNAL', message: (err as Error).message } })}\n`);
    return EXIT.UNAVAILABLE;
  }
}

function processIo(): Io {
  return {
    stdout: { write: (t) => void process.stdout.write(t), isTTY: !!process.stdout.isTTY },
    stderr: { write: (t) => void process.stderr.write(t), isTTY: !!process.stderr.isTTY },
    env: process.env,
    stdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}
