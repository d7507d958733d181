/**
 * Two people editing one topology (issue 17): when a save answers 412 (someone else saved since
 * the editor was opened), what each side changed, in words, and the person's edits reapplied on
 * the current version (a three-way merge by top-level field and by node name: what the person
 * did not touch takes the other writer's value).
 */
import type { ClusterInput, ClusterNode } from '@kpki/shared';
import { fromClusterInput, toClusterInput } from './form-model.ts';

type Fields = Record<string, unknown>;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A cluster as the editor would send it (the GET's read-only fields and defaults normalised away), so sides compare alike. */
export const asEdited = (cluster: ClusterInput): ClusterInput => toClusterInput(fromClusterInput(cluster));

const show = (v: unknown) => (v === undefined ? '(default)' : typeof v === 'string' ? v : JSON.stringify(v));

function nodeChanges(from: ClusterNode, to: ClusterNode): string[] {
  const out: string[] = [];
  if (from.role !== to.role) out.push(`role ${from.role} → ${to.role}`);
  if (!same(from.addresses, to.addresses)) out.push(`addresses ${from.addresses.join(', ')} → ${to.addresses.join(', ')}`);
  if (!same(from.ssh ?? {}, to.ssh ?? {})) out.push('SSH settings');
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
    else if (!same(old, n)) lines.push(`node ${n.name}: ${nodeChanges(old, n).join('; ')}`);
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
  return { merged: { ...(merged as unknown as ClusterInput), nodes }, overlaps };
}
