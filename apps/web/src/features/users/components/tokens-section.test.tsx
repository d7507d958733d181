import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderWithProviders, stubFetch } from '../../../test/render.tsx';
import type { ApiToken, User } from '../api/types.ts';
import { TokensSection } from './tokens-section.tsx';

afterEach(() => vi.unstubAllGlobals());

const SECRET = 'kpki_s3cr3t-value-shown-once-0123456789abcdef';
const users: User[] = [
  { id: 1, username: 'admin', role: 'admin', disabled: false, createdAt: '2025-01-01T00:00:00Z' },
  { id: 2, username: 'ci', role: 'operator', disabled: false, createdAt: '2025-01-02T00:00:00Z' },
  { id: 3, username: 'gone', role: 'viewer', disabled: true, createdAt: '2025-01-03T00:00:00Z' },
];

/** A server that stores only the token's metadata, as the real one stores only its hash. */
function server() {
  const tokens: ApiToken[] = [];
  return stubFetch({
    'GET /session': () => ({ body: { csrfToken: 'csrf' } }),
    'GET /tokens': () => ({ body: { items: tokens } }),
    'POST /tokens': ({ init }) => {
      const body = JSON.parse(String(init?.body)) as { name: string; username?: string };
      const row = { id: 't-1', name: body.name, username: body.username ?? 'admin', createdAt: '2025-06-01T00:00:00Z', revokedAt: null };
      tokens.unshift(row);
      return { status: 201, body: { id: row.id, name: row.name, username: row.username, token: SECRET, note: 'shown once: store it now' } };
    },
  });
}

const pageText = () => document.body.textContent ?? '';

describe('API tokens: the token is shown once', () => {
  it('shows the new token once, with a copy button and a warning, and never again after "I have stored it"', async () => {
    const stub = server();
    vi.stubGlobal('fetch', stub.fetch);
    const { queryClient } = renderWithProviders(<TokensSection users={users} me="admin" />);
    expect(await screen.findByTestId('empty-state')).toBeTruthy();

    // disabled users cannot own a token (it would not work)
    const owner = screen.getByTestId('new-token-owner') as HTMLSelectElement;
    expect([...owner.options].map((o) => o.value)).toEqual(['admin', 'ci']);
    expect(owner.value).toBe('admin');

    fireEvent.change(screen.getByTestId('new-token-name'), { target: { value: 'ci-backup' } });
    fireEvent.change(owner, { target: { value: 'ci' } });
    fireEvent.click(screen.getByTestId('create-token'));

    const panel = await screen.findByTestId('token-created');
    const post = stub.calls.find((c) => c.method === 'POST')!;
    expect(JSON.parse(post.body!)).toEqual({ name: 'ci-backup', username: 'ci' });
    expect(screen.getByTestId('token-value').textContent).toBe(SECRET);
    expect(screen.getByTestId('token-value-copy')).toBeTruthy();
    expect(screen.getByTestId('token-warning').textContent).toMatch(/only time the token is shown/);
    expect(panel.textContent).toContain('ci');
    // exactly one place shows it: the list row has the name and owner, not the token
    const row = await screen.findByTestId('token-row-t-1');
    expect(row.textContent).toContain('ci-backup');
    expect(row.textContent).not.toContain(SECRET);
    expect(pageText().split(SECRET).length - 1).toBe(1);
    // the form is ready for another token
    expect((screen.getByTestId('new-token-name') as HTMLInputElement).value).toBe('');

    fireEvent.click(screen.getByTestId('token-dismiss'));
    expect(screen.queryByTestId('token-created')).toBeNull();
    expect(pageText()).not.toContain(SECRET);

    // nothing the app keeps holds it: not the query cache (the list), not the mutation cache
    await queryClient.refetchQueries();
    await waitFor(() => expect(screen.getByTestId('token-row-t-1')).toBeTruthy());
    expect(pageText()).not.toContain(SECRET);
    expect(JSON.stringify(queryClient.getQueryCache().getAll().map((q) => q.state.data))).not.toContain(SECRET);
    await waitFor(() => expect(JSON.stringify(queryClient.getMutationCache().getAll().map((m) => m.state.data))).not.toContain(SECRET));
  });

  it('a name is required before anything is sent', async () => {
    const stub = server();
    vi.stubGlobal('fetch', stub.fetch);
    renderWithProviders(<TokensSection users={users} me="admin" />);
    fireEvent.click(screen.getByTestId('create-token'));
    expect(await screen.findByText(/Required: what the token is for/)).toBeTruthy();
    expect(stub.calls.some((c) => c.method === 'POST')).toBe(false);
    expect(screen.queryByTestId('token-created')).toBeNull();
  });

  it('revoking asks first, then sends DELETE /tokens/{id}', async () => {
    const stub = stubFetch({
      'GET /session': () => ({ body: { csrfToken: 'csrf' } }),
      'GET /tokens': () => ({ body: { items: [{ id: 'abc', name: 'old', username: 'ci', createdAt: '2025-06-01T00:00:00Z', revokedAt: null }] } }),
      'DELETE /tokens/abc': () => ({ status: 204 }),
    });
    vi.stubGlobal('fetch', stub.fetch);
    renderWithProviders(<TokensSection users={users} me="admin" />);
    fireEvent.click(await screen.findByTestId('revoke-token'));
    expect(stub.calls.some((c) => c.method === 'DELETE')).toBe(false);
    fireEvent.click(await screen.findByTestId('confirm-revoke-token'));
    await waitFor(() => expect(stub.calls.some((c) => c.method === 'DELETE' && c.url === '/api/v1/tokens/abc')).toBe(true));
  });
});
