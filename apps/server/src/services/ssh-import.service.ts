/**
 * SSH set-up from what operators already have (issue 16): their ssh_config and known_hosts.
 * Each node of the topology is looked up in the ssh_config by its name (then by its addresses),
 * as `ssh <name>` would; the host, port and user it yields become the node's SSH settings. With a
 * known_hosts text, kpki looks at the key each node presents at that target (a scan: it pins
 * nothing) and pins it only when known_hosts holds that very key for the host and port, as
 * OpenSSH's StrictHostKeyChecking would accept it. Nothing is stored without `apply`; applying
 * follows the rules of every SSH settings change: the topology checks, the CA key rule for the
 * nodes that receive ca-key.pem, the allowed SSH targets, and If-Match.
 */
import pLimit from 'p-limit';
import {
  SSH_IMPORT_MAX_CHARS, type ClusterInput, type SeenHostKey, type SshImportAnswer, type SshImportNote, type SshImportProblem, type SshImportRequest,
  type SshImportRow, type SshSettings,
} from '@kpki/shared';
import { checkCluster } from '@kpki/shared/cluster';
import { caKeyTargetChanges } from '@kpki/shared/ca-key-targets';
import { effectiveSsh } from '@kpki/shared/ssh-defaults';
import type { Deps } from '../context.ts';
import { AppError } from '../lib/errors.ts';
import { SshError } from '../ssh/errors.ts';
import { scanHostKey } from '../ssh/transport.ts';
import { parseSshConfig, resolveHost, SshConfigError, type ResolvedHost, type SshConfig } from '../ssh/ssh-config.ts';
import { KnownHostsError, knownHostsName, lookupKnownHosts, parseKnownHosts, type KnownHostEntry } from '../ssh/known-hosts.ts';
import { clusterEtag, clusterView, getCluster, requireClusterVersion, type CaKeyGuard } from './clusters.service.ts';
import { checkSshTarget } from './host-key.service.ts';

/** Nodes scanned at once when comparing with known_hosts. */
const SCAN_CONCURRENCY = 16;

const SSH_FIELDS = ['host', 'port', 'user', 'remoteDir', 'hostKey', 'followLinks'] as const;

/** The fields that differ between two SSH settings. */
export function sshChanges(a: SshSettings | undefined | null, b: SshSettings | undefined | null): string[] {
  return SSH_FIELDS.filter((f) => (a ?? {})[f] !== (b ?? {})[f]);
}

const size = (chars: number) => (chars >= 1_048_576 ? `${(chars / 1_048_576).toFixed(1)} MiB` : `${Math.ceil(chars / 1024)} KiB`);

/** Refuses a text over the size limit (413, naming the field and the limit). */
export function checkImportSize(field: 'sshConfig' | 'knownHosts', text: string | undefined): void {
  if (text !== undefined && text.length > SSH_IMPORT_MAX_CHARS) {
    throw new AppError('PAYLOAD_TOO_LARGE', `the ${field === 'sshConfig' ? 'ssh_config' : 'known_hosts'} text is ${size(text.length)} (${text.length} characters); at most ${SSH_IMPORT_MAX_CHARS} characters (1 MiB) are taken: leave out the hosts of other clusters`, [
      { path: `/${field}`, code: 'TOO_LARGE', message: `at most ${SSH_IMPORT_MAX_CHARS} characters` },
    ]);
  }
}

/** Both texts read, or VALIDATION_FAILED with every line that cannot be read (line number and what was expected). */
export function parseImportTexts(body: { sshConfig?: string; knownHosts?: string }): { config: SshConfig | null; known: KnownHostEntry[] | null } {
  checkImportSize('sshConfig', body.sshConfig);
  checkImportSize('knownHosts', body.knownHosts);
  const issues: Array<{ path: string; code: string; line: number; message: string }> = [];
  let config: SshConfig | null = null;
  let known: KnownHostEntry[] | null = null;
  try {
    if (body.sshConfig !== undefined) config = parseSshConfig(body.sshConfig);
  } catch (err) {
    if (!(err instanceof SshConfigError)) throw err;
    issues.push(...err.errors.map((e) => ({ path: '/sshConfig', code: 'INVALID_SSH_CONFIG', line: e.line, message: `ssh_config line ${e.line}: ${e.message}` })));
  }
  try {
    if (body.knownHosts !== undefined) known = parseKnownHosts(body.knownHosts);
  } catch (err) {
    if (!(err instanceof KnownHostsError)) throw err;
    issues.push(...err.errors.map((e) => ({ path: '/knownHosts', code: 'INVALID_KNOWN_HOSTS', line: e.line, message: `known_hosts line ${e.line}: ${e.message}` })));
  }
  if (issues.length) {
    const shown = issues.slice(0, 20).map((i) => i.message).join('; ');
    throw new AppError('VALIDATION_FAILED', `${issues.length} line(s) cannot be read: ${shown}${issues.length > 20 ? '; …' : ''}`, issues.slice(0, 200));
  }
  return { config, known };
}

/** What known_hosts says of the key a node presents (the rule OpenSSH applies before it trusts a host). */
export function judgeKnownKey(entries: KnownHostEntry[], presented: { fingerprint: string; keyType: string }, name: string): { pinned: SeenHostKey | null; problem: SshImportProblem | null; notes: string[] } {
  const notes: string[] = [];
  const keys = entries.filter((e) => e.marker === null);
  const seen = (e: KnownHostEntry): SeenHostKey => ({ fingerprint: e.fingerprint, keyType: e.keyType, line: e.line });
  const revoked = entries.find((e) => e.marker === 'revoked' && e.fingerprint === presented.fingerprint);
  if (revoked) {
    return { pinned: null, notes, problem: { code: 'known-hosts-revoked', message: `the key the node presents (${presented.fingerprint}, ${presented.keyType}) is marked @revoked on known_hosts line ${revoked.line}: not pinned` } };
  }
  const sameType = keys.filter((e) => e.keyType === presented.keyType);
  const match = sameType.find((e) => e.fingerprint === presented.fingerprint);
  const distinct = new Set(sameType.map((e) => e.fingerprint));
  if (match) {
    if (distinct.size > 1) notes.push(`known_hosts holds ${distinct.size} different ${presented.keyType} keys for ${name}; the one on line ${match.line} is the node's`);
    if (keys.length > sameType.length) notes.push(`known_hosts also holds ${[...new Set(keys.filter((e) => e.keyType !== presented.keyType).map((e) => e.keyType))].join(', ')} for ${name}; kpki pins the ${presented.keyType} key the node presents to it`);
    return { pinned: seen(match), problem: null, notes };
  }
  if (distinct.size > 1) {
    return { pinned: null, notes, problem: { code: 'known-hosts-several-keys', message: `known_hosts holds ${distinct.size} different ${presented.keyType} keys for ${name} (lines ${sameType.map((e) => e.line).join(', ')}), none of them the key the node presents (${presented.fingerprint}): not pinned; check the node, then pin from the host-key scan` } };
  }
  if (sameType.length) {
    return { pinned: null, notes, problem: { code: 'known-hosts-wrong-key', message: `known_hosts line ${sameType[0].line} holds ${sameType[0].fingerprint} (${presented.keyType}) for ${name}, but the node presents ${presented.fingerprint}: not pinned (a reinstalled node, or someone in between: check the node, then pin from the host-key scan)` } };
  }
  if (keys.length) {
    const types = [...new Set(keys.map((e) => e.keyType))].join(', ');
    return { pinned: null, notes, problem: { code: 'known-hosts-key-type', message: `known_hosts holds only ${types} for ${name} (line ${keys[0].line}), but the node presents a ${presented.keyType} key to kpki: add its ${presented.keyType} line (ssh-keyscan -t ${presented.keyType.replace(/^ssh-/, '').replace(/^ecdsa-sha2-nistp\d+$/, 'ecdsa')}) or pin from the host-key scan` } };
  }
  return { pinned: null, notes, problem: { code: 'known-hosts-no-entry', message: `known_hosts has no key for ${name}${entries.some((e) => e.marker === 'cert-authority') ? ' (only a @cert-authority line: kpki pins host keys, not host certificate authorities)' : ''}` } };
}

interface Draft {
  row: SshImportRow;
  own: SshSettings | undefined;
  proposed: SshSettings;
  /** host settings taken from ssh_config can be applied (no blocking problem) */
  usable: boolean;
  resolved: ResolvedHost | null;
}

/** The Host blocks an ssh_config gives a node: by its name, else by its addresses; null when only catch-alls match. */
function resolveNode(config: SshConfig, node: { name: string; addresses: string[] }): { resolved: ResolvedHost; via: string } | null {
  for (const candidate of [node.name, ...node.addresses]) {
    const r = resolveHost(config, candidate);
    if (r.specific) return { resolved: r, via: candidate };
  }
  return null;
}

/**
 * The import: per node what the texts yield, and with `apply` stored (the CA key rule through
 * `guard`, the allowed targets, If-Match). Contacts each node that known_hosts has keys for, to
 * compare the key it presents (pins nothing by itself).
 * @throws AppError PAYLOAD_TOO_LARGE, VALIDATION_FAILED (lines), CLUSTER_NOT_FOUND, PRECONDITION_FAILED, the guard's refusal
 */
export async function sshImport(deps: Deps, clusterName: string, body: SshImportRequest, guard: CaKeyGuard, ifMatch?: string | string[]): Promise<{ answer: SshImportAnswer; etag: string | null }> {
  if (body.sshConfig === undefined && body.knownHosts === undefined) {
    throw new AppError('VALIDATION_FAILED', 'give an ssh_config text (sshConfig), a known_hosts text (knownHosts) or both', [{ path: '/', code: 'REQUIRED', message: 'sshConfig or knownHosts' }]);
  }
  const { config, known } = parseImportTexts(body);
  let row = getCluster(deps, clusterName);
  if (body.apply) requireClusterVersion(deps, row, ifMatch);
  const input = row.input;
  const notes: SshImportNote[] = [
    ...(config?.notes ?? []).map((n) => ({ source: 'sshConfig' as const, ...n })),
    ...(known ?? []).filter((e) => e.marker).map((e) => ({
      source: 'knownHosts' as const, line: e.line,
      message: e.marker === 'revoked'
        ? `@revoked ${e.keyType} key ${e.fingerprint}${e.patterns ? ` for ${e.patterns.join(',')}` : ' (hashed name)'}: never pinned`
        : `@cert-authority ${e.keyType} ${e.fingerprint}${e.patterns ? ` for ${e.patterns.join(',')}` : ' (hashed name)'}: kpki pins host keys, not host certificate authorities`,
    })),
  ];
  const identityFiles = new Set<string>();
  const usedBlocks = new Set<number>();

  const drafts: Draft[] = input.nodes.map((node) => {
    const own = node.ssh;
    const proposed: SshSettings = { ...(own ?? {}) };
    const row: SshImportRow = {
      node: node.name, role: node.role, hostLines: [], current: own ?? null, proposed: null, changes: [], pinned: null, presented: null,
      knownHostsKeys: [], problems: [], notes: [], applied: false,
    };
    const draft: Draft = { row, own, proposed, usable: true, resolved: null };
    if (!config) return draft;
    const found = resolveNode(config, node);
    if (!found) {
      for (const line of resolveHost(config, node.name).matched) usedBlocks.add(line);
      row.problems.push({ code: 'no-entry', message: `no Host entry of the ssh_config names ${node.name} (nor ${node.addresses.join(', ')}): its SSH settings stay as they are` });
      return draft;
    }
    const r = found.resolved;
    draft.resolved = r;
    row.hostLines = r.matched;
    r.matched.forEach((l) => usedBlocks.add(l));
    r.identityFiles.forEach((f) => identityFiles.add(f));
    const proxy = r.proxyJump ?? r.proxyCommand;
    if (proxy) {
      const what = r.proxyJump ? 'ProxyJump' : 'ProxyCommand';
      row.problems.push({ code: 'proxy-jump', message: `${what} ${proxy.value} (line ${proxy.line}) is not supported: kpki connects to each node directly, so ${node.name} must be reachable from kpki without a jump host; its SSH settings stay as they are` });
      draft.usable = false;
      return draft;
    }
    const inherited = input.sshDefaults ?? {};
    proposed.host = r.hostName ?? found.via;
    if (!r.hostName) row.notes.push(`no HostName: OpenSSH dials "${found.via}" itself, and so does kpki`);
    const port = r.port ?? 22;
    if (own?.port !== undefined || port !== (inherited.port ?? 22)) proposed.port = port;
    if (r.user !== undefined) {
      if (own?.user !== undefined || r.user !== (inherited.user ?? 'root')) proposed.user = r.user;
    } else {
      row.notes.push(`no User: OpenSSH would log in as your local user; kpki keeps ${effectiveSsh(input, node)?.user ?? 'root'}`);
    }
    return draft;
  });

  // every proposed target must be valid and allowed, or the node keeps its settings
  for (const d of drafts) {
    const node = input.nodes.find((n) => n.name === d.row.node)!;
    if (!d.usable || !d.resolved) continue;
    const res = checkCluster({ ...input, nodes: input.nodes.map((n) => (n.name === node.name ? { ...n, ssh: d.proposed } : n)) });
    const issues = res.ok ? [] : res.issues.filter((i) => i.path.startsWith(`/nodes/${input.nodes.indexOf(node)}/ssh`));
    if (issues.length) {
      d.row.problems.push({ code: 'invalid', message: `the settings are not valid: ${issues.map((i) => i.message).join('; ')}; they stay as they are` });
      d.usable = false;
      continue;
    }
    try {
      checkSshTarget(deps, node.name, effectiveSsh(input, { ssh: d.proposed }) ?? d.proposed);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      d.row.problems.push({ code: 'not-allowed', message: `${err.message}; the settings stay as they are` });
      d.usable = false;
    }
  }
  for (const d of drafts) {
    if (!d.usable) Object.assign(d, { proposed: { ...(d.own ?? {}) } });
  }

  // known_hosts: the key each node presents at its (proposed) target, pinned when known_hosts holds it
  if (known) {
    const limit = pLimit(SCAN_CONCURRENCY);
    await Promise.all(drafts.map((d) => limit(async () => {
      const eff = effectiveSsh(input, { ssh: d.proposed });
      if (!eff?.host) {
        d.row.problems.push({ code: 'known-hosts-no-entry', message: 'no SSH host: nothing to look up in known_hosts' });
        return;
      }
      if (!d.usable) return;
      const port = eff.port ?? 22;
      const name = knownHostsName(d.resolved?.hostKeyAlias ?? eff.host, port);
      const entries = lookupKnownHosts(known, d.resolved?.hostKeyAlias ?? eff.host, port);
      d.row.knownHostsKeys = entries.filter((e) => e.marker === null).map((e) => ({ fingerprint: e.fingerprint, keyType: e.keyType, line: e.line }));
      if (!entries.some((e) => e.marker !== 'cert-authority')) {
        d.row.problems.push(judgeKnownKey(entries, { fingerprint: '', keyType: '' }, name).problem!);
      } else {
        try {
          const presented = await scanHostKey({ host: eff.host, port, policy: deps.config.sshTargets });
          d.row.presented = presented;
          const verdict = judgeKnownKey(entries, presented, name);
          d.row.notes.push(...verdict.notes);
          if (verdict.problem) d.row.problems.push(verdict.problem);
          if (verdict.pinned) {
            d.row.pinned = verdict.pinned;
            d.proposed.hostKey = verdict.pinned.fingerprint;
          }
        } catch (err) {
          if (!(err instanceof SshError)) throw err;
          d.row.problems.push({ code: 'unreachable', message: `could not look at the key the node presents, to compare it with known_hosts: ${err.message}; not pinned` });
        }
      }
    })));
  }

  // a key pinned for another target says nothing about the new one
  for (const d of drafts) {
    const before = effectiveSsh(input, { ssh: d.own });
    const after = effectiveSsh(input, { ssh: d.proposed });
    if (d.proposed.hostKey && !d.row.pinned && (before?.host !== after?.host || (before?.port ?? 22) !== (after?.port ?? 22))) {
      delete d.proposed.hostKey;
      d.row.notes.push(`the host key pinned for ${before?.host}:${before?.port ?? 22} is dropped: it says nothing about ${after?.host}:${after?.port ?? 22}; scan and pin`);
    }
    d.row.changes = sshChanges(d.own, d.proposed);
    d.row.proposed = Object.keys(d.proposed).length ? d.proposed : (d.own ?? null);
  }

  const changed = drafts.filter((d) => d.row.changes.length > 0);
  const after: ClusterInput = { ...input, nodes: input.nodes.map((n) => {
    const d = changed.find((x) => x.row.node === n.name);
    return d ? { ...n, ssh: d.proposed } : n;
  }) };
  const caKeyChanges = caKeyTargetChanges(input, after);
  let etag: string | null = null;
  if (body.apply && changed.length) {
    guard(caKeyChanges);
    const res = checkCluster(after);
    if (!res.ok) throw new AppError('VALIDATION_FAILED', `the SSH settings are not valid: ${res.issues.map((i) => i.message).join('; ')}`, res.issues);
    deps.clusters.setSshMany(row.id, changed.map((d) => ({ node: d.row.node, ssh: d.proposed })), deps.now().toISOString());
    changed.forEach((d) => (d.row.applied = true));
    row = getCluster(deps, clusterName);
  }
  if (body.apply) etag = clusterEtag(clusterView(deps, row));
  for (const f of identityFiles) {
    notes.push({ source: 'sshConfig', line: 0, message: `IdentityFile ${f} noted: kpki logs in with the cluster's deploy key, not your key files; its public key must be in the SSH user's authorized_keys on each node` });
  }
  const unusedHosts = (config?.hosts ?? []).filter((h) => !usedBlocks.has(h.line)).map((h) => ({ line: h.line, patterns: h.patterns }));
  const rows = drafts.map((d) => d.row);
  return {
    etag,
    answer: {
      applied: !!body.apply && changed.length > 0,
      nodes: rows,
      unusedHosts,
      notes,
      caKeyChanges,
      counts: { nodes: rows.length, changed: changed.length, pinned: rows.filter((r) => r.pinned).length, problems: rows.filter((r) => r.problems.length > 0).length },
    },
  };
}
