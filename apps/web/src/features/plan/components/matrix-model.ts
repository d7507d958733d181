/**
 * Who talks to whom as the tutorial's table and as a grid, from the plan's matrixRows, and the
 * grouping that keeps them readable for hundreds of nodes. Pure.
 *
 * At scale: a row, cell, identity or SAN list that would name more than INLINE_NAMES nodes names
 * none; it says how many ("997 kubelets") and opens into a search that shows at most
 * MAX_SHOWN_NAMES matches. A small cluster (the tutorial's two workers) keeps its names inline.
 */
import { KUBELETS_IN_FULL, type MatrixRow as PlanMatrixRow, type SanEntry } from '@kpki/shared';

/**
 * Up to this many per-node certificates are named inline; more are grouped. The plan's talks view
 * carries this many kubelet certificates in full: the same number, so an ungrouped table has them all.
 */
export const INLINE_NAMES = KUBELETS_IN_FULL;
/** A group's search never shows more than this many names at once. */
export const MAX_SHOWN_NAMES = 20;
/** A SAN table longer than this is shown grouped by reason. */
export const INLINE_SANS = 12;

export interface MatrixRow {
  client: string;
  server: string;
  certificates: string[];
  /** true when the certificates are too many to name: shown as a group with a count and a search */
  grouped: boolean;
}

export interface MatrixGrid {
  clients: string[];
  servers: string[];
  /** cells[client][server] = certificate names presented on that edge */
  cells: Record<string, Record<string, string[]>>;
  /** rowOf[client][server] = index of the plan's matrix row shown in that cell */
  rowOf: Record<string, Record<string, number>>;
  /** the clients whose cells are groups (a count and a search, no names inline) */
  grouped: Set<string>;
}

/** "997 kubelets", "1 kubelet" */
export const countOf = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/**
 * The plan's rows as shown: the kubelet row names its workers, "kubelet (worker1, worker2)", up to
 * INLINE_NAMES of them; beyond, it says how many, "997 kubelets", and is grouped.
 */
export function displayRows(rows: PlanMatrixRow[]): MatrixRow[] {
  return rows.map((r) => {
    const grouped = r.perWorker && r.certificates.length > INLINE_NAMES;
    const client = !r.perWorker || r.certificates.length === 0 ? r.client : grouped ? countOf(r.certificates.length, r.client) : `${r.client} (${r.certificates.join(', ')})`;
    return { client, server: r.server, certificates: r.certificates, grouped };
  });
}

export function toMatrixGrid(rows: PlanMatrixRow[]): MatrixGrid {
  const clients: string[] = [];
  const servers: string[] = [];
  const cells: MatrixGrid['cells'] = {};
  const rowOf: MatrixGrid['rowOf'] = {};
  const grouped = new Set<string>();
  for (const [index, row] of displayRows(rows).entries()) {
    (rowOf[row.client] ??= {})[row.server] = index;
    if (!clients.includes(row.client)) clients.push(row.client);
    if (!servers.includes(row.server)) servers.push(row.server);
    if (row.grouped) grouped.add(row.client);
    const cell = ((cells[row.client] ??= {})[row.server] ??= []);
    const seen = new Set(cell);
    for (const c of row.certificates) {
      if (seen.has(c)) continue;
      seen.add(c);
      cell.push(c);
    }
  }
  return { clients, servers, cells, rowOf, grouped };
}

/**
 * The names a group's search shows: those containing `query` (case-insensitive, trimmed; all
 * when empty), exact matches first, at most `limit`; `total` is how many match.
 */
export function searchNames(names: readonly string[], query: string, limit = MAX_SHOWN_NAMES): { shown: string[]; total: number } {
  const q = query.trim().toLowerCase();
  if (!q) return { shown: names.slice(0, limit), total: names.length };
  const exact: string[] = [];
  const partial: string[] = [];
  for (const n of names) {
    const l = n.toLowerCase();
    if (l === q) exact.push(n);
    else if (l.includes(q)) partial.push(n);
  }
  const all = [...exact, ...partial];
  return { shown: all.slice(0, limit), total: all.length };
}

/**
 * The reason of a SAN without the node it names, so that SANs there for the same reason on many
 * nodes group together: "control-plane node cp7: an API server runs here" -> "control-plane
 * nodes: an API server runs here". Follows the wording of packages/shared/src/catalog.ts
 * (san-groups tests hold the two together).
 */
export function sanReasonGroup(reason: string): string {
  const m = /^(control-plane node|load balancer|worker) \S+: (.*)$/.exec(reason);
  return m ? `${m[1]}s: ${m[2]}` : reason;
}

export interface SanGroup {
  reason: string;
  type: SanEntry['type'] | 'ip and dns';
  values: string[];
}

/** SANs grouped by sanReasonGroup, in order of first appearance. */
export function groupSans(sans: readonly SanEntry[]): SanGroup[] {
  const groups = new Map<string, SanGroup>();
  for (const s of sans) {
    const reason = sanReasonGroup(s.reason);
    const g = groups.get(reason);
    if (!g) groups.set(reason, { reason, type: s.type, values: [s.value] });
    else {
      g.values.push(s.value);
      if (g.type !== s.type) g.type = 'ip and dns';
    }
  }
  return [...groups.values()];
}
