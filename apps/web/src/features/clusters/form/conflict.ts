/**
 * Two people editing one topology (issue 17): when a save answers 412 (someone else saved since
 * the editor was opened), what each side changed, in words, and the person's edits reapplied on
 * the current version (a three-way merge by top-level field and by node name: what the person
 * did not touch takes the other writer's value). A node's SSH settings are read with the
 * cluster's sshDefaults applied (effectiveSsh): a changed default changes the target of every
 * node that inherits it, and that is said, node by node.
 */
import { effectiveSsh, type ClusterInput, type ClusterNode, type SshSettings } from '@kpki/shared';
import { fromClusterInput, toClusterInput } from './form-model.ts';

type Fields = Record<string, unknown>;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A cluster as the editor would send it (the GET's read-only fields and defaults normalised away), so sides compare alike. */
export const asEdited = (cluster: ClusterInput): ClusterInput => toClusterInput(fromClusterInput(cluster));

const show = (v: unknown) => (v === undefined ? '(default)' : typeof v === 'string' ? v : JSON.stringify(v));

/** user@host:port/folder as a node's SSH settings in force name its target ("none" without a host). */
const target = (ssh: SshSettings | undefined) =>
  ssh?.host ? `${ssh.user ? `${ssh.user}@` : ''}${ssh.host}${ssh.port !== undefined ? `:${ssh.port}` : ''}${ssh.remoteDir ? ` ${ssh.remoteDir}` : ''}` : 'none';

/** What changed in a node, its SSH settings read with each side's sshDefaults. */
function nodeChanges(fromCluster: ClusterInput, from: ClusterNode, toCluster: ClusterInput, to: ClusterNode): string[] {
  const out: string[] = [];
  if (from.role !== to.role) out.push(`role ${from.role} → ${to.role}`);
  if (!same(from.addresses, to.addresses)) out.push(`addresses ${from.addresses.join(', ')} → ${to.addresses.join(', ')}`);
  const was = effectiveSsh(fromCluster, from);
  const now = effectiveSsh(toCluster, to);
  const own = !same(from.ssh ?? {}, to.ssh ?? {});
  if (!was?.host && !now?.host) {
    if (own) out.push('SSH settings'); // no target either side: the defaults reach nothing
  } else if (!same(was ?? {}, now ?? {})) {
    const through = own ? '' : " (the cluster's SSH defaults)";
    out.push(target(was) !== target(now) ? `SSH target ${target(was)} → ${target(now)}${through}` : `SSH settings${through}`);
  } else if (own) {
    out.push('SSH settings (same in force)');
  }
  return out;
}

const fieldKeys = (...sides: ClusterInput[]) => [...new Set(sides.flatMap((s) => Object.keys(s)))].filter((k) => k !== 'nodes');

/** What changed from one topology to another, one line per field or node. */
export function describeChanges(from: ClusterInput, to: ClusterInput): string[] {
  const lines: string[] = [];
  const a = from as unknown as Fields;
  const b = to as unknown as Fields;
  for (const key of fieldKeys(from, to)) if (!same(a[key], b[key])) lines.push(`${key}: ${show(a[key])} → ${show(b[key])}`);
  const before = new Map(from.nodes.map((n) => [n.name, n]));
  const after = new Map(to.nodes.map((n) => [n.name, n]));
  for (const n of to.nodes) {
    const old = before.get(n.name);
    if (!old) lines.push(`node ${n.name} added (${n.role}, ${n.addresses.join(', ')})`);
    else {
      const changes = nodeChanges(from, old, to, n);
      if (changes.length) lines.push(`node ${n.name}: ${changes.join('; ')}`);
    }
  }
  for (const n of from.nodes) if (!after.has(n.name)) lines.push(`node ${n.name} removed`);
  return lines;
}

/**
 * The person's edits (base → mine) applied on `current`. `overlaps` names what both changed
 * differently (the person's value is kept: they review it before saving again).
 */
export function reapply(base: ClusterInput, mine: ClusterInput, current: ClusterInput): { merged: ClusterInput; overlaps: string[] } {
  const overlaps: string[] = [];
  const b = base as unknown as Fields;
  const m = mine as unknown as Fields;
  const c = current as unknown as Fields;
  const merged: Fields = { ...c };
  for (const key of fieldKeys(base, mine, current)) {
    if (same(b[key], m[key])) continue;
    if (!same(b[key], c[key]) && !same(m[key], c[key])) overlaps.push(key);
    if (m[key] === undefined) delete merged[key];
    else merged[key] = m[key];
  }
  const baseNodes = new Map(base.nodes.map((n) => [n.name, n]));
  const mineNodes = new Map(mine.nodes.map((n) => [n.name, n]));
  let nodes = [...current.nodes];
  for (const n of base.nodes) {
    if (mineNodes.has(n.name)) continue; // removed by the person
    const theirs = nodes.find((x) => x.name === n.name);
    if (theirs && !same(theirs, n)) overlaps.push(`node ${n.name} (you removed it, it was changed)`);
    nodes = nodes.filter((x) => x.name !== n.name);
  }
  for (const n of mine.nodes) {
    const was = baseNodes.get(n.name);
    if (was && same(was, n)) continue; // untouched by the person: theirs stays
    const i = nodes.findIndex((x) => x.name === n.name);
    if (i >= 0) {
      if (!same(nodes[i], was) && !same(nodes[i], n)) overlaps.push(`node ${n.name}`);
      nodes[i] = n;
    } else {
      if (was) overlaps.push(`node ${n.name} (you changed it, it was removed)`);
      nodes.push(n);
    }
  }
  // the other writer's SSH defaults reach a node whose SSH settings the person changed: neither saw that target
  if (!same(base.sshDefaults, current.sshDefaults) && same(base.sshDefaults, mine.sshDefaults)) {
    for (const n of mine.nodes) {
      const was = baseNodes.get(n.name);
      if (!was || same(was.ssh ?? {}, n.ssh ?? {})) continue;
      if (!same(effectiveSsh(mine, n), effectiveSsh(current, n))) overlaps.push(`node ${n.name} (SSH settings: the cluster's SSH defaults changed)`);
    }
  }
  return { merged: { ...(merged as unknown as ClusterInput), nodes }, overlaps };
}
