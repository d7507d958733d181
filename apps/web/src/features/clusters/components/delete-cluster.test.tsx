import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import type { DeletedCluster } from '@kpki/shared';
import { forgetElevation } from '../../../api/reauth.ts';
import { asRole, renderWithProviders, stubFetch } from '../../../test/render.tsx';
import { DeleteClusterButton } from './delete-cluster-button.tsx';
import { DeletedClustersCard } from './deleted-clusters-card.tsx';

afterEach(() => {
  vi.unstubAllGlobals();
  forgetElevation();
});

const gone: DeletedCluster = { name: 'lab', deletedAt: '2030-01-01T00:00:00.000Z', deletedBy: 'admin', purgeAfter: '2030-01-08T00:00:00.000Z', hasCa: true, certificates: 10, nodes: 5 };
const until = () => new Date(Date.now() + 300_000).toISOString();

describe('deleting a cluster', () => {
  it('an admin types the name and the password; only then DELETE is sent', async () => {
    const stub = stubFetch({
      'GET /session': () => ({ body: { csrfToken: 'tok' } }),
      'POST /session/reauth': () => ({ body: { elevatedUntil: until() } }),
      'DELETE /clusters/lab': () => ({ body: gone }),
    });
    vi.stubGlobal('fetch', stub.fetch);
    const onDeleted = vi.fn();
    renderWithProviders(asRole('admin', <DeleteClusterButton cluster="lab" onDeleted={onDeleted} />));
    fireEvent.click(screen.getByTestId('delete-cluster'));
    await screen.findByTestId('reauth-dialog');
    fireEvent.change(screen.getByTestId('reauth-password'), { target: { value: 'the-password' } });
    const confirm = screen.getByTestId('reauth-confirm') as HTMLButtonElement;
    expect(confirm.disabled).toBe(true); // the name is not typed yet
    fireEvent.change(screen.getByTestId('confirm-cluster-name'), { target: { value: 'la' } });
    expect(confirm.disabled).toBe(true);
    fireEvent.change(screen.getByTestId('confirm-cluster-name'), { target: { value: 'lab' } });
    expect(confirm.disabled).toBe(false);
    fireEvent.click(confirm);
    await waitFor(() => expect(onDeleted).toHaveBeenCalled());
    expect(stub.calls.map((c) => `${c.method} ${c.url}`).filter((c) => !c.startsWith('GET'))).toEqual(['POST /api/v1/session/reauth', 'DELETE /api/v1/clusters/lab']);
  });

  it('operators are not offered the button', () => {
    renderWithProviders(asRole('operator', <DeleteClusterButton cluster="lab" onDeleted={() => {}} />));
    expect(screen.queryByTestId('delete-cluster')).toBeNull();
  });
});

describe('deleted clusters', () => {
  it('admins see them with their purge time and restore one', async () => {
    const stub = stubFetch({
      'GET /session': () => ({ body: { csrfToken: 'tok' } }),
      'GET /deleted-clusters': () => ({ body: { items: [gone] } }),
      'POST /deleted-clusters/lab/restore': () => ({ body: {} }),
    });
    vi.stubGlobal('fetch', stub.fetch);
    renderWithProviders(asRole('admin', <DeletedClustersCard />));
    const row = await screen.findByTestId('deleted-cluster-lab');
    expect(row.querySelectorAll('time')[1].getAttribute('datetime')).toBe(gone.purgeAfter);
    expect(row.textContent).toContain('by admin');
    fireEvent.click(screen.getByTestId('restore-cluster'));
    await waitFor(() => expect(stub.calls.some((c) => c.method === 'POST' && c.url === '/api/v1/deleted-clusters/lab/restore')).toBe(true));
  });

  it('purging asks for the name and the password', async () => {
    const stub = stubFetch({
      'GET /session': () => ({ body: { csrfToken: 'tok' } }),
      'GET /deleted-clusters': () => ({ body: { items: [gone] } }),
      'POST /session/reauth': () => ({ body: { elevatedUntil: until() } }),
      'DELETE /deleted-clusters/lab': () => ({ status: 204 }),
    });
    vi.stubGlobal('fetch', stub.fetch);
    renderWithProviders(asRole('admin', <DeletedClustersCard />));
    fireEvent.click(await screen.findByTestId('purge-cluster'));
    await screen.findByTestId('reauth-dialog');
    fireEvent.change(screen.getByTestId('confirm-cluster-name'), { target: { value: 'lab' } });
    fireEvent.change(screen.getByTestId('reauth-password'), { target: { value: 'the-password' } });
    fireEvent.click(screen.getByTestId('reauth-confirm'));
    await waitFor(() => expect(stub.calls.some((c) => c.method === 'DELETE' && c.url === '/api/v1/deleted-clusters/lab')).toBe(true));
  });

  it('operators neither see nor ask for them', async () => {
    const stub = stubFetch({ 'GET /deleted-clusters': () => ({ body: { items: [gone] } }) });
    vi.stubGlobal('fetch', stub.fetch);
    renderWithProviders(asRole('operator', <DeletedClustersCard />));
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByTestId('deleted-clusters')).toBeNull();
    expect(stub.calls).toEqual([]);
  });
});
