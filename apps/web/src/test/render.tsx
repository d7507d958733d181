/** Renders a component inside Mantine and a fresh QueryClient, as the app does (test helper). */
import type { Role } from '@kpki/shared';
import type { ReactElement } from 'react';
import { render } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createMemoryHistory, createRootRoute, createRouter, RouterProvider } from '@tanstack/react-router';
import { theme } from '../app/theme.ts';
import { PermissionsProvider } from '../components/permissions.tsx';
import { permissionsFor } from '../lib/permissions.ts';

export function renderWithProviders(ui: ReactElement) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const result = render(
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queryClient}>{ui}</QueryClientProvider>
    </MantineProvider>,
  );
  return { ...result, queryClient };
}

/** A fetch stub answering by "METHOD path" (path without /api/v1 and without the query). */
export function stubFetch(routes: Record<string, (req: { url: string; init?: RequestInit }) => { status?: number; body?: unknown; headers?: Record<string, string> }>) {
  const calls: Array<{ method: string; url: string; headers: Record<string, string>; body?: string }> = [];
  const fetchStub = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const method = init?.method ?? 'GET';
    calls.push({ method, url, headers: (init?.headers as Record<string, string>) ?? {}, body: init?.body as string | undefined });
    const path = url.replace(/^\/api\/v1/, '').split('?')[0];
    const handler = routes[`${method} ${path}`];
    const { status = 200, body, headers = {} } = handler ? handler({ url, init }) : { status: 404, body: { error: { code: 'NOT_FOUND', message: `no stub for ${method} ${path}` } } };
    return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
  };
  return { fetch: fetchStub as typeof fetch, calls };
}

/** Also inside a router (memory history), for components that render links. */
export function renderWithRouter(ui: ReactElement) {
  const rootRoute = createRootRoute({ component: () => ui });
  const router = createRouter({ routeTree: rootRoute, history: createMemoryHistory({ initialEntries: ['/'] }) });
  return renderWithProviders(<RouterProvider router={router} />);
}

/** Wraps `ui` in the permissions of `role` (what the app layout provides from GET /session). */
export function asRole(role: Role, ui: ReactElement): ReactElement {
  return <PermissionsProvider value={permissionsFor(role)}>{ui}</PermissionsProvider>;
}
