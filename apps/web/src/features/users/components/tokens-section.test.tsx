import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { renderWithProviders, stubFetch } from '../../../test/render.tsx';
import type { ApiToken } from '../api/types.ts';
import { TokensSection } from './tokens-section.tsx';

afterEach(() => vi.unstubAllGlobals());

const SECRET = 'kpki_s3cr3t-value-shown-once-0123456789abcdef';
const FAR = '2999-01-01T00:00:00.000Z';

/** A server that stores only the token's metadata, as the real one stores only its hash. */
function server() {
  const tokens: ApiToken[] = [];
  return stubFetch({
    'GET /session': () => ({ body: { csrfToken: 'csrf' } }),
    'GET /tokens': () => ({ body: { items: tokens } }),
    'POST /tokens': ({ init }) => {
      const body = JSON.parse(String(init?.body)) as { name: string; lifetimeDays?: number };
      const row: ApiToken = { id: 't-1', name: body.name, username: 'admin', createdAt: '2025-06-01T00:00:00Z', expiresAt: FAR, revokedAt: null, revokedReason: null };
      tokens.unshift(row);
      return { status: 201, body: { id: row.id, name: row.name, username: row.username, expiresAt: row.expiresAt, token: SECRET, note: 'shown once: store it now' } };
    },
  });
}

const pageText = () => document.body.textContent ?? '';

describe('API tokens: the token is shown once', () => {
  it('shows the new token once, with a copy button and a warning, and never again after "I have stored it"', async () => {
    const stub = server();
    vi.stubGlobal('fetch', stub.fetch);
    const { queryClient } = renderWithProviders(<TokensSection me="admin" />);
    expect(await screen.findByTestId('empty-state')).toBeTruthy();

    // no owner to pick (a token is always its creator's); a lifetime, 90 days unless chosen
    expect(screen.queryByTestId('new-token-owner')).toBeNull();
    const lifetime = screen.getByTestId('new-token-lifetime') as HTMLSelectElement;
    expect(lifetime.value).toBe('90');
    expect([...lifetime.options].map((o) => o.value)).toEqual(['7', '30', '90', '180', '365']);

    fireEvent.change(screen.getByTestId('new-token-name'), { target: { value: 'ci-backup' } });
    fireEvent.change(lifetime, { target: { value: '30' } });
    fireEvent.click(screen.getByTestId('create-token'));

    const panel = await screen.findByTestId('token-created');
    const post = stub.calls.find((c) => c.method === 'POST')!;
    expect(JSON.parse(post.body!)).toEqual({ name: 'ci-backup', lifetimeDays: 30 });
    expect(screen.getByTestId('token-value').textContent).toBe(SECRET);
    expect(screen.getByTestId('token-value-copy')).toBeTruthy();
    expect(screen.getByTestId('token-warning').textContent).toMatch(/only time the token is shown/);
    expect(panel.textContent).toContain('admin');
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
    renderWithProviders(<TokensSection me="admin" />);
    fireEvent.click(screen.getByTestId('create-token'));
    expect(await screen.findByText(/Required: what the token is for/)).toBeTruthy();
    expect(stub.calls.some((c) => c.method === 'POST')).toBe(false);
    expect(screen.queryByTestId('token-created')).toBeNull();
  });

  it('revoking asks first, then sends DELETE /tokens/{id}', async () => {
    const stub = stubFetch({
      'GET /session': () => ({ body: { csrfToken: 'csrf' } }),
      'GET /tokens': () => ({ body: { items: [{ id: 'abc', name: 'old', username: 'ci', createdAt: '2025-06-01T00:00:00Z', expiresAt: FAR, revokedAt: null, revokedReason: null }] } }),
      'DELETE /tokens/abc': () => ({ status: 204 }),
    });
    vi.stubGlobal('fetch', stub.fetch);
    renderWithProviders(<TokensSection me="admin" />);
    fireEvent.click(await screen.findByTestId('revoke-token'));
    expect(stub.calls.some((c) => c.method === 'DELETE')).toBe(false);
    fireEvent.click(await screen.findByTestId('confirm-revoke-token'));
    await waitFor(() => expect(stub.calls.some((c) => c.method === 'DELETE' && c.url === '/api/v1/tokens/abc')).toBe(true));
  });

  it('the list shows when each token expires, which expired, and why one was revoked; the account page shows only one\'s own', async () => {
    const items: ApiToken[] = [
      { id: 'a', name: 'live', username: 'otto', createdAt: '2025-06-01T00:00:00Z', expiresAt: FAR, revokedAt: null, revokedReason: null },
      { id: 'b', name: 'old', username: 'otto', createdAt: '2025-01-01T00:00:00Z', expiresAt: '2025-04-01T00:00:00.000Z', revokedAt: null, revokedReason: null },
      { id: 'c', name: 'gone', username: 'otto', createdAt: '2025-01-01T00:00:00Z', expiresAt: FAR, revokedAt: '2025-02-01T00:00:00Z', revokedReason: 'the password changed' },
      { id: 'd', name: 'admins', username: 'admin', createdAt: '2025-01-01T00:00:00Z', expiresAt: FAR, revokedAt: null, revokedReason: null },
    ];
    vi.stubGlobal('fetch', stubFetch({ 'GET /tokens': () => ({ body: { items } }) }).fetch);
    renderWithProviders(<TokensSection me="otto" onlyMine />);
    const status = async (id: string) => (await screen.findByTestId(`token-row-${id}`)).querySelector('[data-testid="token-status"]')!.textContent;
    expect(await status('a')).toBe('active');
    expect(await status('b')).toBe('expired');
    expect(await status('c')).toBe('revoked');
    expect(screen.getByTestId('token-row-c').textContent).toContain('the password changed');
    expect([...screen.getByTestId('token-row-a').querySelectorAll('time')].map((t) => t.getAttribute('datetime'))).toEqual(['2025-06-01T00:00:00Z', FAR]);
    expect(screen.queryByTestId('token-row-d')).toBeNull();
    // only a live token offers "Revoke"
    expect(screen.getAllByTestId('revoke-token')).toHaveLength(1);
  });
});
