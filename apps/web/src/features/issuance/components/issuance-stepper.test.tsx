import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { asRole, renderWithProviders, renderWithRouter, stubFetch } from '../../../test/render.tsx';
import type { IssuanceRecord } from '@kpki/shared';
import { IssuanceStepper } from './issuance-stepper.tsx';

afterEach(() => vi.unstubAllGlobals());

/** GET /issuances items, typed by the contract. */
const records = (...items: IssuanceRecord[]) => items;
const props = { cluster: 'lab', recipientNodes: ['a', 'b'], review: <div data-testid="review-slot" />, onJobChange: vi.fn(), onIssued: vi.fn() };

describe('IssuanceStepper', () => {
  it('offers "Create CA" first and calls POST /ca', async () => {
    const stub = stubFetch({
      'GET /clusters/lab/issuances': () => ({ body: { items: records() } }),
      'POST /clusters/lab/ca': () => ({ status: 201, body: { name: 'ca' } }),
    });
    vi.stubGlobal('fetch', stub.fetch);
    renderWithProviders(asRole('admin', <IssuanceStepper {...props} hasCa={false} />));
    expect(screen.getByTestId('issuance-stepper').getAttribute('data-active-step')).toBe('0');
    fireEvent.click(screen.getByRole('button', { name: 'Create CA' }));
    await waitFor(() => expect(stub.calls.some((c) => c.method === 'POST' && c.url.endsWith('/clusters/lab/ca'))).toBe(true));
  });

  it('shows the plan with "Issue certificates" once the CA exists, and starts the job', async () => {
    const onJobChange = vi.fn();
    const stub = stubFetch({
      // the CA's own record does not count as issued certificates
      'GET /clusters/lab/issuances': () => ({ body: { items: records({ id: 'i0', kind: 'ca', createdAt: '2025-06-01T00:00:00Z', certificates: 1 }) } }),
      'POST /clusters/lab/issuances': () => ({ status: 202, body: { jobId: 'job-1' } }),
    });
    vi.stubGlobal('fetch', stub.fetch);
    renderWithProviders(asRole('admin', <IssuanceStepper {...props} hasCa onJobChange={onJobChange} />));
    await waitFor(() => expect(screen.getByTestId('issuance-stepper').getAttribute('data-active-step')).toBe('1'));
    expect(screen.getByTestId('review-slot')).toBeTruthy();
    fireEvent.click(await screen.findByRole('button', { name: 'Issue certificates' }));
    await waitFor(() => expect(onJobChange).toHaveBeenCalledWith('job-1'));
  });

  it('asks before re-issuing and says what changes', async () => {
    const stub = stubFetch({
      'GET /clusters/lab/issuances': () => ({ body: { items: records({ id: 'i1', kind: 'leaves', createdAt: '2025-06-01T00:00:00Z', certificates: 2 }) } }),
    });
    vi.stubGlobal('fetch', stub.fetch);
    renderWithRouter(asRole('admin', <IssuanceStepper {...props} hasCa />));
    await waitFor(() => expect(screen.getByTestId('issuance-stepper').getAttribute('data-active-step')).toBe('3'));
    expect(screen.getByTestId('open-certificates').getAttribute('href')).toBe('/clusters/lab/certificates');
    fireEvent.click(screen.getByTestId('review-again'));
    fireEvent.click(await screen.findByRole('button', { name: 'Re-issue certificates' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog.textContent).toContain('superseded');
    // there is no revocation in a cluster's TLS: the old ones stay valid until they expire
    expect(within(dialog).getByTestId('reissue-still-valid').textContent).toMatch(/remain valid until they expire.*no revocation/);
    expect(dialog.textContent).toContain('a, b');
    expect(dialog.textContent).toContain('stale');
    expect(stub.calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('viewer: neither "Create CA" nor "Issue certificates", a read-only note instead', async () => {
    const stub = stubFetch({
      'GET /clusters/lab/issuances': () => ({ body: { items: records({ id: 'i0', kind: 'ca', createdAt: '2025-06-01T00:00:00Z', certificates: 1 }) } }),
    });
    vi.stubGlobal('fetch', stub.fetch);
    renderWithProviders(asRole('viewer', <IssuanceStepper {...props} hasCa />));
    await waitFor(() => expect(screen.getByTestId('issuance-stepper').getAttribute('data-active-step')).toBe('1'));
    expect(screen.getByTestId('review-slot')).toBeTruthy();
    expect(screen.queryByTestId('issue-certificates')).toBeNull();
    expect(screen.queryByTestId('create-ca')).toBeNull();
    expect(screen.getByTestId('read-only-note').textContent).toMatch(/viewer.*cannot issue certificates/);
  });

  it('viewer on a finished issuance: open the certificates, but no re-issue or distribution', async () => {
    const stub = stubFetch({
      'GET /clusters/lab/issuances': () => ({ body: { items: records({ id: 'i1', kind: 'leaves', createdAt: '2025-06-01T00:00:00Z', certificates: 1 }) } }),
    });
    vi.stubGlobal('fetch', stub.fetch);
    renderWithRouter(asRole('viewer', <IssuanceStepper {...props} hasCa />));
    await waitFor(() => expect(screen.getByTestId('issuance-stepper').getAttribute('data-active-step')).toBe('3'));
    expect(screen.getByTestId('open-certificates')).toBeTruthy();
    expect(screen.queryByTestId('review-again')).toBeNull();
    expect(screen.queryByTestId('go-distribute')).toBeNull();
  });

  it('after issuing, the fourth step (Distribute) shows what the nodes feature gives it; done once every node holds its files', async () => {
    const stub = stubFetch({
      'GET /clusters/lab/issuances': () => ({ body: { items: records({ id: 'i1', kind: 'leaves', createdAt: '2025-06-01T00:00:00Z', certificates: 9 }) } }),
    });
    vi.stubGlobal('fetch', stub.fetch);
    const view = renderWithRouter(asRole('operator', <IssuanceStepper {...props} hasCa distribute={<div data-testid="distribute-slot" />} />));
    await waitFor(() => expect(screen.getByTestId('issuance-stepper').getAttribute('data-active-step')).toBe('3'));
    expect(screen.getByTestId('distribute-slot')).toBeTruthy();
    expect(screen.getByTestId('distribute-step').textContent).toContain('the CA and 9 leaf certificates');
    view.unmount();
    renderWithRouter(asRole('operator', <IssuanceStepper {...props} hasCa distributed distribute={<div data-testid="distribute-slot" />} />));
    await waitFor(() => expect(screen.getByTestId('issuance-stepper').getAttribute('data-active-step')).toBe('4'));
    expect(screen.queryByTestId('distribute-slot')).toBeNull();
    expect(screen.getByTestId('go-distribute')).toBeTruthy();
  });

  it('operator: creates the CA like an admin', async () => {
    const stub = stubFetch({ 'GET /clusters/lab/issuances': () => ({ body: { items: records() } }) });
    vi.stubGlobal('fetch', stub.fetch);
    renderWithProviders(asRole('operator', <IssuanceStepper {...props} hasCa={false} />));
    expect(screen.getByRole('button', { name: 'Create CA' })).toBeTruthy();
  });
});
