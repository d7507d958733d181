import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { forgetElevation } from '../../../api/reauth.ts';
import { resetCsrfToken } from '../../../api/session.ts';
import { asRole, renderWithProviders, stubFetch } from '../../../test/render.tsx';
import { DownloadsCard } from './downloads-card.tsx';

const props = { cluster: 'lab', recipients: ['cp1', 'worker1'], current: true, caKeyNodes: ['cp1'] };
const ids = () => [...document.querySelectorAll('[data-testid^="download-"]')].map((e) => e.getAttribute('data-testid')).sort();

beforeEach(() => {
  forgetElevation();
  resetCsrfToken();
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('DownloadsCard role gating', () => {
  it('admin: every link; the ones holding the CA key ask for the password', () => {
    renderWithProviders(asRole('admin', <DownloadsCard {...props} name="ca" />));
    expect(ids()).toEqual(['download-bundle-all', 'download-bundle-cp1', 'download-bundle-worker1', 'download-cert', 'download-key']);
    const caKey = ['download-key', 'download-bundle-all', 'download-bundle-cp1'];
    for (const id of caKey) expect(screen.getByTestId(id).getAttribute('data-ca-key'), id).toBe('true');
    expect(screen.getByTestId('download-bundle-worker1').getAttribute('data-ca-key')).toBeNull();
    expect(screen.queryByTestId('ca-key-admins-only')).toBeNull();
  });

  it('operator on the CA: certificate and worker bundle only, with the note that the CA key is for admins', () => {
    renderWithProviders(asRole('operator', <DownloadsCard {...props} name="ca" />));
    expect(ids()).toEqual(['download-bundle-worker1', 'download-cert']);
    expect(screen.getByTestId('ca-key-admins-only').textContent).toMatch(/CA key is for admins/);
  });

  it('operator on a leaf: its key is a plain link (no password), the whole bundle is not offered', () => {
    renderWithProviders(asRole('operator', <DownloadsCard {...props} name="admin" />));
    expect(ids()).toEqual(['download-bundle-worker1', 'download-cert', 'download-key']);
    const key = screen.getByTestId('download-key');
    expect(key.getAttribute('href')).toBe('/api/v1/clusters/lab/certificates/admin/key.pem');
    expect(key.getAttribute('data-ca-key')).toBeNull();
  });

  it('viewer: the certificate only, and a note instead of key links', () => {
    renderWithProviders(asRole('viewer', <DownloadsCard {...props} name="ca" />));
    expect(ids()).toEqual(['download-cert']);
    expect(screen.getByTestId('keys-not-offered').textContent).toMatch(/CA key for admins only/);
  });

  it('while the control-plane nodes are unknown, every node bundle counts as holding the CA key', () => {
    renderWithProviders(asRole('operator', <DownloadsCard {...props} caKeyNodes={null} name="admin" />));
    expect(ids()).toEqual(['download-cert', 'download-key']);
  });
});

describe('CA key download', () => {
  it('asks for the password; a wrong one shows beside the field and downloads nothing', async () => {
    const stub = stubFetch({
      'GET /session': () => ({ body: { csrfToken: 'tok' } }),
      'POST /session/reauth': () => ({ status: 401, body: { error: { code: 'INVALID_CREDENTIALS', message: 'wrong password' } } }),
    });
    vi.stubGlobal('fetch', stub.fetch);
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click');
    renderWithProviders(asRole('admin', <DownloadsCard {...props} name="ca" />));
    fireEvent.click(screen.getByTestId('download-key'));
    const dialog = await screen.findByTestId('reauth-dialog');
    fireEvent.change(screen.getByTestId('reauth-password'), { target: { value: 'not-it' } });
    fireEvent.click(screen.getByTestId('reauth-confirm'));
    expect(await screen.findByText('Wrong password: try again.')).toBeTruthy();
    const input = screen.getByTestId('reauth-password');
    expect(input.getAttribute('data-invalid')).toBe('true');
    // the message is the field's own description (aria-describedby), not a page-level alert
    expect(document.getElementById(input.getAttribute('aria-describedby')!)?.textContent).toBe('Wrong password: try again.');
    expect(screen.queryByTestId('error-alert')).toBeNull();
    expect(dialog.isConnected).toBe(true);
    expect(click).not.toHaveBeenCalled();
    const post = stub.calls.find((c) => c.method === 'POST')!;
    expect(JSON.parse(post.body!)).toEqual({ password: 'not-it' });
    expect(post.headers['x-csrf-token']).toBe('tok');
  });

  it('with the right password starts the download of the same link, then downloads without asking for a while', async () => {
    const until = new Date(Date.now() + 5 * 60_000).toISOString();
    const stub = stubFetch({
      'GET /session': () => ({ body: { csrfToken: 'tok' } }),
      'POST /session/reauth': () => ({ body: { elevatedUntil: until } }),
    });
    vi.stubGlobal('fetch', stub.fetch);
    const clicked: Array<{ href: string; download: string }> = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.getAttribute('href')!, download: this.download });
    });
    renderWithProviders(asRole('admin', <DownloadsCard {...props} name="ca" />));
    fireEvent.click(screen.getByTestId('download-key'));
    await screen.findByTestId('reauth-dialog');
    fireEvent.change(screen.getByTestId('reauth-password'), { target: { value: 'right-password' } });
    fireEvent.click(screen.getByTestId('reauth-confirm'));
    await waitFor(() => expect(clicked).toEqual([{ href: '/api/v1/clusters/lab/certificates/ca/key.pem', download: 'ca-key.pem' }]));
    await waitFor(() => expect(screen.queryByTestId('reauth-dialog')).toBeNull());

    // inside the window, the link is followed as is: no dialog, no second POST
    let prevented: boolean | null = null;
    const record = (e: Event) => {
      prevented = e.defaultPrevented;
      e.preventDefault(); // jsdom cannot follow links
    };
    document.addEventListener('click', record);
    screen.getByTestId('download-bundle-all').dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
    document.removeEventListener('click', record);
    expect(prevented).toBe(false);
    expect(screen.queryByTestId('reauth-dialog')).toBeNull();
    expect(stub.calls.filter((c) => c.url.endsWith('/session/reauth'))).toHaveLength(1);
  });
});
