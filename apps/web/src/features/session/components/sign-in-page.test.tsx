import type { SignedIn } from '@kpki/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { isUnauthenticated, markUnauthenticated, resetCsrfToken } from '../../../api/session.ts';
import { queryKeys } from '../../../api/query-keys.ts';
import { renderWithProviders, stubFetch } from '../../../test/render.tsx';
import { SignInPage } from './sign-in-page.tsx';

beforeEach(() => {
  resetCsrfToken();
  markUnauthenticated(false);
});
afterEach(() => vi.unstubAllGlobals());

function fill(card: HTMLElement, username: string, password: string) {
  fireEvent.change(within(card).getByLabelText('Username'), { target: { value: username } });
  fireEvent.change(within(card).getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(within(card).getByRole('button', { name: 'Sign in' }));
}

describe('SignInPage', () => {
  it('keeps the form inside "unauthenticated" with its labels and test ids; a wrong password shows beside the field', async () => {
    markUnauthenticated(true); // as after a 401
    vi.stubGlobal(
      'fetch',
      stubFetch({ 'POST /session': () => ({ status: 401, body: { error: { code: 'INVALID_CREDENTIALS', message: 'wrong username or password' } } }) }).fetch,
    );
    const onSignedIn = vi.fn();
    renderWithProviders(<SignInPage reason="expired" onSignedIn={onSignedIn} />);
    const card = screen.getByTestId('unauthenticated');
    expect(within(card).getByTestId('sign-in-username')).toBeTruthy();
    expect(within(card).getByTestId('sign-in-password')).toBeTruthy();
    expect(within(card).getByTestId('sign-in').textContent).toBe('Sign in');
    expect(screen.getByTestId('sign-in-reason').getAttribute('data-reason')).toBe('expired');
    fill(card, 'admin', 'nope');
    expect(await within(card).findByText(/Wrong username or password/)).toBeTruthy();
    expect(onSignedIn).not.toHaveBeenCalled();
  });

  it('signs in: session cached with its role, the 401 flag lowered, the caller told', async () => {
    markUnauthenticated(true);
    const session: SignedIn = { user: { id: 2, username: 'olivia', role: 'operator', disabled: false, createdAt: '2025-01-01T00:00:00Z' }, csrfToken: 'c1', via: 'session' };
    const stub = stubFetch({ 'POST /session': () => ({ body: session }) });
    vi.stubGlobal('fetch', stub.fetch);
    const onSignedIn = vi.fn();
    const { queryClient } = renderWithProviders(<SignInPage onSignedIn={onSignedIn} />);
    queryClient.setQueryData(['clusters'], ['from the previous user']);
    fill(screen.getByTestId('unauthenticated'), 'olivia', 'olivia-password-1');
    await waitFor(() => expect(onSignedIn).toHaveBeenCalled());
    expect(JSON.parse(stub.calls.find((c) => c.method === 'POST')!.body!)).toEqual({ username: 'olivia', password: 'olivia-password-1' });
    expect(isUnauthenticated()).toBe(false);
    expect(queryClient.getQueryData(queryKeys.session())).toEqual({ ...session, elevatedUntil: null });
    expect(queryClient.getQueryData(['clusters'])).toBeUndefined();
  });
});
