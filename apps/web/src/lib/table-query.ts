/**
 * What a long table shows, as a query that lives in the page's URL: a free-text search (`q`),
 * filters by a value of the row (`state=stale`, `role=worker`), the sorted column (`sort=name`,
 * `sort=-name` for descending) and the page (`page=2`). Pure: parsing a URL's search, matching
 * rows, counting rows by a filter's value. The counts and the rows come from the same value of
 * the same row (a filter's `value`), so a count never disagrees with the rows it counts.
 */

/** The query of a table: search, sort, page and one value per filter (keyed by the filter's id). */
export type TableQuery = { q?: string; sort?: string; page?: number; [filter: string]: string | number | undefined };

/** A table's query with its filters `K` named (what a route's validateSearch gives). */
export type TableQueryOf<K extends string> = { q?: string; sort?: string; page?: number } & { [P in K]?: string };

/** A filter of a table: which value of a row it compares, and how its values read. */
export interface TableFilter<T> {
  /** the URL key: state, role, expiry, status, kind */
  id: string;
  /** "State" */
  label: string;
  /** the row's value (the one its badge shows) */
  value: (row: T) => string;
  /** the values in the order they are listed (values met in the rows and not named here follow, sorted) */
  order?: readonly string[];
  /** how a value reads in the filter and the counts ("in-sync" -> "in sync") */
  optionLabel?: (value: string) => string;
  /**
   * the value applied when the URL names none (the certificates page shows current ones first);
   * then `all` in the URL means no filter
   */
  defaultValue?: string;
}

export const ALL = 'all';

const MAX_LEN = 200;
const text = (v: unknown) => (typeof v === 'string' && v.trim() && v.length <= MAX_LEN ? v : undefined);

/** A route's validateSearch for a table: the search, sort, page and the filters `keys`, each a short string when present. */
export function tableSearch<K extends string>(raw: Record<string, unknown>, keys: readonly K[]): TableQueryOf<K> {
  const out: Record<string, string | number | undefined> = {};
  const q = text(raw.q);
  if (q) out.q = q;
  const sort = text(raw.sort);
  if (sort && /^-?[\w.-]+$/.test(sort)) out.sort = sort;
  const page = Number(raw.page);
  if (Number.isInteger(page) && page > 1 && page < 1_000_000) out.page = page;
  for (const k of keys) {
    const v = text(raw[k]);
    if (v) out[k] = v;
  }
  return out as TableQueryOf<K>;
}

/** The value a filter applies under `query`: the URL's, else its default; undefined for none (`all`). */
export function filterValue<T>(filter: TableFilter<T>, query: TableQuery): string | undefined {
  const v = query[filter.id];
  const chosen = typeof v === 'string' && v ? v : filter.defaultValue;
  return chosen === ALL ? undefined : chosen;
}

/**
 * The text a search looks in, from a row's fields: strings as they are, lists (nodes,
 * recipients, certificates) word by word, anything else left out.
 */
export const searchTextOf = (...parts: unknown[]): string =>
  parts.flatMap((p) => (typeof p === 'string' ? [p] : Array.isArray(p) ? p.filter((x): x is string => typeof x === 'string') : [])).join(' ');

/** Lower-case words of a search: each must appear in the row's text. */
export const searchTerms = (q: string | undefined) => (q ?? '').toLowerCase().split(/\s+/).filter(Boolean);

/** The rows the query keeps: every filter's value matches and every search word appears in `searchText(row)`. */
export function matchRows<T>(rows: readonly T[], query: TableQuery, filters: readonly TableFilter<T>[], searchText?: (row: T) => string, except?: string): T[] {
  const active = filters.filter((f) => f.id !== except).map((f) => [f, filterValue(f, query)] as const).filter(([, v]) => v !== undefined);
  const terms = searchTerms(query.q);
  if (!active.length && !terms.length) return [...rows];
  return rows.filter((row) => {
    for (const [f, v] of active) if (f.value(row) !== v) return false;
    if (terms.length && searchText) {
      const hay = searchText(row).toLowerCase();
      for (const t of terms) if (!hay.includes(t)) return false;
    }
    return true;
  });
}

/** Rows per value of a filter, in the filter's order (then the other values met, sorted); values with no row are left out. */
export function countBy<T>(rows: readonly T[], filter: TableFilter<T>): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const r of rows) {
    const v = filter.value(r);
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const order = filter.order ?? [];
  const rest = [...counts.keys()].filter((v) => !order.includes(v)).sort();
  return [...order.filter((v) => counts.has(v)), ...rest].map((v) => [v, counts.get(v)!]);
}

/** The values a filter offers: its order, then the values met in `rows`. */
export function filterOptions<T>(rows: readonly T[], filter: TableFilter<T>): string[] {
  const met = new Set(rows.map(filter.value));
  const order = filter.order ?? [];
  return [...order, ...[...met].filter((v) => !order.includes(v)).sort()];
}

/** `sort=-name` as TanStack Table's sorting state, and back. */
export function parseSort(sort: string | undefined): Array<{ id: string; desc: boolean }> {
  if (!sort) return [];
  return sort.startsWith('-') ? [{ id: sort.slice(1), desc: true }] : [{ id: sort, desc: false }];
}
export function formatSort(sorting: ReadonlyArray<{ id: string; desc: boolean }>): string | undefined {
  const s = sorting[0];
  return s ? `${s.desc ? '-' : ''}${s.id}` : undefined;
}

/** The query with one key changed (undefined or '' removes it); any change but the page's goes back to page 1. */
export function withQuery<Q extends TableQuery>(query: Q, key: string, value: string | number | undefined): Q {
  const next: Record<string, unknown> = { ...query };
  if (value === undefined || value === '') delete next[key];
  else next[key] = value;
  if (key !== 'page') delete next.page;
  if (next.page === 1) delete next.page;
  return next as Q;
}

/** 1-based page clamped to the pages there are; the first and last row shown (1-based, 0 when none). */
export function pageWindow(total: number, pageSize: number, page: number | undefined): { page: number; pages: number; from: number; to: number } {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const p = Math.min(Math.max(1, page ?? 1), pages);
  return { page: p, pages, from: total === 0 ? 0 : (p - 1) * pageSize + 1, to: Math.min(total, p * pageSize) };
}
