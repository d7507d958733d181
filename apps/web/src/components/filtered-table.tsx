/**
 * A table for hundreds of rows: the counts by a state at the top (buttons that filter to it), a
 * labelled search and a select per filter, the sorted table (DataTable) and pages of `pageSize`
 * rows, so a 1,000-row list puts one page in the DOM. Its query (search, filters, sort, page) is
 * the caller's when `onQueryChange` is given (pages keep it in the URL), else its own.
 */
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Button, Group, NativeSelect, Pagination, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { DataTable, type DataTableProps } from './data-table.tsx';
import {
  ALL, countBy, filterOptions, filterValue, formatSort, matchRows, pageWindow, parseSort, withQuery, type TableFilter, type TableQuery,
} from '../lib/table-query.ts';

export const DEFAULT_PAGE_SIZE = 50;

export interface FilteredTableProps<T> extends Omit<DataTableProps<T>, 'sorting' | 'onSortingChange' | 'window' | 'globalFilter' | 'globalFilterFn'> {
  /** what the rows are called: "nodes" */
  noun: string;
  filters?: TableFilter<T>[];
  /** the filter whose counts head the table ("482 in-sync, 12 stale"), by id */
  countsBy?: string;
  /** a colour per value of the counted filter */
  countColors?: Record<string, string>;
  /** filters (ids) that narrow the rows counted (none: every row is counted) */
  countWithin?: string[];
  /** the words before the counts: "1000 nodes:" unless given */
  countsLabel?: (counted: number, query: TableQuery) => string;
  /** the text a search looks in (each word must appear); no search box without it */
  searchText?: (row: T) => string;
  searchPlaceholder?: string;
  query?: TableQuery;
  onQueryChange?: (query: TableQuery) => void;
  pageSize?: number;
  /** more controls on the toolbar's line */
  toolbar?: ReactNode;
}

const labelOf = <T,>(f: TableFilter<T>, v: string) => (f.optionLabel ? f.optionLabel(v) : v);

/** The search box: typed text reaches the query after a short pause; a query changed elsewhere (a link, Back) replaces it. */
export function SearchBox({ value, onChange, label, placeholder, testId }: { value: string; onChange: (v: string) => void; label: string; placeholder?: string; testId: string }) {
  const [text, setText] = useState(value);
  const sent = useRef(value);
  useEffect(() => {
    if (value !== sent.current) {
      sent.current = value;
      setText(value);
    }
  }, [value]);
  const send = useDebouncedCallback((v: string) => {
    sent.current = v.trim();
    onChange(v.trim());
  }, 200);
  return (
    <TextInput
      type="search"
      label={label}
      placeholder={placeholder}
      value={text}
      onChange={(e) => {
        setText(e.currentTarget.value);
        send(e.currentTarget.value);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          send.flush();
        }
      }}
      w={280}
      data-testid={testId}
    />
  );
}

/**
 * The counts that head a table ("482 in-sync, 12 stale"): a label, then a button per value that
 * filters to it (pressed when it is the filter; pressing it again clears it).
 */
export function CountsBar({ label, total, ariaLabel, counts, active, colors = {}, onPick, testId }: {
  label: string;
  /** the number the label gives (data-count) */
  total: number;
  ariaLabel: string;
  counts: Array<{ value: string; n: number; text: string }>;
  active: string | undefined;
  colors?: Record<string, string>;
  /** `active`: the value was the filter already */
  onPick: (value: string, active: boolean) => void;
  testId: string;
}) {
  return (
    <Group gap={6} wrap="wrap" role="group" aria-label={ariaLabel} data-testid={`${testId}-counts`}>
      <Text size="sm" fw={600} data-testid={`${testId}-total`} data-count={total}>
        {label}
      </Text>
      {counts.map(({ value, n, text }) => {
        const pressed = active === value;
        return (
          <Button
            key={value}
            size="compact-sm"
            variant={pressed ? 'filled' : 'light'}
            color={colors[value] ?? 'gray'}
            aria-pressed={pressed}
            onClick={() => onPick(value, pressed)}
            data-testid={`${testId}-count-${value}`}
            data-count={n}
            style={{ textTransform: 'none' }}
          >
            {text}
          </Button>
        );
      })}
    </Group>
  );
}

export function FilteredTable<T>(props: FilteredTableProps<T>) {
  const {
    data, noun, filters = [], countsBy, countColors = {}, countWithin = [], countsLabel, searchText, searchPlaceholder, pageSize = DEFAULT_PAGE_SIZE, toolbar, testId = 'table', ...table
  } = props;
  const [ownQuery, setOwnQuery] = useState<TableQuery>({});
  const query = props.query ?? ownQuery;
  const setQuery = props.onQueryChange ?? setOwnQuery;
  const set = (key: string, value: string | number | undefined) => setQuery(withQuery(query, key, value));

  const shown = useMemo(() => matchRows(data, query, filters, searchText), [data, query, filters, searchText]);
  const counted = countsBy ? filters.find((f) => f.id === countsBy) : undefined;
  // the counts are of every row (or of those `countWithin` keeps), whatever the search: the whole of the list at a glance
  const scope = useMemo(() => {
    const within = filters.filter((f) => countWithin.includes(f.id));
    return within.length ? matchRows(data, { ...query, q: undefined }, within) : data;
  }, [data, query, filters, countWithin]);
  const counts = useMemo(() => (counted ? countBy(scope, counted) : []), [scope, counted]);
  const win = pageWindow(shown.length, pageSize, query.page);
  const filtered = shown.length !== data.length;
  const narrowed = !!query.q || filters.some((f) => query[f.id] !== undefined);

  return (
    <Stack gap="sm" data-testid={`${testId}-view`}>
      {counted && counts.length > 0 && (
        <CountsBar
          label={countsLabel ? countsLabel(scope.length, query) : `${scope.length} ${noun}:`}
          total={scope.length}
          ariaLabel={`${noun} by ${counted.label.toLowerCase()}`}
          counts={counts.map(([value, n]) => ({ value, n, text: `${n} ${labelOf(counted, value)}` }))}
          active={filterValue(counted, query)}
          colors={countColors}
          onPick={(value, active) => set(counted.id, active ? (counted.defaultValue ? ALL : undefined) : value)}
          testId={testId}
        />
      )}
      <Group gap="sm" align="flex-end" wrap="wrap">
        {searchText && (
          <SearchBox
            value={query.q ?? ''}
            onChange={(v) => set('q', v)}
            label={`Search ${noun}`}
            placeholder={searchPlaceholder}
            testId={`${testId}-search`}
          />
        )}
        {filters.map((f) => {
          const current = query[f.id] as string | undefined;
          const value = current ?? f.defaultValue ?? '';
          const anyValue = f.defaultValue ? ALL : '';
          // counts of each value among the rows the other filters and the search keep
          const others = matchRows(data, query, filters, searchText, f.id);
          const n = new Map(countBy(others, f));
          return (
            <NativeSelect
              key={f.id}
              label={f.label}
              value={value}
              onChange={(e) => {
                const v = e.currentTarget.value;
                set(f.id, v === (f.defaultValue ?? '') ? undefined : v);
              }}
              data={[
                { value: anyValue, label: `any (${others.length})` },
                ...filterOptions(data, f).map((v) => ({ value: v, label: `${labelOf(f, v)} (${n.get(v) ?? 0})` })),
              ]}
              w={200}
              data-testid={`${testId}-filter-${f.id}`}
            />
          );
        })}
        {narrowed && (
          <Button variant="subtle" onClick={() => setQuery(query.sort ? { sort: query.sort } : {})} data-testid={`${testId}-clear`}>
            Clear search and filters
          </Button>
        )}
        {toolbar}
      </Group>
      <Text size="sm" role="status" aria-live="polite" data-testid={`${testId}-shown`} data-shown={shown.length}>
        {shown.length === 0
          ? `No ${noun} match (${data.length} in all).`
          : `${win.from}–${win.to} of ${shown.length} ${noun}${filtered ? ` matching (${data.length} in all)` : ''}`}
      </Text>
      <DataTable
        {...table}
        data={shown}
        testId={testId}
        sorting={parseSort(query.sort)}
        onSortingChange={(s) => set('sort', formatSort(s))}
        window={[Math.max(0, win.from - 1), win.to]}
      />
      {win.pages > 1 && (
        <nav aria-label={`Pages of ${noun}`} data-testid={`${testId}-pages`}>
          <Pagination
            total={win.pages}
            value={win.page}
            onChange={(p) => set('page', p)}
            size="sm"
            withEdges
            getItemProps={(p) => ({ 'aria-label': `Page ${p}`, 'aria-current': p === win.page ? 'page' : undefined })}
            getControlProps={(control) => ({ 'aria-label': `${control[0].toUpperCase()}${control.slice(1)} page` })}
          />
        </nav>
      )}
    </Stack>
  );
}
