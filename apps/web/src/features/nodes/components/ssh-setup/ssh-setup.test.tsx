/** The SSH set-up for many nodes (issue 16): the import dialog, the bulk host-key review, the defaults form, the first-address action. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { nodeRowOf, type HostKeyReview as Review, type NodeRow, type NodeSummary, type SshImportAnswer } from '@kpki/shared';
import { forgetElevation } from '../../../../api/reauth.ts';
import { asRole, renderWithProviders, stubFetch } from '../../../../test/render.tsx';
import { SshImportDialog } from './ssh-import-dialog.tsx';
import { HostKeyReview } from './host-key-review.tsx';
import { SshDefaultsForm, toDefaults } from './ssh-defaults-form.tsx';
import { FIRST_ADDRESS_SHOWN, FirstAddressAction } from './first-address-action.tsx';

afterEach(() => {
  vi.unstubAllGlobals();
  forgetElevation();
});

const VERSION = '"v1"';
const cluster = { name: 'lab', nodes: [], sshDefaults: { user: 'kube' } };
const versioned = () => ({ body: cluster, headers: { etag: VERSION } });
const status = (node: string) => ({ node, state: 'not-configured' as const, checkedAt: null, filesCheckedAt: null, checkDue: false, remoteDir: null, files: [], otherFiles: [], error: null });
const node = (name: string, ssh?: NodeSummary['ssh']): NodeRow => nodeRowOf({ name, role: 'worker', addresses: [`10.0.0.${name.length}`], ...(ssh ? { ssh } : {}), expectedFiles: 5, status: status(name) });

const row = (node: string, over: Partial<SshImportAnswer['nodes'][number]> = {}): SshImportAnswer['nodes'][number] => ({
  node, role: 'worker', hostLines: [1], current: null, proposed: { host: '127.0.0.2', port: 2201, user: 'kube', hostKey: 'SHA256:aaa' }, changes: ['host', 'port', 'hostKey'],
  pinned: { fingerprint: 'SHA256:aaa', keyType: 'ssh-ed25519', line: 1 }, presented: { fingerprint: 'SHA256:aaa', keyType: 'ssh-ed25519' }, knownHostsKeys: [], problems: [], notes: [], applied: false, ...over,
});
const answer = (applied: boolean): SshImportAnswer => ({
  applied,
  nodes: [row('worker1', { applied }), row('worker2', { pinned: null, proposed: { host: '127.0.0.3', port: 2202 }, changes: ['host', 'port'], problems: [{ code: 'known-hosts-wrong-key', message: 'known_hosts line 2 holds SHA256:bbb, the node presents SHA256:ccc: not pinned' }], applied })],
  unusedHosts: [{ line: 9, patterns: ['bastion'] }],
  notes: [{ source: 'sshConfig', line: 12, message: 'Match block skipped' }],
  caKeyChanges: [],
  counts: { nodes: 2, changed: 2, pinned: 1, problems: 1 },
});

describe('Import from ~/.ssh/config', () => {
  it('previews (nothing stored), shows each node, its pin and problems, unused Host entries; Apply sends apply with the version', async () => {
    const stub = stubFetch({
      'GET /clusters/lab': versioned,
      'POST /clusters/lab/ssh-import': ({ init }) => ({ body: answer(JSON.parse(String(init?.body)).apply === true) }),
    });
    vi.stubGlobal('fetch', stub.fetch);
    renderWithProviders(asRole('operator', <SshImportDialog cluster="lab" opened onClose={() => {}} />));
    fireEvent.change(screen.getByTestId('import-ssh-config'), { target: { value: 'Host worker1\n  HostName 127.0.0.2' } });
    fireEvent.change(screen.getByTestId('import-known-hosts'), { target: { value: '[127.0.0.2]:2201 ssh-ed25519 AAAA' } });
    expect((screen.getByTestId('import-apply') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId('import-preview-button'));
    const preview = await screen.findByTestId('import-preview');
    const first = stub.calls.find((c) => c.method === 'POST')!;
    expect(JSON.parse(first.body!)).toEqual({ sshConfig: 'Host worker1\n  HostName 127.0.0.2', knownHosts: '[127.0.0.2]:2201 ssh-ed25519 AAAA' });
    expect(within(preview).getByTestId('import-row-worker1').textContent).toContain('SHA256:aaa');
    expect(within(preview).getByTestId('import-row-worker2').textContent).toContain('not pinned');
    expect(within(preview).getByTestId('unused-hosts').textContent).toContain('bastion (line 9)');
    expect(preview.textContent).toContain('ssh_config line 12: Match block skipped');
    await waitFor(() => expect(stub.calls.some((c) => c.method === 'GET')).toBe(true));
    fireEvent.click(screen.getByTestId('import-apply'));
    await waitFor(() => expect(stub.calls.filter((c) => c.method === 'POST')).toHaveLength(2));
    const applied = stub.calls.filter((c) => c.method === 'POST')[1];
    expect(JSON.parse(applied.body!).apply).toBe(true);
    expect(applied.headers['if-match']).toBe(VERSION);
    await waitFor(() => expect(screen.getByTestId('import-counts').textContent).toContain('2 changed'));
  });

  it('a text that cannot be read shows the line and what was expected', async () => {
    const stub = stubFetch({
      'GET /clusters/lab': versioned,
      'POST /clusters/lab/ssh-import': () => ({ status: 400, body: { error: { code: 'VALIDATION_FAILED', message: 'ssh_config line 2: Port expects a port number from 1 to 65535, found "x"' } } }),
    });
    vi.stubGlobal('fetch', stub.fetch);
    renderWithProviders(asRole('operator', <SshImportDialog cluster="lab" opened onClose={() => {}} />));
    fireEvent.change(screen.getByTestId('import-ssh-config'), { target: { value: 'Host a\n Port x' } });
    fireEvent.click(screen.getByTestId('import-preview-button'));
    expect((await screen.findByTestId('error-alert')).textContent).toContain('line 2: Port expects a port number');
  });
});

describe('the bulk host-key review', () => {
  const review: Review = {
    items: [
      { node: 'cp1', host: '127.0.0.2', port: 2201, keyType: 'ssh-ed25519', fingerprint: 'SHA256:one', pinned: null, pinnedMatch: 'none', knownHosts: null, error: null },
      { node: 'cp2', host: '127.0.0.3', port: 2202, keyType: 'ssh-ed25519', fingerprint: 'SHA256:two', pinned: 'SHA256:two', pinnedMatch: 'same', knownHosts: null, error: null },
      { node: 'worker1', host: '127.0.0.4', port: 2203, keyType: 'ssh-ed25519', fingerprint: 'SHA256:three', pinned: null, pinnedMatch: 'none', knownHosts: null, error: null },
      { node: 'worker2', host: '127.0.0.5', port: 2204, keyType: null, fingerprint: null, pinned: null, pinnedMatch: 'none', knownHosts: null, error: { code: 'SSH_UNREACHABLE', message: 'no SSH server could be reached' } },
    ],
  };
  it('the scan pins nothing; "Pin selected" sends exactly the reviewed fingerprints of the rows checked', async () => {
    const stub = stubFetch({
      'GET /clusters/lab': versioned,
      'POST /clusters/lab/host-key-scan': () => ({ body: review }),
      'POST /clusters/lab/host-keys': () => ({ body: { changed: ['worker1'], unchanged: [] } }),
    });
    vi.stubGlobal('fetch', stub.fetch);
    renderWithProviders(asRole('operator', <HostKeyReview cluster="lab" />));
    fireEvent.click(screen.getByTestId('scan-all-host-keys'));
    await screen.findByTestId('host-key-review-table');
    expect(stub.calls.filter((c) => c.method === 'POST').map((c) => c.url)).toEqual(['/api/v1/clusters/lab/host-key-scan']);
    expect(screen.getByTestId('review-row-worker2').textContent).toContain('no SSH server could be reached');
    expect(screen.getByTestId('review-row-cp2').textContent).toContain('pinned');
    expect((screen.getByLabelText('Pin the key of cp2') as HTMLInputElement).disabled).toBe(true); // already pinned
    expect((screen.getByLabelText('Pin the key of worker2') as HTMLInputElement).disabled).toBe(true); // no key seen
    expect(screen.getByTestId('pin-selected').textContent).toContain('(2)'); // the unpinned keys seen: cp1, worker1
    fireEvent.click(screen.getByLabelText('Pin the key of cp1'));
    await waitFor(() => expect(screen.getByTestId('pin-selected').textContent).toContain('(1)'));
    await waitFor(() => expect(stub.calls.some((c) => c.method === 'GET')).toBe(true));
    fireEvent.click(screen.getByTestId('pin-selected'));
    await waitFor(() => expect(stub.calls.filter((c) => c.url.endsWith('/host-keys'))).toHaveLength(1));
    const pin = stub.calls.find((c) => c.url.endsWith('/host-keys'))!;
    expect(JSON.parse(pin.body!)).toEqual({ pins: [{ node: 'worker1', fingerprint: 'SHA256:three' }] });
    expect(pin.headers['if-match']).toBe(VERSION);
  });

  it('a node that now presents another key: the refusal is shown, nothing pinned', async () => {
    const stub = stubFetch({
      'GET /clusters/lab': versioned,
      'POST /clusters/lab/host-key-scan': () => ({ body: review }),
      'POST /clusters/lab/host-keys': () => ({ status: 409, body: { error: { code: 'HOST_KEY_CHANGED', message: 'nothing pinned: cp1 now presents SHA256:new' } } }),
    });
    vi.stubGlobal('fetch', stub.fetch);
    renderWithProviders(asRole('operator', <HostKeyReview cluster="lab" />));
    fireEvent.click(screen.getByTestId('scan-all-host-keys'));
    await screen.findByTestId('host-key-review-table');
    fireEvent.click(screen.getByTestId('pin-selected'));
    expect((await screen.findByTestId('error-alert')).getAttribute('data-error-code')).toBe('HOST_KEY_CHANGED');
  });
});

describe('the cluster SSH defaults', () => {
  it('empty fields are no default', () => {
    expect(toDefaults({ user: ' kube ', port: 2222, remoteDir: '' })).toEqual({ user: 'kube', port: 2222 });
    expect(toDefaults({ user: '', port: '', remoteDir: '' })).toEqual({});
  });

  it('shows the current defaults and saves the new ones with the version', async () => {
    const stub = stubFetch({
      'GET /clusters/lab': versioned,
      'PUT /clusters/lab/ssh-defaults': ({ init }) => ({ body: { ...cluster, sshDefaults: JSON.parse(String(init?.body)) }, headers: { etag: '"v2"' } }),
    });
    vi.stubGlobal('fetch', stub.fetch);
    renderWithProviders(asRole('operator', <SshDefaultsForm cluster="lab" />));
    await waitFor(() => expect((screen.getByTestId('ssh-default-user') as HTMLInputElement).value).toBe('kube'));
    fireEvent.change(screen.getByTestId('ssh-default-dir'), { target: { value: '/srv/pki' } });
    fireEvent.click(screen.getByTestId('save-ssh-defaults'));
    await waitFor(() => expect(stub.calls.filter((c) => c.method === 'PUT')).toHaveLength(1));
    const put = stub.calls.find((c) => c.method === 'PUT')!;
    expect(JSON.parse(put.body!)).toEqual({ user: 'kube', remoteDir: '/srv/pki' });
    expect(put.headers['if-match']).toBe(VERSION);
  });

  it('a viewer sees them and cannot save', async () => {
    vi.stubGlobal('fetch', stubFetch({ 'GET /clusters/lab': versioned }).fetch);
    renderWithProviders(asRole('viewer', <SshDefaultsForm cluster="lab" />));
    await waitFor(() => expect((screen.getByTestId('ssh-default-user') as HTMLInputElement).value).toBe('kube'));
    expect(screen.queryByTestId('save-ssh-defaults')).toBeNull();
  });
});

describe('first address as SSH host', () => {
  it('only the nodes picked are sent', async () => {
    const stub = stubFetch({
      'GET /clusters/lab': versioned,
      'POST /clusters/lab/ssh-hosts/first-address': () => ({ body: { changed: ['w1', 'w22'], unchanged: [] } }),
    });
    vi.stubGlobal('fetch', stub.fetch);
    renderWithProviders(asRole('operator', <FirstAddressAction cluster="lab" nodes={[node('w1'), node('w22'), node('cp333', { host: 'x' })]} />));
    expect((screen.getByTestId('first-address-run') as HTMLButtonElement).disabled).toBe(true); // never implicit
    fireEvent.click(screen.getByRole('button', { name: 'Pick the 2 without an SSH host' }));
    await waitFor(() => expect(screen.getByTestId('first-address-run').textContent).toContain('(2)'));
    fireEvent.click(screen.getByTestId('first-address-run'));
    await waitFor(() => expect(stub.calls.filter((c) => c.method === 'POST')).toHaveLength(1));
    expect(JSON.parse(stub.calls.find((c) => c.method === 'POST')!.body!)).toEqual({ nodes: ['w1', 'w22'] });
  });

  it('a fleet of 1,000 nodes puts no option in the page until the list opens, then a few at a time that typing narrows', async () => {
    vi.stubGlobal('fetch', stubFetch({ 'GET /clusters/lab': versioned }).fetch);
    const fleet = Array.from({ length: 1000 }, (_, i) => node(`n${i}`));
    renderWithProviders(asRole('operator', <FirstAddressAction cluster="lab" nodes={fleet} />));
    expect(screen.queryAllByRole('option', { hidden: true })).toHaveLength(0);
    const input = within(screen.getByTestId('first-address-action')).getByPlaceholderText('Pick nodes');
    fireEvent.click(input);
    await waitFor(() => expect(screen.queryAllByRole('option', { hidden: true }).length).toBe(FIRST_ADDRESS_SHOWN));
    fireEvent.change(input, { target: { value: 'n999' } });
    await waitFor(() => expect(screen.queryAllByRole('option', { hidden: true }).map((o) => o.textContent)).toEqual([`n999 (${fleet[999].addresses[0]})`]));
  });
});
