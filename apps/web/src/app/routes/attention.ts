/**
 * "What needs attention" on a cluster's dashboard, from the nodes, certificates and jobs the
 * features read: security problems first, then what is broken or out of date, then what to do
 * next. Pure (the clock is injectable); the overview renders it. On a fleet, more than
 * GROUP_OVER nodes (or certificates) with the same problem read as one item that counts them,
 * names the first few and links to the nodes page filtered to them, never a list of hundreds.
 */
import type { CertificateSummary, Job, NodeFileDrift, NodeRow, NodeState } from '@kpki/shared';
import { formatDay, relativeTime } from '../../lib/time.ts';
import { someNames } from '../../lib/names.ts';

export type AttentionLevel = 'danger' | 'warning' | 'info';

export interface AttentionItem {
  id: string;
  level: AttentionLevel;
  text: string;
  /** what the item links to */
  node?: string;
  certificate?: string;
  job?: string;
  /** the nodes page filtered to this node state (a grouped item whose nodes all have it) */
  nodesInState?: NodeState;
  /** the expiry page filtered to this state (grouped certificates) */
  expiryState?: string;
}

/** Above this many nodes (or certificates) with the same problem, one item stands for them. */
export const GROUP_OVER = 5;

export interface AttentionInput {
  hasCa: boolean;
  issued: boolean;
  nodes: NodeRow[];
  certificates: CertificateSummary[];
  jobs: Job[];
  now?: number;
}

const names = (files: NodeFileDrift[]) => someNames(files.map((f) => f.file), 3);
const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** What a node's item is about, and how a group of them reads ("12 nodes" + this). */
const NODE_PROBLEMS = {
  mode: { state: 'mode', group: 'hold files with the wrong mode' },
  foreign: { state: 'foreign', group: "hold files that are not kpki's" },
  unreachable: { state: 'unreachable', group: 'could not be read' },
  stale: { state: 'stale', group: 'hold earlier versions of their files: redistribute' },
  missing: { state: 'missing', group: 'miss files: distribute' },
  'not-configured': { state: 'not-configured', group: 'have no SSH target: set their hosts and pin their keys' },
  'not-checked': { state: 'not-checked', group: 'were never looked at with their SSH targets: verify them' },
  'ca-key': { state: undefined, group: 'had ca-key.pem left out' },
} as const satisfies Record<string, { state: NodeState | undefined; group: string }>;
type NodeProblem = keyof typeof NODE_PROBLEMS;

type NodeItem = AttentionItem & { problem: NodeProblem; node: string };

function nodeItems(n: NodeRow): NodeItem[] {
  if (n.expectedFiles === 0) return [];
  const s = n.status;
  const out: NodeItem[] = [];
  const of = (state: NodeFileDrift['state']) => s.drift.filter((f) => f.state === state);
  for (const f of of('mode')) {
    out.push({ problem: 'mode', id: `${n.name}/${f.file}/mode`, level: f.reason?.security ? 'danger' : 'warning', text: `${n.name}: ${f.reason?.message ?? `${f.file} has the wrong mode`}`, node: n.name });
  }
  for (const f of of('foreign')) out.push({ problem: 'foreign', id: `${n.name}/${f.file}/foreign`, level: 'danger', text: `${n.name}: ${f.reason?.message ?? `${f.file} is not kpki's`}`, node: n.name });
  if (s.state === 'unreachable') out.push({ problem: 'unreachable', id: `${n.name}/unreachable`, level: 'warning', text: s.error?.message ?? `${n.name} could not be read`, node: n.name });
  const stale = of('stale');
  if (stale.length) out.push({ problem: 'stale', id: `${n.name}/stale`, level: 'warning', text: `${n.name} holds earlier versions of ${count(stale.length, 'file')} (${names(stale)}): redistribute`, node: n.name });
  const missing = of('missing');
  if (missing.length && s.state !== 'unreachable') {
    out.push({ problem: 'missing', id: `${n.name}/missing`, level: 'warning', text: `${n.name} misses ${count(missing.length, 'file')} (${names(missing)}): distribute`, node: n.name });
  }
  if (s.state === 'not-configured') out.push({ problem: 'not-configured', id: `${n.name}/not-configured`, level: 'info', text: `${n.name} has no SSH target: set its host and pin its key`, node: n.name });
  if (s.state === 'not-checked') out.push({ problem: 'not-checked', id: `${n.name}/not-checked`, level: 'info', text: `${n.name} was never looked at with its SSH target: verify it`, node: n.name });
  if (s.caKeyWithheld) out.push({ problem: 'ca-key', id: `${n.name}/ca-key`, level: 'info', text: `${n.name}: ca-key.pem was left out (${s.caKeyWithheld.reason})`, node: n.name });
  return out;
}

/** Each node's items, with more than GROUP_OVER nodes of one problem folded into one item. */
function groupNodeItems(nodes: NodeRow[]): AttentionItem[] {
  const byProblem = new Map<NodeProblem, NodeItem[]>();
  const stateOf = new Map(nodes.map((n) => [n.name, n.status.state]));
  for (const n of nodes) for (const item of nodeItems(n)) byProblem.set(item.problem, [...(byProblem.get(item.problem) ?? []), item]);
  const out: AttentionItem[] = [];
  for (const [problem, list] of byProblem) {
    const names = [...new Set(list.map((i) => i.node))];
    if (names.length <= GROUP_OVER) {
      out.push(...list.map(({ problem: _, ...item }) => item));
      continue;
    }
    const { state, group } = NODE_PROBLEMS[problem];
    out.push({
      id: `nodes/${problem}`,
      level: list.some((i) => i.level === 'danger') ? 'danger' : list[0].level,
      text: `${count(names.length, 'node')} ${group} (${someNames(names, 3)})`,
      // a link to the nodes of that state only when it lists exactly these nodes
      nodesInState: state && names.every((n) => stateOf.get(n) === state) && nodes.filter((n) => n.status.state === state).length === names.length ? state : undefined,
    });
  }
  return out;
}

export function attentionItems({ hasCa, issued, nodes, certificates, jobs, now = Date.now() }: AttentionInput): AttentionItem[] {
  const items: AttentionItem[] = [];
  if (!hasCa) items.push({ id: 'no-ca', level: 'info', text: 'Create the CA: nothing is issued yet.' });
  else if (!issued) items.push({ id: 'not-issued', level: 'info', text: 'Review the plan and issue the certificates.' });
  items.push(...groupNodeItems(nodes));

  const due = nodes.filter((n) => n.status.checkDue && n.status.checkedAt && n.status.state !== 'not-configured');
  if (due.length) {
    const oldest = due.map((n) => n.status.checkedAt!).sort()[0];
    items.push({ id: 'due', level: 'info', text: `${count(due.length, 'node')} last checked ${relativeTime(oldest, now)}: verify to be sure the states are current` });
  }

  // expiry states as the server judged them with the cluster's thresholds (warning, critical, expired)
  const expiring = certificates.filter((x) => x.status === 'current' && x.expiryState !== 'ok');
  for (const state of ['expired', 'critical', 'warning'] as const) {
    const these = expiring.filter((c) => c.expiryState === state).sort((a, b) => a.notAfter.localeCompare(b.notAfter));
    const level = state === 'expired' ? 'danger' : 'warning';
    if (these.length > GROUP_OVER) {
      const first = these[0];
      items.push({
        id: `certs/${state}`, level, expiryState: state,
        text: `${count(these.length, 'certificate')} ${state === 'expired' ? 'expired' : `in ${state}`} (${someNames(these.map((c) => c.name), 3)}), the first ${state === 'expired' ? 'expired' : 'expires'} ${relativeTime(first.notAfter, now)} (${formatDay(first.notAfter)})`,
      });
      continue;
    }
    for (const c of these) {
      if (state === 'expired') items.push({ id: `cert/${c.name}`, level, text: `${c.name}.pem expired ${relativeTime(c.notAfter, now)} (${formatDay(c.notAfter)})`, certificate: c.name });
      else items.push({ id: `cert/${c.name}`, level, text: `${c.name}.pem expires ${relativeTime(c.notAfter, now)} (${formatDay(c.notAfter)})`, certificate: c.name });
    }
  }

  const lastDistribution = jobs.find((j) => j.type === 'distribution');
  if (lastDistribution?.status === 'failed') {
    const failed = Object.entries((lastDistribution.result?.nodes ?? {}) as Record<string, { error?: unknown }>).filter(([, o]) => o.error).map(([n]) => n);
    items.push({
      id: 'distribution-failed', level: 'warning', job: lastDistribution.id,
      text: failed.length ? `The last distribution failed on ${failed.length > GROUP_OVER ? count(failed.length, 'node') + ` (${someNames(failed, 3)})` : failed.join(', ')}: retry the failed nodes` : `The last distribution failed: ${lastDistribution.error?.message ?? 'see its log'}`,
    });
  }
  const rank: Record<AttentionLevel, number> = { danger: 0, warning: 1, info: 2 };
  return items.sort((a, b) => rank[a.level] - rank[b.level]);
}
