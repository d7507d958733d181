import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderWithProviders, stubFetch } from '../../../test/render.tsx';
import type { User } from '../api/types.ts';
import { newUserProblems } from './user-rules.ts';
import { UsersTable } from './users-table.tsx';
import { CreateUserForm } from './create-user-form.tsx';

afterEach(() => vi.unstubAllGlobals());

const users: User[] = [
  { id: 1, username: 'admin', role: 'admin', disabled: false, createdAt: '2025-01-01T00:00:00Z' },
  { id: 2, username: 'olivia', role: 'operator', disabled: false, createdAt: '2025-01-02T00:00:00Z' },
  { id: 3, username: 'victor', role: 'viewer', disabled: true, createdAt: '2025-01-03T00:00:00Z' },
];

describe('new user rules', () => {
  it('username as the server allows it, password of at least 12 characters, no duplicate', () => {
    expect(newUserProblems({ username: 'ci.bot-1', password: 'x'.repeat(12), role: 'viewer' })).toEqual({});
    expect(newUserProblems({ username: 'a b', password: 'x'.repeat(11), role: 'viewer' })).toEqual({
      username: expect.stringMatching(/Letters, digits/),
      password: expect.stringMatching(/At least 12/),
    });
    expect(newUserProblems({ username: 'olivia', password: 'x'.repeat(20), role: 'admin' }, ['olivia']).username).toMatch(/exists/);
  });
});

describe('UsersTable', () => {
  it("offers no role change and no disable on the admin's own row", () => {
    renderWithProviders(<UsersTable users={users} me={{ id: 1, username: 'admin' }} />);
    const own = screen.getByTestId('user-row-admin');
    expect(within(own).queryByTestId('user-role')).toBeNull();
    expect(within(own).queryByTestId('user-toggle-disabled')).toBeNull();
    expect(within(screen.getByTestId('user-row-olivia')).getByTestId('user-role')).toBeTruthy();
    expect(within(screen.getByTestId('user-row-victor')).getByTestId('user-toggle-disabled').textContent).toBe('Enable');
    expect(screen.getByTestId('user-row-victor').getAttribute('data-disabled')).toBe('true');
  });

  it('changes a role and disables a user with PATCH /users/{id}', async () => {
    const stub = stubFetch({
      'GET /session': () => ({ body: { csrfToken: 't' } }),
      'PATCH /users/2': ({ init }) => ({ body: { ...users[1], ...JSON.parse(String(init?.body)) } }),
    });
    vi.stubGlobal('fetch', stub.fetch);
    renderWithProviders(<UsersTable users={users} me={{ id: 1, username: 'admin' }} />);
    const row = screen.getByTestId('user-row-olivia');
    fireEvent.change(within(row).getByTestId('user-role'), { target: { value: 'viewer' } });
    await waitFor(() => expect(stub.calls.some((c) => c.method === 'PATCH' && c.body === '{"role":"viewer"}')).toBe(true));
    fireEvent.click(within(row).getByTestId('user-toggle-disabled'));
    await waitFor(() => expect(stub.calls.some((c) => c.method === 'PATCH' && c.body === '{"disabled":true}')).toBe(true));
  });
});

describe('CreateUserForm', () => {
  it('refuses a short password beside the field, then creates the user with the chosen role', async () => {
    const stub = stubFetch({
      'GET /session': () => ({ body: { csrfToken: 't' } }),
      'POST /users': ({ init }) => ({ status: 201, body: { id: 9, disabled: false, createdAt: '2025-06-01T00:00:00Z', ...JSON.parse(String(init?.body)) } }),
    });
    vi.stubGlobal('fetch', stub.fetch);
    renderWithProviders(<CreateUserForm existing={['admin']} />);
    fireEvent.change(screen.getByTestId('new-user-username'), { target: { value: 'ops' } });
    fireEvent.change(screen.getByTestId('new-user-password'), { target: { value: 'short' } });
    fireEvent.change(screen.getByTestId('new-user-role'), { target: { value: 'operator' } });
    fireEvent.click(screen.getByTestId('create-user'));
    expect(await screen.findByText(/At least 12 characters \(5 given\)/)).toBeTruthy();
    expect(stub.calls.some((c) => c.method === 'POST')).toBe(false);
    fireEvent.change(screen.getByTestId('new-user-password'), { target: { value: 'a-long-password' } });
    fireEvent.click(screen.getByTestId('create-user'));
    await waitFor(() => expect(stub.calls.find((c) => c.method === 'POST')?.body).toBe('{"username":"ops","password":"a-long-password","role":"operator"}'));
  });
});
