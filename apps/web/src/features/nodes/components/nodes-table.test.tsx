/**
 * The nodes table at 1,000 nodes: counts by state, search, filters, sort, one page of rows in the
 * DOM, and its query in the URL (a memory router with the app's validateSearch rule).
 */
import { describe, expect, it } from 'vitest';
import { configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { NodeRow, NodeState } from '@kpki/shared';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createMemoryHistory, createRootRoute, createRoute, createRouter, RouterProvider, useNavigate, useSearch } from '@tanstack/react-router';
import { render } from '@testing-library/react';
import { theme } from '../../../app/theme.ts';
import { tableSearch } from '../../../lib/table-query.ts';
import { NodesTable } from './nodes-table.tsx';

const stateOf = (i: number): NodeState => (i % 100 === 42 ? 'stale' : i % 250 === 7 ? 'unreachable' : i === 999 ? 'not-configured' : 'in-sync');
// the rows of GET .../nodes?view=brief; the last 500 workers set only their host and inherit the cluster's SSH defaults (user kube, port 2222)
const node = (i: number): NodeRow => {
  const host = `127.0.${Math.floor(i / 256)}.${i % 256 || 1}`;
  const inherits = i >= 500;
  return {
    name: i < 3 ? `cp${i}` : `worker-${String(i).padStart(4, '0')}`,
    role: i < 3 ? 'control-plane' : 'worker',
    addresses: [`10.1.${Math.floor(i / 256)}.${i % 256}`],
    ssh: inherits ? { host } : { host, port: 22, user: 'root' },
    effectiveSsh: inherits ? { host, port: 2222, user: 'kube', remoteDir: '/etc/kpki' } : { host, port: 22, user: 'root' },
    expectedFiles: 7,
    status: {
      node: `n${i}`, state: stateOf(i), checkedAt: null, filesCheckedAt: null, checkDue: false, error: null,
      filesInSync: stateOf(i) === 'in-sync' ? 7 : 5, filesUnknown: 0,
      drift: stateOf(i) === 'stale' ? [{ file: 'ca.pem', state: 'stale', reason: { message: 'an earlier ca.pem' } }, { file: 'x.pem', state: 'missing', reason: null }] : [],
    },
  };
};
const NODES = Array.from({ length: 1000 }, (_, i) => node(i));

/** The table under a route whose search is the table's query, as the nodes page has it. */
function renderAt(url: string) {
  const root = createRootRoute();
  const page = createRoute({
    getParentRoute: () => root,
    path: '/',
    validateSearch: (s: Record<string, unknown>) => tableSearch(s, ['state', 'role']),
    component: function Page() {
      const query = useSearch({ from: '/' });
      const navigate = useNavigate();
      return <NodesTable cluster="big" nodes={NODES} query={query} onQueryChange={(q) => navigate({ to: '/', search: q, replace: true })} />;
    },
  });
  const history = createMemoryHistory({ initialEntries: [url] });
  const router = createRouter({ routeTree: root.addChildren([page]), history });
  const queryClient = new QueryClient();
  render(
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>,
  );
  return { router };
}

const rowNames = () => [...document.querySelectorAll('[data-testid^="node-row-"]')].map((r) => r.getAttribute('data-testid')!.slice('node-row-'.length));
const search = (router: { state: { location: { search: unknown } } }) => router.state.location.search as Record<string, unknown>;

// a render of a page of rows on a loaded machine can take seconds
configure({ asyncUtilTimeout: 15_000 });

describe('nodes table at 1,000 nodes', () => {
  it('counts the states of every row, renders one page of 50, and pages on', async () => {
    const { router } = renderAt('/');
    await screen.findByTestId('nodes-table');
    expect(screen.getByTestId('nodes-table-total').textContent).toBe('1000 nodes:');
    const count = (s: string) => Number(screen.getByTestId(`nodes-table-count-${s}`).getAttribute('data-count'));
    expect(count('stale')).toBe(NODES.filter((n) => n.status.state === 'stale').length);
    expect(count('stale')).toBe(10);
    expect(count('unreachable')).toBe(4);
    expect(count('in-sync')).toBe(985);
    expect(count('not-configured')).toBe(1);
    // worst first, as the dashboard reads
    expect([...screen.getByTestId('nodes-table-counts').querySelectorAll('button')].map((b) => b.getAttribute('data-testid'))).toEqual([
      'nodes-table-count-unreachable', 'nodes-table-count-stale', 'nodes-table-count-not-configured', 'nodes-table-count-in-sync',
    ]);
    // only one page of rows reaches the DOM
    expect(rowNames()).toHaveLength(50);
    expect(document.querySelectorAll('tbody tr')).toHaveLength(50);
    expect(screen.getByTestId('nodes-table-shown').textContent).toBe('1–50 of 1000 nodes');
    fireEvent.click(within(screen.getByTestId('nodes-table-pages')).getByRole('button', { name: 'Page 20' }));
    await waitFor(() => expect(search(router).page).toBe(20));
    expect(rowNames()).toHaveLength(50);
    expect(rowNames().at(-1)).toBe('worker-0999');
    expect(screen.getByTestId('nodes-table-shown').textContent).toBe('951–1000 of 1000 nodes');
  });

  it('a count filters to its state (in the URL); the filter and the count agree', async () => {
    const { router } = renderAt('/');
    fireEvent.click(await screen.findByTestId('nodes-table-count-stale'));
    await waitFor(() => expect(search(router)).toEqual({ state: 'stale' }));
    expect(rowNames()).toHaveLength(10);
    for (const r of document.querySelectorAll('[data-testid^="node-row-"]')) expect(r.getAttribute('data-state')).toBe('stale');
    expect(screen.getByTestId('nodes-table-count-stale').getAttribute('aria-pressed')).toBe('true');
    expect((screen.getByTestId('nodes-table-filter-state') as HTMLSelectElement).value).toBe('stale');
    expect(screen.getByTestId('nodes-table-shown').textContent).toBe('1–10 of 10 nodes matching (1000 in all)');
    expect(screen.queryByTestId('nodes-table-pages')).toBeNull();
    // pressed again: every node
    fireEvent.click(screen.getByTestId('nodes-table-count-stale'));
    await waitFor(() => expect(search(router)).toEqual({}));
    expect(rowNames()).toHaveLength(50);
  });

  it('opens from a link to the stale workers, and searches by name or address', async () => {
    const { router } = renderAt('/?state=stale&role=worker');
    await screen.findByTestId('nodes-table');
    expect(rowNames()).toEqual(NODES.filter((n) => n.status.state === 'stale').map((n) => n.name));
    expect((screen.getByTestId('nodes-table-filter-role') as HTMLSelectElement).value).toBe('worker');
    // the role filter's options count what the other filters keep
    expect([...(screen.getByTestId('nodes-table-filter-role') as HTMLSelectElement).options].map((o) => o.text)).toEqual(['any (10)', 'control-plane (0)', 'worker (10)']);
    fireEvent.click(screen.getByTestId('nodes-table-clear'));
    await waitFor(() => expect(search(router)).toEqual({}));

    const box = screen.getByRole('searchbox', { name: 'Search nodes' });
    fireEvent.change(box, { target: { value: 'worker-0642' } });
    await waitFor(() => expect(rowNames()).toEqual(['worker-0642']));
    expect(search(router)).toEqual({ q: 'worker-0642' });
    // by address
    fireEvent.change(box, { target: { value: '10.1.3.' } });
    await waitFor(() => expect(rowNames()).toHaveLength(50));
    expect(rowNames()[0]).toBe('worker-0768');
    fireEvent.change(box, { target: { value: '' } });
    await waitFor(() => expect(search(router)).toEqual({}));
  });

  it("shows and searches each node's SSH target in force (effectiveSsh: its own settings with the cluster's defaults) and its files in sync", async () => {
    renderAt('/?q=worker-0642');
    await waitFor(() => expect(rowNames()).toEqual(['worker-0642']));
    const row = screen.getByTestId('node-row-worker-0642');
    // the node sets only its host: the user and port are the cluster's defaults
    expect(row.textContent).toContain('kube@127.0.2.130:2222');
    expect(within(row).getByTestId('node-files').textContent).toBe('5 / 7 files');
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search nodes' }), { target: { value: 'kube@127.0.1.' } });
    await waitFor(() => expect(rowNames()).toEqual(NODES.filter((n) => n.effectiveSsh?.user === 'kube' && n.effectiveSsh.host!.startsWith('127.0.1.')).map((n) => n.name)));
    expect(rowNames().length).toBe(12);
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search nodes' }), { target: { value: 'root@127.0.0.3:22' } });
    await waitFor(() => expect(rowNames()).toEqual(['worker-0003']));
  });

  it('sorts by a header, in the URL, and says so with aria-sort', async () => {
    const { router } = renderAt('/');
    await screen.findByTestId('nodes-table');
    const header = screen.getByRole('columnheader', { name: /Node/ });
    expect(header.getAttribute('aria-sort')).toBeNull();
    fireEvent.click(within(header).getByRole('button'));
    await waitFor(() => expect(search(router)).toEqual({ sort: 'name' }));
    expect(header.getAttribute('aria-sort')).toBe('ascending');
    fireEvent.click(within(header).getByRole('button'));
    await waitFor(() => expect(search(router)).toEqual({ sort: '-name' }));
    expect(screen.getByRole('columnheader', { name: /Node/ }).getAttribute('aria-sort')).toBe('descending');
    expect(rowNames()[0]).toBe('worker-0999');
  });
});
