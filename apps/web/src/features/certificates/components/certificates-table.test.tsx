/** The certificates table of a 1,000-node cluster: current ones unless asked, counts by expiry state, search, one page in the DOM. */
import { describe, expect, it } from 'vitest';
import { configure, fireEvent, screen, waitFor } from '@testing-library/react';
import type { CertificateRow } from '@kpki/shared';
import { renderWithRouter } from '../../../test/render.tsx';
import { CertificatesTable } from './certificates-table.tsx';

// rows as the page reads them (GET .../certificates?view=brief)
const cert = (i: number, status: CertificateRow['status'] = 'current'): CertificateRow => ({
  name: `worker-${String(i).padStart(4, '0')}`, cn: `system:node:worker-${i}`, o: 'system:nodes', serial: `${status}${i.toString(16)}`,
  notAfter: '2031-01-01T00:00:00.000Z', keyAlgorithm: 'ECDSA P-256',
  status, recipients: [`worker-${String(i).padStart(4, '0')}`],
  expiryState: status === 'current' ? (i % 200 === 5 ? 'warning' : 'ok') : 'expired',
});
const ITEMS = [...Array.from({ length: 1000 }, (_, i) => cert(i)), ...Array.from({ length: 30 }, (_, i) => cert(i, 'superseded'))];
const rows = () => [...document.querySelectorAll('[data-testid^="cert-row-"]')];

// a render of a page of rows on a loaded machine can take seconds
configure({ asyncUtilTimeout: 15_000 });

describe('certificates table at 1,000 nodes', () => {
  it('shows current certificates by default, counts their expiry states, and puts one page in the DOM', async () => {
    renderWithRouter(<CertificatesTable cluster="big" items={ITEMS} />);
    await screen.findByTestId('certificates-table');
    expect(screen.getByTestId('certificates-table-total').textContent).toBe('1000 current certificates:');
    expect(screen.getByTestId('certificates-table-count-warning').getAttribute('data-count')).toBe('5');
    expect(screen.getByTestId('certificates-table-count-ok').getAttribute('data-count')).toBe('995');
    expect(screen.queryByTestId('certificates-table-count-expired')).toBeNull();
    expect(rows()).toHaveLength(50);
    expect(rows().every((r) => r.getAttribute('data-status') === 'current')).toBe(true);

  });

  it('a count filters to its expiry state; superseded ones on request, with their own counts', async () => {
    renderWithRouter(<CertificatesTable cluster="big" items={ITEMS} pageSize={10} />);
    fireEvent.click(await screen.findByTestId('certificates-table-count-warning'));
    await waitFor(() => expect(rows()).toHaveLength(5));
    expect(rows().every((r) => r.getAttribute('data-expiry') === 'warning')).toBe(true);

    // superseded ones on request: their counts follow the status shown
    fireEvent.change(screen.getByTestId('certificates-table-filter-status'), { target: { value: 'superseded' } });
    await waitFor(() => expect(screen.getByTestId('certificates-table-total').textContent).toBe('30 superseded certificates:'));
    expect(screen.getByTestId('certificates-table-count-expired').getAttribute('data-count')).toBe('30');
    // still filtered to warning: none of those
    expect(rows()).toHaveLength(0);
    expect(screen.getByTestId('certificates-table-shown').textContent).toBe('No certificates match (1030 in all).');
    fireEvent.change(screen.getByTestId('certificates-table-filter-expiry'), { target: { value: '' } });
    await waitFor(() => expect(rows()).toHaveLength(10));
    expect(screen.getByTestId('certificates-table-shown').textContent).toBe('1–10 of 30 certificates matching (1030 in all)');
  });

  it('a certificate every worker receives names five of them, says how many more, and a search by any node finds it', async () => {
    const workers = Array.from({ length: 997 }, (_, i) => `worker-${String(i).padStart(4, '0')}`);
    const proxy = { ...cert(5000), name: 'kube-proxy', cn: 'system:kube-proxy', o: 'system:node-proxier', recipients: workers };
    renderWithRouter(<CertificatesTable cluster="big" items={[proxy, ...ITEMS.slice(0, 3)]} query={{ q: 'worker-0996' }} />);
    const row = await screen.findByTestId('cert-row-kube-proxy');
    const cell = row.querySelector('[data-testid="cert-recipients"]')!;
    expect(cell.getAttribute('data-count')).toBe('997');
    expect(cell.textContent).toBe('worker-0000worker-0001worker-0002worker-0003worker-0004and 992 more');
    expect(rows()).toHaveLength(1);
  });

  it('marks a certificate capped at the CA when the row says so (the brief list carries notAfterCapped only when true)', async () => {
    renderWithRouter(<CertificatesTable cluster="big" items={[{ ...cert(1), notAfterCapped: true }, cert(2)]} />);
    const capped = await screen.findByTestId('cert-row-worker-0001');
    expect(capped.querySelector('[data-testid="capped"]')?.textContent).toBe('capped at CA');
    expect(screen.getByTestId('cert-row-worker-0002').querySelector('[data-testid="capped"]')).toBeNull();
  });

  it('searches every status by CN', async () => {
    renderWithRouter(<CertificatesTable cluster="big" items={ITEMS} pageSize={20} />);
    fireEvent.change(await screen.findByTestId('certificates-table-filter-status'), { target: { value: 'all' } });
    await waitFor(() => expect(screen.getByTestId('certificates-table-total').textContent).toBe('1030 certificates:'));
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search certificates' }), { target: { value: 'system:node:worker-17 ' } });
    await waitFor(() => expect(rows().map((r) => r.getAttribute('data-testid'))).toEqual([
      'cert-row-worker-0017', 'cert-row-worker-0170', 'cert-row-worker-0171', 'cert-row-worker-0172', 'cert-row-worker-0173', 'cert-row-worker-0174',
      'cert-row-worker-0175', 'cert-row-worker-0176', 'cert-row-worker-0177', 'cert-row-worker-0178', 'cert-row-worker-0179', 'cert-row-worker-0017-superseded11',
    ]));
  });
});
