/**
 * A sortable, filterable table on TanStack Table with Mantine's look. Column headers are
 * buttons (keyboard reachable) and carry aria-sort. In a narrow window (under Mantine's `sm`,
 * 48em) the rows become cards, `cardFirst` columns (name, state, expiry) on top, the others as
 * labelled lines below, so nothing needs horizontal scrolling.
 */
import { useState, type HTMLAttributes, type ReactNode } from 'react';
import { useNarrow } from './use-narrow.ts';
import {
  flexRender,
  getCoreRowModel,
  getFilteredRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type FilterFnOption,
  type SortingState,
} from '@tanstack/react-table';
import { Card, Group, Stack, Table, Text, UnstyledButton } from '@mantine/core';

export interface DataTableProps<T> {
  data: T[];
  columns: ColumnDef<T, any>[];
  globalFilter?: string;
  globalFilterFn?: FilterFnOption<T>;
  initialSorting?: SortingState;
  rowProps?: (row: T) => HTMLAttributes<HTMLTableRowElement> & Record<`data-${string}`, string | undefined>;
  emptyMessage?: string;
  caption?: string;
  testId?: string;
  /** column ids shown first on a card in a narrow window, in this order (the first is the card's title) */
  cardFirst?: string[];
  /** sorting held by the caller (the URL): with onSortingChange */
  sorting?: SortingState;
  onSortingChange?: (sorting: SortingState) => void;
  /** only the rows of this window of the sorted rows are rendered (a page): [start, end) */
  window?: [number, number];
}


const SORT_MARK = { asc: ' ▲', desc: ' ▼' } as const;

export function DataTable<T>(props: DataTableProps<T>) {
  const { data, columns, globalFilter, globalFilterFn, initialSorting = [], rowProps, emptyMessage, caption, testId, cardFirst = [], window } = props;
  const narrow = useNarrow();
  const [ownSorting, setOwnSorting] = useState<SortingState>(initialSorting);
  const sorting = props.sorting ?? ownSorting;
  const table = useReactTable({
    data,
    columns,
    state: { sorting, globalFilter },
    onSortingChange: (updater) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      if (props.onSortingChange) props.onSortingChange(next);
      else setOwnSorting(next);
    },
    globalFilterFn: globalFilterFn ?? 'includesString',
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
  });
  const all = table.getRowModel().rows;
  // a page: only its rows reach the DOM
  const rows = window ? all.slice(window[0], window[1]) : all;

  if (narrow) {
    if (rows.length === 0) {
      return (
        <Text size="sm" c="dimmed" ta="center" py="md" data-testid={testId}>
          <span data-testid="table-empty">{emptyMessage ?? 'Nothing to show.'}</span>
        </Text>
      );
    }
    return (
      <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }} data-testid={testId} data-layout="cards" aria-label={caption}>
        {rows.map((row) => {
          const cells = row.getVisibleCells();
          const first = cardFirst.map((id) => cells.find((c) => c.column.id === id)).filter((c) => c !== undefined);
          const rest = cells.filter((c) => !first.includes(c));
          const render = (c: (typeof cells)[number]): ReactNode => flexRender(c.column.columnDef.cell, c.getContext());
          return (
            <Card key={row.id} component="li" withBorder padding="sm" {...(rowProps?.(row.original) as object)}>
              <Group gap="xs" wrap="wrap" align="center">
                {first.map((c) => (
                  <div key={c.id} style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
                    {render(c)}
                  </div>
                ))}
              </Group>
              {rest.length > 0 && (
                <Stack gap={2} mt={6}>
                  {rest.map((c) => (
                    <Group key={c.id} gap={6} wrap="wrap" align="baseline" style={{ minWidth: 0 }}>
                      <Text size="xs" c="dimmed" fw={600}>
                        {typeof c.column.columnDef.header === 'string' ? c.column.columnDef.header : c.column.id}
                      </Text>
                      <div style={{ minWidth: 0, overflowWrap: 'anywhere' }}>{render(c)}</div>
                    </Group>
                  ))}
                </Stack>
              )}
            </Card>
          );
        })}
      </Stack>
    );
  }

  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped highlightOnHover verticalSpacing="xs" data-testid={testId}>
        {caption && <Table.Caption>{caption}</Table.Caption>}
        <Table.Thead>
          {table.getHeaderGroups().map((group) => (
            <Table.Tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                const label = flexRender(header.column.columnDef.header, header.getContext());
                return (
                  <Table.Th
                    key={header.id}
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                    style={{ whiteSpace: 'nowrap' }}
                  >
                    {header.column.getCanSort() ? (
                      <UnstyledButton onClick={header.column.getToggleSortingHandler()} fw={600} fz="sm">
                        {label}
                        {sorted ? SORT_MARK[sorted] : ''}
                      </UnstyledButton>
                    ) : (
                      label
                    )}
                  </Table.Th>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Thead>
        <Table.Tbody>
          {rows.length === 0 ? (
            <Table.Tr>
              <Table.Td colSpan={columns.length}>
                <Text size="sm" c="dimmed" ta="center" py="md" data-testid="table-empty">
                  {emptyMessage ?? 'Nothing to show.'}
                </Text>
              </Table.Td>
            </Table.Tr>
          ) : (
            rows.map((row) => (
              <Table.Tr key={row.id} {...rowProps?.(row.original)}>
                {row.getVisibleCells().map((cell) => (
                  <Table.Td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</Table.Td>
                ))}
              </Table.Tr>
            ))
          )}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
