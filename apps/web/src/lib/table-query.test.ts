import { describe, expect, it } from 'vitest';
import { countBy, filterOptions, filterValue, formatSort, matchRows, pageWindow, parseSort, searchTextOf, tableSearch, withQuery, type TableFilter } from './table-query.ts';

interface Row { name: string; state: string; role: string }
const rows: Row[] = Array.from({ length: 1000 }, (_, i) => ({
  name: `worker-${i}`,
  state: i % 100 === 7 ? 'stale' : i % 50 === 3 ? 'unreachable' : 'in-sync',
  role: i < 4 ? 'control-plane' : 'worker',
}));
const STATE: TableFilter<Row> = { id: 'state', label: 'State', value: (r) => r.state, order: ['unreachable', 'stale', 'in-sync'] };
const ROLE: TableFilter<Row> = { id: 'role', label: 'Role', value: (r) => r.role };
const search = (r: Row) => `${r.name} ${r.role}`;

describe('table query', () => {
  it('reads a URL search: keeps the known keys as short strings, a page over 1, a plain sort', () => {
    expect(tableSearch({ q: 'worker-1', state: 'stale', role: '', page: '3', sort: '-name', other: 'x' }, ['state', 'role'])).toEqual({ q: 'worker-1', state: 'stale', page: 3, sort: '-name' });
    expect(tableSearch({ page: '1', sort: 'name;drop', q: 'x'.repeat(201), state: 4 }, ['state'])).toEqual({});
    expect(tableSearch({ page: '-2' }, [])).toEqual({});
  });

  it('filters by value and searches every word, counts by value in the filter order', () => {
    expect(matchRows(rows, { state: 'stale' }, [STATE, ROLE], search)).toHaveLength(10);
    expect(matchRows(rows, { state: 'unreachable', role: 'control-plane' }, [STATE, ROLE], search).map((r) => r.name)).toEqual(['worker-3']);
    expect(matchRows(rows, { q: 'WORKER-99' }, [STATE], search).map((r) => r.name)).toEqual(['worker-99', ...Array.from({ length: 10 }, (_, i) => `worker-99${i}`)]);
    expect(matchRows(rows, { q: 'worker-7 control' }, [STATE], search)).toEqual([]);
    // a filter left out (the one whose own counts are asked)
    expect(matchRows(rows, { state: 'stale', role: 'worker' }, [STATE, ROLE], search, 'state')).toHaveLength(996);
    const counts = countBy(rows, STATE);
    expect(counts).toEqual([['unreachable', 20], ['stale', 10], ['in-sync', 970]]);
    // the counts are of the same value as the filter: filtering to each gives its count
    for (const [v, n] of counts) expect(matchRows(rows, { state: v }, [STATE])).toHaveLength(n);
    expect(filterOptions(rows, ROLE)).toEqual(['control-plane', 'worker']);
  });

  it('a default value applies when the URL names none; "all" lifts it', () => {
    const STATUS: TableFilter<Row> = { ...ROLE, defaultValue: 'worker' };
    expect(filterValue(STATUS, {})).toBe('worker');
    expect(filterValue(STATUS, { role: 'all' })).toBeUndefined();
    expect(matchRows(rows, {}, [STATUS])).toHaveLength(996);
    expect(matchRows(rows, { role: 'all' }, [STATUS])).toHaveLength(1000);
  });

  it('sort and page: to and from the URL; a change of search or filter goes back to page 1', () => {
    expect(parseSort('-name')).toEqual([{ id: 'name', desc: true }]);
    expect(formatSort(parseSort('state'))).toBe('state');
    expect(formatSort([])).toBeUndefined();
    expect(withQuery({ page: 4, q: 'a' }, 'state', 'stale')).toEqual({ q: 'a', state: 'stale' });
    expect(withQuery({ page: 4, state: 'stale' }, 'state', undefined)).toEqual({});
    expect(withQuery({ q: 'a' }, 'page', 3)).toEqual({ q: 'a', page: 3 });
    expect(withQuery({ q: 'a', page: 3 }, 'page', 1)).toEqual({ q: 'a' });
    expect(pageWindow(1000, 50, undefined)).toEqual({ page: 1, pages: 20, from: 1, to: 50 });
    expect(pageWindow(1000, 50, 20)).toEqual({ page: 20, pages: 20, from: 951, to: 1000 });
    expect(pageWindow(120, 50, 9)).toEqual({ page: 3, pages: 3, from: 101, to: 120 });
    expect(pageWindow(0, 50, 2)).toEqual({ page: 1, pages: 1, from: 0, to: 0 });
  });

  it('the text a search looks in: strings, lists word by word, nothing else', () => {
    expect(searchTextOf('kube-proxy', ['worker-1', 'worker-2'], null, undefined, 3, { a: 1 }, '', ['x', 4])).toBe('kube-proxy worker-1 worker-2  x');
  });
});
