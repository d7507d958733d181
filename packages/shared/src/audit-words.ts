/**
 * What an audit line says in words, for the audit page and the CSV export: "distributed to
 * worker1", "downloaded the bundle of cp1 (includes the CA key)". Pure; the line's raw action
 * and object stay beside the words.
 */
import type { AuditEntry, AuditOutcome } from './api/auth.ts';
import { AUDIT_DENIED_STATUSES } from './lists.ts';

type Line = Pick<AuditEntry, 'action' | 'object' | 'details' | 'result'>;

/** "cluster=lab node=cp1" -> { cluster: 'lab', node: 'cp1' } */
export function auditObjectFields(object: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of object.split(' ')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

const facts = (details: unknown): Record<string, unknown> => (details && typeof details === 'object' && !Array.isArray(details) ? (details as Record<string, unknown>) : {});
const list = (names: unknown): string[] => (Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : []);

/** True when the line moved the CA key (a download, a bundle or a distribution that held it). */
export function auditCaKey(line: Line): boolean {
  if (line.action === 'ca-key-sent') return true;
  return facts(line.details).caKey === true;
}

/** The nodes a line is about: a bundle's node, a distribution's nodes. */
export function auditNodes(line: Line): string[] {
  const f = facts(line.details);
  const nodes = list(f.nodes);
  const node = auditObjectFields(line.object).node ?? (typeof f.node === 'string' ? f.node : undefined);
  return node && !nodes.includes(node) ? [node, ...nodes] : nodes;
}

const ROUTE_WORDS: Record<string, (o: Record<string, string>) => string> = {
  'POST /api/v1/clusters': () => 'created a cluster',
  'PUT /api/v1/clusters/:cluster': (o) => `changed the topology of ${o.cluster}`,
  'DELETE /api/v1/clusters/:cluster': (o) => `deleted cluster ${o.cluster}`,
  'POST /api/v1/clusters/:cluster/ca': (o) => `created the CA of ${o.cluster}`,
  'POST /api/v1/clusters/:cluster/issuances': (o) => `issued the certificates of ${o.cluster}`,
  'POST /api/v1/clusters/:cluster/verifications': (o) => `verified the nodes of ${o.cluster}`,
  'POST /api/v1/clusters/:cluster/nodes/:node/verify': (o) => `verified ${o.node}`,
  'PUT /api/v1/clusters/:cluster/nodes/:node/ssh': (o) => `set the SSH target of ${o.node}`,
  'POST /api/v1/clusters/:cluster/nodes/:node/host-key-scan': (o) => `scanned the host key of ${o.node}`,
  'PUT /api/v1/clusters/:cluster/ssh-defaults': (o) => `changed the SSH defaults of ${o.cluster}`,
  'PUT /api/v1/clusters/:cluster/ssh-key': (o) => `uploaded the deploy key of ${o.cluster}`,
  'POST /api/v1/clusters/:cluster/changes/apply': (o) => `applied the topology changes of ${o.cluster}`,
  'POST /api/v1/deleted-clusters/:cluster/restore': (o) => `restored cluster ${o.cluster}`,
  'DELETE /api/v1/deleted-clusters/:cluster': (o) => `purged cluster ${o.cluster}`,
  'POST /api/v1/users': () => 'created a user',
  'PATCH /api/v1/users/:id': () => 'changed a user',
  'POST /api/v1/tokens': () => 'created an API token',
  'DELETE /api/v1/tokens/:id': () => 'revoked an API token',
  'POST /api/v1/backups': () => 'backed up the database',
};

const NAMED_WORDS: Record<string, string> = {
  'sign-in': 'signed in',
  'sign-out': 'signed out',
  reauth: 'entered the password again (may move the CA key for 5 minutes)',
  'change-own-password': 'changed their password',
  'archive-audit': 'archived old audit lines',
  'download-audit-archive': 'downloaded an audit archive',
  'export-audit': 'exported the audit log',
  'download-encryption-config': 'downloaded the encryption config (holds the encryption key)',
  'audit-archived': 'archived old audit lines',
  'cluster-purged': 'purged a deleted cluster after its retention',
  'rejected-anonymous-requests': 'requests without sign-in were refused',
  'imports-expired': 'discarded imports not adopted in time',
};

/** One sentence for a line, without the actor: "downloaded the bundle of cp1 (includes the CA key)". */
export function auditSentence(line: Line): string {
  const o = auditObjectFields(line.object);
  const f = facts(line.details);
  const failed = line.result === 'ok' ? '' : ` (${line.result})`;
  const withCaKey = (to: string[]) => (to.length ? ` (with the CA key to ${to.join(', ')})` : '');
  let words: string;
  switch (line.action) {
    case 'download-bundle':
      words = `downloaded the bundle of ${o.node ?? (typeof f.node === 'string' ? f.node : 'every node')}${f.caKey === true ? ' (includes the CA key)' : ''}`;
      break;
    case 'download-key':
      words = o.name === 'ca' ? 'downloaded the CA key (ca-key.pem)' : `downloaded the key of ${o.name ?? 'a certificate'} (${o.name ?? '?'}-key.pem)`;
      break;
    case 'ca-key-sent':
      words = `sent the CA key to ${o.node ?? 'a node'}`;
      break;
    case 'download-kubeconfig':
      words = `downloaded the kubeconfig ${o.name ?? '?'}${o.cluster ? ` of ${o.cluster}` : ''}`;
      break;
    case 'POST /api/v1/clusters/:cluster/renewals': {
      const names = list(f.certificates);
      words = `renewed ${names.length ? names.join(', ') : 'the certificates due'} of ${o.cluster ?? 'a cluster'}`;
      break;
    }
    case 'POST /api/v1/clusters/:cluster/ca-rotation': {
      const phase = typeof f.phase === 'string' ? f.phase : 'a phase';
      const nodes = list(f.nodes);
      const words_: Record<string, string> = {
        prepare: 'started a CA rotation (prepare: trust both CAs)', switch: 'switched to the new CA', finalize: 'finalized the CA rotation (trust the new CA alone)', abort: 'aborted the CA rotation',
      };
      words = `${words_[phase] ?? `ran CA rotation phase ${phase}`} of ${o.cluster ?? 'a cluster'}${nodes.length ? `, writing to ${nodes.join(', ')}${withCaKey(list(f.caKeyTo))}` : ''}`;
      break;
    }
    case 'import-pki': {
      const files = typeof f.files === 'number' ? `${f.files} file(s)` : 'files';
      const from = typeof f.node === 'string' ? ` pulled from ${f.node}${typeof f.path === 'string' ? `:${f.path}` : ''}` : ' from an archive';
      words = `imported ${files}${from} into ${o.cluster ?? 'a cluster'} for review${f.caKey === true ? ' (includes the CA key)' : ''}`;
      break;
    }
    case 'adopt-import':
      words = `adopted an imported PKI into ${o.cluster ?? 'a cluster'}${f.caKey === true ? ' (with the CA key)' : ''}`;
      break;
    case 'discard-import':
      words = `discarded an import of ${o.cluster ?? 'a cluster'}`;
      break;
    case 'propose-topology':
      words = `read an archive to propose a topology${f.caKey === true ? ' (it held the CA key; nothing stored)' : ''}`;
      break;
    case 'admin-kubeconfig-sent':
      words = `sent admin.kubeconfig to ${o.node ?? 'a node'}`;
      break;
    case 'POST /api/v1/clusters/:cluster/ssh-import': {
      const nodes = list(f.nodes);
      words = f.apply === true
        ? `set the SSH settings of ${nodes.length ? nodes.join(', ') : 'no node'} of ${o.cluster ?? 'a cluster'} from an ssh_config / known_hosts`
        : `previewed an SSH import (ssh_config / known_hosts) for ${o.cluster ?? 'a cluster'}`;
      break;
    }
    case 'POST /api/v1/clusters/:cluster/host-key-scan':
      words = `scanned the host keys of ${list(f.nodes).length || 'no'} node(s) of ${o.cluster ?? 'a cluster'} (pins nothing)`;
      break;
    case 'POST /api/v1/clusters/:cluster/host-keys':
      words = `pinned the host keys of ${list(f.nodes).join(', ') || 'no node'}`;
      break;
    case 'POST /api/v1/clusters/:cluster/ssh-hosts/first-address':
      words = `set the SSH host of ${list(f.nodes).join(', ') || 'no node'} to its first address`;
      break;
    case 'POST /api/v1/clusters/:cluster/distributions':
    case 'POST /api/v1/clusters/:cluster/nodes/:node/distribute': {
      const nodes = list(f.nodes);
      words = `distributed to ${nodes.length ? nodes.join(', ') : (o.node ?? 'every node')}${withCaKey(list(f.caKeyTo))}`;
      break;
    }
    default:
      words = NAMED_WORDS[line.action] ?? ROUTE_WORDS[line.action]?.(o) ?? line.action;
  }
  return words + failed;
}

/**
 * What a line's result comes to (the store counts and filters by the same rule in SQL):
 * "ok" ok; "failed (401)", "failed (401, 429)" denied (every status a refusal); else failed.
 */
export function auditOutcome(result: string): AuditOutcome {
  if (result === 'ok') return 'ok';
  const statuses = /^failed \((.+)\)$/.exec(result)?.[1].split(', ');
  return statuses?.every((s) => AUDIT_DENIED_STATUSES.includes(s)) ? 'denied' : 'failed';
}
