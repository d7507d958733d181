/**
 * "What needs attention" on a cluster's dashboard, from the nodes, certificates and jobs the
 * features read: security problems first, then what is broken or out of date, then what to do
 * next. Pure (the clock is injectable); the overview renders it.
 */
import type { CertificateSummary, Job, NodeFileStatus, NodeSummary } from '@kpki/shared';
import { formatDay, relativeTime } from '../../lib/time.ts';

export type AttentionLevel = 'danger' | 'warning' | 'info';

export interface AttentionItem {
  id: string;
  level: AttentionLevel;
  text: string;
  /** what the item links to */
  node?: string;
  certificate?: string;
  job?: string;
}

export interface AttentionInput {
  hasCa: boolean;
  issued: boolean;
  nodes: NodeSummary[];
  certificates: CertificateSummary[];
  jobs: Job[];
  now?: number;
}

const names = (files: NodeFileStatus[]) => {
  const shown = files.slice(0, 3).map((f) => f.file).join(', ');
  return files.length > 3 ? `${shown} and ${files.length - 3} more` : shown;
};
const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

function nodeItems(n: NodeSummary): AttentionItem[] {
  if (n.expectedFiles === 0) return [];
  const s = n.status;
  const out: AttentionItem[] = [];
  const of = (state: NodeFileStatus['state']) => s.files.filter((f) => f.state === state);
  for (const f of of('mode')) {
    out.push({ id: `${n.name}/${f.file}/mode`, level: f.reason?.security ? 'danger' : 'warning', text: `${n.name}: ${f.reason?.message ?? `${f.file} has the wrong mode`}`, node: n.name });
  }
  for (const f of of('foreign')) out.push({ id: `${n.name}/${f.file}/foreign`, level: 'danger', text: `${n.name}: ${f.reason?.message ?? `${f.file} is not kpki's`}`, node: n.name });
  if (s.state === 'unreachable') out.push({ id: `${n.name}/unreachable`, level: 'warning', text: s.error?.message ?? `${n.name} could not be read`, node: n.name });
  const stale = of('stale');
  if (stale.length) out.push({ id: `${n.name}/stale`, level: 'warning', text: `${n.name} holds earlier versions of ${count(stale.length, 'file')} (${names(stale)}): redistribute`, node: n.name });
  const missing = of('missing');
  if (missing.length && s.state !== 'unreachable') {
    out.push({ id: `${n.name}/missing`, level: 'warning', text: `${n.name} misses ${count(missing.length, 'file')} (${names(missing)}): distribute`, node: n.name });
  }
  if (s.state === 'not-configured') out.push({ id: `${n.name}/not-configured`, level: 'info', text: `${n.name} has no SSH target: set its host and pin its key`, node: n.name });
  if (s.state === 'not-checked') out.push({ id: `${n.name}/not-checked`, level: 'info', text: `${n.name} was never looked at with its SSH target: verify it`, node: n.name });
  if (s.caKeyWithheld) out.push({ id: `${n.name}/ca-key`, level: 'info', text: `${n.name}: ca-key.pem was left out (${s.caKeyWithheld.reason})`, node: n.name });
  return out;
}

export function attentionItems({ hasCa, issued, nodes, certificates, jobs, now = Date.now() }: AttentionInput): AttentionItem[] {
  const items: AttentionItem[] = [];
  if (!hasCa) items.push({ id: 'no-ca', level: 'info', text: 'Create the CA: nothing is issued yet.' });
  else if (!issued) items.push({ id: 'not-issued', level: 'info', text: 'Review the plan and issue the certificates.' });
  for (const n of nodes) items.push(...nodeItems(n));

  const due = nodes.filter((n) => n.status.checkDue && n.status.checkedAt && n.status.state !== 'not-configured');
  if (due.length) {
    const oldest = due.map((n) => n.status.checkedAt!).sort()[0];
    items.push({ id: 'due', level: 'info', text: `${count(due.length, 'node')} last checked ${relativeTime(oldest, now)}: verify to be sure the states are current` });
  }

  // expiry states as the server judged them with the cluster's thresholds (warning, critical, expired)
  for (const c of certificates.filter((x) => x.status === 'current' && x.expiryState !== 'ok')) {
    if (c.expiryState === 'expired') items.push({ id: `cert/${c.name}`, level: 'danger', text: `${c.name}.pem expired ${relativeTime(c.notAfter, now)} (${formatDay(c.notAfter)})`, certificate: c.name });
    else items.push({ id: `cert/${c.name}`, level: 'warning', text: `${c.name}.pem expires ${relativeTime(c.notAfter, now)} (${formatDay(c.notAfter)})`, certificate: c.name });
  }

  const lastDistribution = jobs.find((j) => j.type === 'distribution');
  if (lastDistribution?.status === 'failed') {
    const failed = Object.entries((lastDistribution.result?.nodes ?? {}) as Record<string, { error?: unknown }>).filter(([, o]) => o.error).map(([n]) => n);
    items.push({
      id: 'distribution-failed', level: 'warning', job: lastDistribution.id,
      text: failed.length ? `The last distribution failed on ${failed.join(', ')}: retry the failed nodes` : `The last distribution failed: ${lastDistribution.error?.message ?? 'see its log'}`,
    });
  }
  const rank: Record<AttentionLevel, number> = { danger: 0, warning: 1, info: 2 };
  return items.sort((a, b) => rank[a.level] - rank[b.level]);
}
