/**
 * The audit page's search, result filter and counts (issue 16): the counts are the server's for
 * the search and filters (the result left aside), buttons that filter; the search and the result
 * live in the URL (a memory router with the app's validateSearch rule) and reach the API; the
 * list keeps paging by "load older". The stub server filters a log of 1,204 lines as the API does.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { configure, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createMemoryHistory, createRootRoute, createRoute, createRouter, RouterProvider, useNavigate, useSearch } from '@tanstack/react-router';
import { auditOutcome, type AuditEntry } from '@kpki/shared';
import { theme } from '../../../app/theme.ts';
import { stubFetch } from '../../../test/render.tsx';
import { auditSearch } from '../api/get-audit.ts';
import { AuditPage } from './audit-page.tsx';

afterEach(() => vi.unstubAllGlobals());
configure({ asyncUtilTimeout: 15_000 });

const DENIED: Record<number, string> = { 7: 'failed (401)', 407: 'failed (403)', 807: 'failed (401, 429)' };
/** 1,204 lines: 1,200 ok, 3 denied, 1 failed (409); line i is about node worker<i % 40>. */
const LOG: AuditEntry[] = Array.from({ length: 1204 }, (_, k) => {
  const id = 1204 - k;
  return {
    id, at: new Date(Date.UTC(2030, 0, 1) + id * 60_000).toISOString(), actor: id % 3 ? 'admin' : 'olivia', action: 'download-bundle',
    object: `cluster=lab node=worker${id % 40}${id === 99 ? ' path=/srv/100%_x' : ''}`, address: '127.0.0.1',
    result: DENIED[id] ?? (id === 1000 ? 'failed (409)' : 'ok'), details: null, token: null,
  };
});

/** The API's rule: every word in one of the fields, the result's outcome, paged by `before`. */
function kept(q: URLSearchParams, withResult: boolean): AuditEntry[] {
  const words = (q.get('q') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const result = withResult ? q.get('result') : null;
  return LOG.filter((e) => (!result || auditOutcome(e.result) === result) && words.every((w) => [e.actor, e.action, e.object, e.address, e.result].join('\n').toLowerCase().includes(w)));
}
function server() {
  return stubFetch({
    'GET /audit': ({ url }) => {
      const q = new URL(url, 'http://x').searchParams;
      const before = Number(q.get('before') ?? Infinity);
      return { body: { items: kept(q, true).filter((e) => e.id < before).slice(0, Number(q.get('limit'))) } };
    },
    'GET /audit/counts': ({ url }) => {
      const lines = kept(new URL(url, 'http://x').searchParams, false);
      const byResult = { ok: 0, denied: 0, failed: 0 };
      for (const e of lines) byResult[auditOutcome(e.result)]++;
      return { body: { total: lines.length, byResult } };
    },
    'GET /audit/facets': () => ({ body: { actions: ['download-bundle'], actors: ['admin', 'olivia'] } }),
    'GET /audit/archives': () => ({ body: { items: [] } }),
  });
}

/** The page under a route whose search is its filter, as /audit has it. */
function renderAt(url: string) {
  const stub = server();
  vi.stubGlobal('fetch', stub.fetch);
  const root = createRootRoute();
  const page = createRoute({
    getParentRoute: () => root,
    path: '/audit',
    validateSearch: auditSearch,
    component: function Page() {
      const filter = useSearch({ from: '/audit' });
      const navigate = useNavigate();
      return <AuditPage filter={filter} onFilterChange={(f) => navigate({ to: '/audit', search: f, replace: true })} />;
    },
  });
  const router = createRouter({ routeTree: root.addChildren([page]), history: createMemoryHistory({ initialEntries: [url] }) });
  render(
    <MantineProvider theme={theme}>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>,
  );
  return { router, stub };
}

const search = (router: { state: { location: { search: unknown } } }) => router.state.location.search as Record<string, unknown>;
const rows = () => document.querySelectorAll('[data-testid^="audit-row-"]');
const count = (what: string) => screen.getByTestId(`audit-count-${what}`);
const apiCalls = (stub: ReturnType<typeof stubFetch>, path: string) => stub.calls.map((c) => c.url).filter((u) => u.split('?')[0] === `/api/v1${path}`);

describe('audit page: search, result filter and counts', () => {
  it('shows the server\'s counts of the whole log, filters by a count, searches, and keeps both in the URL', async () => {
    const { router, stub } = renderAt('/audit');
    await waitFor(() => expect(screen.getByTestId('audit-total').textContent).toBe('1,204 lines:'));
    expect(count('ok').textContent).toBe('1,200 ok');
    expect(count('denied').textContent).toBe('3 denied');
    expect(count('failed').textContent).toBe('1 failed');
    expect(screen.getByRole('group', { name: 'Audit lines by result' })).toBeTruthy();
    await waitFor(() => expect(rows()).toHaveLength(50));
    expect(screen.getByTestId('audit-count').textContent).toBe('50 of 1,204 entries shown, times in UTC');
    // the select offers each result with its count
    const select = screen.getByTestId('audit-filter-result') as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(['any (1,204)', 'ok (1,200)', 'denied (3)', 'failed (1)']);

    // a count is a button that filters to its result: in the URL, asked of the API, the counts unchanged
    fireEvent.click(count('denied'));
    await waitFor(() => expect(search(router)).toEqual({ result: 'denied' }));
    await waitFor(() => expect(rows()).toHaveLength(3));
    expect([...rows()].map((r) => r.getAttribute('data-outcome'))).toEqual(['denied', 'denied', 'denied']);
    expect(count('denied').getAttribute('aria-pressed')).toBe('true');
    expect(select.value).toBe('denied');
    expect(apiCalls(stub, '/audit')).toContain('/api/v1/audit?limit=50&result=denied');
    expect(apiCalls(stub, '/audit/counts').every((u) => !u.includes('result='))).toBe(true);
    expect(screen.getByTestId('audit-count').textContent).toBe('3 of 3 entries shown, times in UTC');
    expect(screen.getByTestId('audit-export-csv').getAttribute('href')).toBe('/api/v1/audit/export?format=csv&result=denied');

    // a search narrows the list and the counts (counted again by the server)
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search the audit log' }), { target: { value: 'worker7' } });
    await waitFor(() => expect(search(router)).toEqual({ result: 'denied', q: 'worker7' }));
    await waitFor(() => expect(screen.getByTestId('audit-total').textContent).toBe('30 lines matching:'));
    expect(count('ok').textContent).toBe('27 ok');
    expect(count('denied').textContent).toBe('3 denied');
    expect(count('failed').textContent).toBe('0 failed');
    expect(apiCalls(stub, '/audit/counts')).toContain('/api/v1/audit/counts?q=worker7');
    expect(apiCalls(stub, '/audit')).toContain('/api/v1/audit?limit=50&q=worker7&result=denied');

    // another result by the select; pressing the pressed count clears the result
    fireEvent.change(select, { target: { value: 'ok' } });
    await waitFor(() => expect(search(router)).toEqual({ q: 'worker7', result: 'ok' }));
    await waitFor(() => expect(rows()).toHaveLength(27));
    expect([...rows()].every((r) => r.getAttribute('data-nodes') === 'worker7')).toBe(true);
    fireEvent.click(count('ok'));
    await waitFor(() => expect(search(router)).toEqual({ q: 'worker7' }));
    await waitFor(() => expect(rows()).toHaveLength(30));

    fireEvent.click(screen.getByTestId('audit-filter-clear'));
    await waitFor(() => expect(search(router)).toEqual({}));
    await waitFor(() => expect(screen.getByTestId('audit-total').textContent).toBe('1,204 lines:'));
    expect((screen.getByRole('searchbox', { name: 'Search the audit log' }) as HTMLInputElement).value).toBe('');
  });

  it('opens from a URL with a search and a result, sends % and _ as they are, and still loads older lines', async () => {
    const { stub } = renderAt('/audit?q=admin&result=ok&node=&bogus=1');
    await waitFor(() => expect(screen.getByTestId('audit-total').textContent).toBe('803 lines matching:'));
    expect((screen.getByRole('searchbox', { name: 'Search the audit log' }) as HTMLInputElement).value).toBe('admin');
    expect(count('ok').getAttribute('aria-pressed')).toBe('true');
    await waitFor(() => expect(rows()).toHaveLength(50));
    const older = LOG.filter((e) => e.actor === 'admin' && e.result === 'ok');
    expect(screen.getByTestId('audit-count').textContent).toBe(`50 of ${older.length.toLocaleString('en-US')} entries shown, times in UTC`);
    fireEvent.click(screen.getByTestId('audit-load-older'));
    await waitFor(() => expect(rows()).toHaveLength(100));
    expect(apiCalls(stub, '/audit')).toContain(`/api/v1/audit?limit=50&before=${older[49].id}&q=admin&result=ok`);

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search the audit log' }), { target: { value: '100%_x' } });
    await waitFor(() => expect(apiCalls(stub, '/audit/counts')).toContain('/api/v1/audit/counts?q=100%25_x'));
    await waitFor(() => expect(screen.getByTestId('audit-total').textContent).toBe('1 line matching:'));
    const counts = within(screen.getByTestId('audit-counts'));
    expect(counts.getByText('1 ok')).toBeTruthy();
  });

  it('an unknown result in the URL is no filter', () => {
    expect(auditSearch({ result: 'refused', q: '  ' })).toEqual(expect.objectContaining({ result: undefined, q: undefined }));
    expect(auditSearch({ result: 'failed', q: 'a_b' })).toEqual(expect.objectContaining({ result: 'failed', q: 'a_b' }));
  });
});
