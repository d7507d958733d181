import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { nodeRowOf, type NodeRow, type NodeSummary } from '@kpki/shared';
import { forgetElevation } from '../../../api/reauth.ts';
import { asRole, renderWithProviders, stubFetch } from '../../../test/render.tsx';
import { SshSettingsForm } from './ssh-settings-form.tsx';

afterEach(() => {
  vi.unstubAllGlobals();
  forgetElevation();
});

const cp1Summary: NodeSummary = {
  name: 'cp1', role: 'control-plane', addresses: ['10.0.0.1'], ssh: { host: '10.0.0.1', port: 22, user: 'root' }, expectedFiles: 12,
  status: { node: 'cp1', state: 'not-checked', checkedAt: null, filesCheckedAt: null, checkDue: true, remoteDir: null, files: [], otherFiles: [], error: null },
};
/** the node as the list has it; PUT .../ssh answers the full summary */
const cp1: NodeRow = nodeRowOf(cp1Summary);

/** The server asks for the password until POST /session/reauth succeeded once. */
function stubServer() {
  let elevated = false;
  const stub = stubFetch({
    'GET /session': () => ({ body: { csrfToken: 'tok' } }),
    'POST /session/reauth': () => ((elevated = true), { body: { elevatedUntil: new Date(Date.now() + 300_000).toISOString() } }),
    'PUT /clusters/lab/nodes/cp1/ssh': () =>
      elevated ? { body: { ...cp1Summary, ssh: { host: '10.0.0.9', port: 22, user: 'root' } } } : { status: 403, body: { error: { code: 'REAUTH_REQUIRED', message: 'needs your password again' } } },
  });
  vi.stubGlobal('fetch', stub.fetch);
  return stub;
}

describe('SSH settings of a control-plane node (the CA key rule)', () => {
  it('an admin is asked for the password when the server wants it, and the save is sent again', async () => {
    const stub = stubServer();
    renderWithProviders(asRole('admin', <SshSettingsForm cluster="lab" node={cp1} />));
    fireEvent.change(screen.getByTestId('ssh-host'), { target: { value: '10.0.0.9' } });
    fireEvent.click(screen.getByTestId('save-ssh'));
    const dialog = await screen.findByTestId('reauth-dialog');
    expect(dialog.textContent).toContain('cp1');
    fireEvent.change(screen.getByTestId('reauth-password'), { target: { value: 'the-password' } });
    fireEvent.click(screen.getByTestId('reauth-confirm'));
    await waitFor(() => expect(stub.calls.filter((c) => c.method === 'PUT')).toHaveLength(2));
    await waitFor(() => expect(screen.queryByTestId('reauth-dialog')).toBeNull());
    expect(JSON.parse(stub.calls.find((c) => c.method === 'POST')!.body!)).toEqual({ password: 'the-password' });
    expect(JSON.parse(stub.calls.filter((c) => c.method === 'PUT')[1].body!).host).toBe('10.0.0.9');
  });

  it('cancelling the dialog sends nothing more and shows no error', async () => {
    const stub = stubServer();
    renderWithProviders(asRole('admin', <SshSettingsForm cluster="lab" node={cp1} />));
    fireEvent.change(screen.getByTestId('ssh-host'), { target: { value: '10.0.0.9' } });
    fireEvent.click(screen.getByTestId('save-ssh'));
    await screen.findByTestId('reauth-dialog');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByTestId('reauth-dialog')).toBeNull());
    expect(stub.calls.filter((c) => c.method === 'PUT')).toHaveLength(1);
    expect(screen.queryByTestId('error-alert')).toBeNull();
  });

  it('an operator is not asked: the refusal shows as an error', async () => {
    const stub = stubFetch({
      'GET /session': () => ({ body: { csrfToken: 'tok' } }),
      'PUT /clusters/lab/nodes/cp1/ssh': () => ({ status: 403, body: { error: { code: 'FORBIDDEN', message: 'this change decides where the CA key goes: it is for an admin only' } } }),
    });
    vi.stubGlobal('fetch', stub.fetch);
    renderWithProviders(asRole('operator', <SshSettingsForm cluster="lab" node={cp1} />));
    fireEvent.change(screen.getByTestId('ssh-host'), { target: { value: '10.0.0.9' } });
    fireEvent.click(screen.getByTestId('save-ssh'));
    expect((await screen.findByTestId('error-alert')).getAttribute('data-error-code')).toBe('FORBIDDEN');
    expect(screen.queryByTestId('reauth-dialog')).toBeNull();
  });
});

describe('SSH settings saved against the version the page was loaded with (If-Match)', () => {
  const worker: NodeRow = { ...cp1, name: 'w1', role: 'worker', ssh: { host: '10.0.0.2', port: 22, user: 'root' } };
  /** GET gives version "v1"; PUT with "v1" is stale (someone saved since: `current`), with "v2" it is saved. */
  function stubVersions(current: { name: string; ssh?: object }[]) {
    const stub = stubFetch({
      'GET /session': () => ({ body: { csrfToken: 'tok' } }),
      'GET /clusters/lab': () => ({ body: { name: 'lab', nodes: current }, headers: { etag: '"v1"' } }),
      'PUT /clusters/lab/nodes/w1/ssh': ({ init }) => {
        const ifMatch = (init?.headers as Record<string, string>)['if-match'];
        if (ifMatch === '"v1"') return { status: 412, body: { error: { code: 'PRECONDITION_FAILED', message: 'the cluster changed', details: { etag: '"v2"', current: { name: 'lab', nodes: current } } } } };
        return { body: { ...cp1Summary, name: 'w1', role: 'worker', ssh: JSON.parse(String(init?.body)) }, headers: { etag: '"v3"' } };
      },
    });
    vi.stubGlobal('fetch', stub.fetch);
    return stub;
  }
  const puts = (stub: ReturnType<typeof stubFetch>) => stub.calls.filter((c) => c.method === 'PUT');

  it('another node changed meanwhile: the save goes again on the new version, without asking', async () => {
    const stub = stubVersions([{ name: 'cp1', ssh: { host: '10.9.9.9' } }, { name: 'w1', ssh: worker.ssh }]);
    renderWithProviders(asRole('operator', <SshSettingsForm cluster="lab" node={worker} />));
    await waitFor(() => expect(stub.calls.some((c) => c.url.endsWith('/clusters/lab'))).toBe(true));
    fireEvent.change(screen.getByTestId('ssh-user'), { target: { value: 'kpki' } });
    fireEvent.click(screen.getByTestId('save-ssh'));
    await waitFor(() => expect(puts(stub)).toHaveLength(2));
    expect(puts(stub).map((c) => c.headers['if-match'])).toEqual(['"v1"', '"v2"']);
    expect(JSON.parse(puts(stub)[1].body!).user).toBe('kpki');
    expect(screen.queryByTestId('ssh-conflict')).toBeNull();
  });

  it('this node changed meanwhile: theirs are shown; "Save mine over theirs" sends mine on the new version', async () => {
    const stub = stubVersions([{ name: 'w1', ssh: { host: '10.0.0.2', port: 2222, user: 'ops' } }]);
    renderWithProviders(asRole('operator', <SshSettingsForm cluster="lab" node={worker} />));
    await waitFor(() => expect(stub.calls.some((c) => c.url.endsWith('/clusters/lab'))).toBe(true));
    fireEvent.change(screen.getByTestId('ssh-user'), { target: { value: 'kpki' } });
    fireEvent.click(screen.getByTestId('save-ssh'));
    expect((await screen.findByTestId('ssh-conflict-theirs')).textContent).toContain('ops@10.0.0.2:2222');
    expect(screen.getByTestId('ssh-conflict-mine').textContent).toContain('kpki@10.0.0.2:22');
    expect(puts(stub)).toHaveLength(1);
    fireEvent.click(screen.getByTestId('ssh-save-over'));
    await waitFor(() => expect(puts(stub)).toHaveLength(2));
    expect(puts(stub)[1].headers['if-match']).toBe('"v2"');
    expect(JSON.parse(puts(stub)[1].body!)).toMatchObject({ host: '10.0.0.2', port: 22, user: 'kpki' });
    await waitFor(() => expect(screen.queryByTestId('ssh-conflict')).toBeNull());
  });

  it('"Keep theirs" puts their settings in the form and sends nothing', async () => {
    const stub = stubVersions([{ name: 'w1', ssh: { host: '10.0.0.2', port: 2222, user: 'ops' } }]);
    renderWithProviders(asRole('operator', <SshSettingsForm cluster="lab" node={worker} />));
    await waitFor(() => expect(stub.calls.some((c) => c.url.endsWith('/clusters/lab'))).toBe(true));
    fireEvent.change(screen.getByTestId('ssh-user'), { target: { value: 'kpki' } });
    fireEvent.click(screen.getByTestId('save-ssh'));
    fireEvent.click(await screen.findByTestId('ssh-take-theirs'));
    await waitFor(() => expect(screen.queryByTestId('ssh-conflict')).toBeNull());
    expect((screen.getByTestId('ssh-user') as HTMLInputElement).value).toBe('ops');
    expect((screen.getByTestId('ssh-port') as HTMLInputElement).value).toBe('2222');
    expect(puts(stub)).toHaveLength(1);
  });
});
