import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { type ImportAdopted, type ImportReport, type ImportView } from '@kpki/shared';
import { asRole, renderWithRouter, stubFetch } from '../../../test/render.tsx';
import { forgetElevation } from '../../../api/reauth.ts';
import { ImportPage } from './import-page.tsx';

/** The route's verification: POST .../verifications, as apps/web/src/app/routes/import-route.tsx passes it. */
const verify = async () => (await (await fetch('/api/v1/clusters/lab/verifications', { method: 'POST' })).json()) as { jobId: string };

afterEach(() => {
  vi.unstubAllGlobals();
  forgetElevation();
});

const FAR = '2030-06-01T00:00:00.000Z';
const file = (name: string, problems: ImportReport['files'][number]['problems'] = [], extra: Partial<ImportReport['files'][number]> = {}): ImportReport['files'][number] => ({
  path: `${name}.pem`, keyPath: `${name}-key.pem`, name, role: `${name}: its use`, cn: name === 'ca' ? 'Kubernetes' : name, o: 'Kubernetes', issuer: 'C = US, CN = Kubernetes',
  serial: '01', sans: [], usages: [], isCa: name === 'ca', notBefore: '2026-01-01T00:00:00.000Z', notAfter: FAR, sha256: 'AA:BB', keyMatches: true,
  chain: { ok: true, message: 'signed by ca.pem' }, adoptable: true, problems, ...extra,
});

function report(over: Partial<ImportReport> = {}): ImportReport {
  return {
    layout: 'tutorial', checkedAt: '2026-12-02T15:00:00.000Z', adoptable: true, notAdoptableReason: null, hasCaKey: false,
    files: [
      file('ca'),
      file('kubernetes', [{ code: 'SAN_MISSING', message: 'SAN 192.168.56.22 missing: control-plane node cp2: an API server runs here' }]),
      file('admin', [{ code: 'KEY_MISMATCH', message: 'admin-key.pem is not the key of admin.pem: it is the key of kube-proxy.pem (keys swapped?)' }], { keyMatches: false, adoptable: false }),
    ],
    kubeconfigs: [], keyPairs: [],
    unrecognised: [{ path: 'kubernetes.csr', reason: 'a certificate signing request: not needed once the certificate is signed' }],
    problems: [], ...over,
  };
}

const view = (r: ImportReport, over: Partial<ImportView> = {}): ImportView => ({
  id: 'i1', state: 'pending', origin: { kind: 'archive', mediaType: 'application/gzip', bytes: 1234 }, hasCaKey: r.hasCaKey,
  createdBy: 'ada', createdAt: '2026-12-02T15:00:00.000Z', expiresAt: '2026-12-03T15:00:00.000Z', endedAt: null, endedBy: null, endReason: null,
  issuanceId: null, report: r, ...over,
});

const adopted = (v: ImportView): ImportAdopted => ({
  id: v.id, issuanceId: 'iss1', adopted: [{ name: 'ca', certificate: 'ca.pem', key: 'ca-key.pem' }, { name: 'kubernetes', certificate: 'kubernetes.pem', key: 'kubernetes-key.pem' }],
  skipped: [{ name: 'admin', file: 'admin.pem', reason: 'admin-key.pem is another certificate\'s key' }], import: { ...v, state: 'adopted', issuanceId: 'iss1' },
});

describe('ImportPage', () => {
  it('uploads the chosen archive as its bytes with its media type, and opens the import', async () => {
    const stub = stubFetch({ 'POST /clusters/lab/imports': () => ({ status: 201, body: view(report()) }) });
    vi.stubGlobal('fetch', stub.fetch);
    const onImport = vi.fn();
    renderWithRouter(asRole('operator', <ImportPage cluster="lab" onImport={onImport} onJob={() => {}} onVerify={verify} />));
    const upload = (await screen.findByTestId('import-upload')) as HTMLButtonElement;
    expect(upload.disabled).toBe(true);
    const archive = new File([new Uint8Array([0x1f, 0x8b, 8, 0])], 'pki.zip', { type: '' });
    fireEvent.change(screen.getByLabelText('Archive (.tar.gz, .tgz or .zip)'), { target: { files: [archive] } });
    fireEvent.click(upload);
    await waitFor(() => expect(onImport).toHaveBeenCalledWith('i1'));
    const post = stub.calls.find((c) => c.method === 'POST')!;
    expect(post.headers['content-type']).toBe('application/zip');
    expect(post.body as unknown).toBe(archive);
  });

  it('a refused archive: the refusal naming the entry', async () => {
    vi.stubGlobal('fetch', stubFetch({
      'POST /clusters/lab/imports': () => ({ status: 400, body: { error: { code: 'ARCHIVE_REFUSED', message: 'archive refused: entry "../x" escapes the imported folder ("..")', details: { entry: '../x' } } } }),
    }).fetch);
    renderWithRouter(asRole('operator', <ImportPage cluster="lab" onImport={() => {}} onJob={() => {}} onVerify={verify} />));
    fireEvent.change(await screen.findByLabelText('Archive (.tar.gz, .tgz or .zip)'), { target: { files: [new File(['x'], 'evil.tar.gz')] } });
    fireEvent.click(screen.getByTestId('import-upload'));
    expect((await screen.findByText(/entry "\.\.\/x" escapes the imported folder/)).textContent).toContain('ARCHIVE_REFUSED');
  });

  it('shows each file with its catalog name and problems, the unrecognised files, then adopts and offers the verify', async () => {
    let current = view(report());
    const stub = stubFetch({
      'GET /clusters/lab/imports/i1': () => ({ body: current }),
      'POST /clusters/lab/imports/i1/adopt': () => {
        const a = adopted(current);
        current = a.import;
        return { body: a };
      },
      'POST /clusters/lab/verifications': () => ({ status: 202, body: { jobId: 'j9' } }),
    });
    vi.stubGlobal('fetch', stub.fetch);
    const onJob = vi.fn();
    renderWithRouter(asRole('operator', <ImportPage cluster="lab" importId="i1" onImport={() => {}} onJob={onJob} onVerify={verify} />));
    const summary = await screen.findByTestId('import-summary');
    expect(summary.getAttribute('data-adoptable')).toBe('true');
    expect(screen.getByTestId('import-file-ca').getAttribute('data-problems')).toBe('0');
    expect(screen.getByTestId('import-problems-ca').textContent).toBe('matches the plan');
    expect(screen.getByTestId('import-problems-kubernetes').textContent).toBe('SAN_MISSING SAN 192.168.56.22 missing: control-plane node cp2: an API server runs here');
    expect(within(screen.getByTestId('import-file-admin')).getByText('another key')).toBeTruthy();
    expect(screen.getByTestId('import-unrecognised').textContent).toContain('kubernetes.csr: a certificate signing request');
    expect(screen.queryByTestId('import-verify')).toBeNull();
    fireEvent.click(screen.getByTestId('import-adopt'));
    const done = await screen.findByTestId('import-adopted');
    expect(done.getAttribute('data-count')).toBe('2');
    expect(screen.getByTestId('import-skipped').textContent).toContain('admin (admin.pem): admin-key.pem is another certificate\'s key');
    fireEvent.click(await screen.findByTestId('import-verify'));
    await waitFor(() => expect(onJob).toHaveBeenCalledWith('j9'));
    expect(stub.calls.filter((c) => c.method === 'POST').map((c) => c.url)).toEqual(['/api/v1/clusters/lab/imports/i1/adopt', '/api/v1/clusters/lab/verifications']);
  });

  it('an import holding the CA key: an admin re-enters the password before the adoption', async () => {
    const v = view(report({ hasCaKey: true }));
    const stub = stubFetch({
      'GET /clusters/lab/imports/i1': () => ({ body: v }),
      'POST /session/reauth': () => ({ body: { elevatedUntil: new Date(Date.now() + 300_000).toISOString() } }),
      'POST /clusters/lab/imports/i1/adopt': () => ({ body: adopted(v) }),
    });
    vi.stubGlobal('fetch', stub.fetch);
    renderWithRouter(asRole('admin', <ImportPage cluster="lab" importId="i1" onImport={() => {}} onJob={() => {}} onVerify={verify} />));
    expect((await screen.findByTestId('import-ca-key')).textContent).toMatch(/holds the CA key/);
    fireEvent.click(screen.getByRole('button', { name: 'Adopt (with the CA key)' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog.textContent).toMatch(/Adopting an import that holds the CA key follows the CA key rule/);
    expect(stub.calls.some((c) => c.url.endsWith('/adopt'))).toBe(false);
    fireEvent.change(screen.getByTestId('reauth-password'), { target: { value: 'secret' } });
    fireEvent.click(screen.getByTestId('reauth-confirm'));
    await screen.findByTestId('import-adopted');
    expect(stub.calls.filter((c) => c.method === 'POST').map((c) => c.url)).toEqual(['/api/v1/session/reauth', '/api/v1/clusters/lab/imports/i1/adopt']);
  });

  it('a kubeadm folder: not adoptable, why, and no adoption possible', async () => {
    const r = report({ layout: 'kubeadm', adoptable: false, notAdoptableReason: 'a kubeadm pki folder is inventoried and checked, not adopted', problems: [{ code: 'READ_ONLY_LAYOUT', message: 'a kubeadm pki folder is inventoried and checked, not adopted' }] });
    vi.stubGlobal('fetch', stubFetch({ 'GET /clusters/lab/imports/i1': () => ({ body: view(r) }) }).fetch);
    renderWithRouter(asRole('operator', <ImportPage cluster="lab" importId="i1" onImport={() => {}} onJob={() => {}} onVerify={verify} />));
    expect((await screen.findByTestId('import-summary')).getAttribute('data-adoptable')).toBe('false');
    expect(screen.getByTestId('import-not-adoptable').textContent).toBe('Why not: a kubeadm pki folder is inventoried and checked, not adopted.');
    expect((screen.getByTestId('import-adopt') as HTMLButtonElement).disabled).toBe(true);
  });

  it('a viewer reads the report but cannot upload or adopt', async () => {
    vi.stubGlobal('fetch', stubFetch({ 'GET /clusters/lab/imports/i1': () => ({ body: view(report()) }) }).fetch);
    renderWithRouter(asRole('viewer', <ImportPage cluster="lab" importId="i1" onImport={() => {}} onJob={() => {}} onVerify={verify} />));
    await screen.findByTestId('import-summary');
    expect(screen.queryByTestId('import-upload')).toBeNull();
    expect(screen.queryByTestId('import-adopt')).toBeNull();
    expect(screen.getByTestId('read-only-note')).toBeTruthy();
  });
});
