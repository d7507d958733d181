import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { stubFetch } from '../test/render.tsx';
import { ApiError, apiFetch } from './client.ts';
import { isUnauthenticated, markUnauthenticated, resetCsrfToken } from './session.ts';

beforeEach(() => {
  resetCsrfToken();
  markUnauthenticated(false);
});
afterEach(() => vi.unstubAllGlobals());

describe('apiFetch', () => {
  it('turns an error body into an ApiError with code, message and field issues', async () => {
    const { fetch } = stubFetch({
      'POST /clusters': () => ({
        status: 400,
        body: { error: { code: 'INVALID_TOPOLOGY', message: 'bad', details: [{ path: '/nodes/0/name', code: 'x', message: 'not a DNS label' }] } },
      }),
    });
    vi.stubGlobal('fetch', fetch);
    const error = (await apiFetch('/clusters', { method: 'POST', body: {} }).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe('INVALID_TOPOLOGY');
    expect(error.status).toBe(400);
    expect(error.fieldIssues).toEqual([{ path: '/nodes/0/name', code: 'x', message: 'not a DNS label' }]);
  });

  it('sends the CSRF token from GET /session on writes, with same-origin credentials', async () => {
    const stub = stubFetch({
      'GET /session': () => ({ body: { csrfToken: 'tok-1' } }),
      'POST /clusters/c/ca': () => ({ status: 201, body: { name: 'ca' } }),
    });
    const spy = vi.fn(stub.fetch);
    vi.stubGlobal('fetch', spy);
    await apiFetch('/clusters/c/ca', { method: 'POST' });
    const post = stub.calls.find((c) => c.method === 'POST')!;
    expect(post.headers['x-csrf-token']).toBe('tok-1');
    expect(spy.mock.calls.find((c) => c[1]?.method === 'POST')?.[1]?.credentials).toBe('same-origin');
  });

  it('sends no token when there is no session endpoint (404)', async () => {
    const stub = stubFetch({ 'POST /clusters/c/issuances': () => ({ status: 202, body: { jobId: 'j' } }) });
    vi.stubGlobal('fetch', stub.fetch);
    await expect(apiFetch('/clusters/c/issuances', { method: 'POST' })).resolves.toEqual({ jobId: 'j' });
    expect(stub.calls.find((c) => c.method === 'POST')!.headers['x-csrf-token']).toBeUndefined();
  });

  it('raises the signed-out flag on 401', async () => {
    const stub = stubFetch({ 'GET /clusters': () => ({ status: 401, body: { error: { code: 'UNAUTHENTICATED', message: 'sign in' } } }) });
    vi.stubGlobal('fetch', stub.fetch);
    await expect(apiFetch('/clusters')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(isUnauthenticated()).toBe(true);
  });

  it('a wrong password (401 INVALID_CREDENTIALS) is an error of the form, not a lost session', async () => {
    const stub = stubFetch({
      'POST /session/reauth': () => ({ status: 401, body: { error: { code: 'INVALID_CREDENTIALS', message: 'wrong password' } } }),
    });
    vi.stubGlobal('fetch', stub.fetch);
    await expect(apiFetch('/session/reauth', { method: 'POST', body: { password: 'x' } })).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS', status: 401 });
    expect(isUnauthenticated()).toBe(false);
  });

  it('sends PATCH with the CSRF token', async () => {
    const stub = stubFetch({
      'GET /session': () => ({ body: { csrfToken: 'tok-2' } }),
      'PATCH /users/4': () => ({ body: { id: 4, role: 'viewer' } }),
    });
    vi.stubGlobal('fetch', stub.fetch);
    await expect(apiFetch('/users/4', { method: 'PATCH', body: { role: 'viewer' } })).resolves.toEqual({ id: 4, role: 'viewer' });
    expect(stub.calls.find((c) => c.method === 'PATCH')!.headers['x-csrf-token']).toBe('tok-2');
  });
});
