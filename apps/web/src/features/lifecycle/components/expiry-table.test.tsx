import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { ExpiryReport } from '@kpki/shared';
import { asRole, renderWithRouter } from '../../../test/render.tsx';
import { ExpiryTable, expiryRows } from './expiry-table.tsx';

const DAY = 86_400;
const at = (days: number) => new Date(Date.now() + days * DAY * 1000).toISOString();

/** Issued certificates, the CA and what worker1 holds: an earlier worker1.pem expiring in 3 days and its kubeconfig. */
const report: ExpiryReport = {
  now: new Date().toISOString(),
  thresholds: { warningDays: 30, criticalDays: 7 },
  caThresholds: { warningDays: 180, criticalDays: 30 },
  certificates: [
    { name: 'kubernetes', kind: 'kube-apiserver', serial: 'aa01', notAfter: at(20), residualSeconds: 20 * DAY, state: 'warning', notAfterCapped: false },
    { name: 'worker1', kind: 'kubelet', serial: 'bb02', notAfter: at(365), residualSeconds: 365 * DAY, state: 'ok', notAfterCapped: false },
    { name: 'admin', kind: 'admin', serial: 'cc03', notAfter: at(-1), residualSeconds: 0, state: 'expired', notAfterCapped: false },
  ],
  ca: { name: 'ca', kind: 'ca', serial: 'dd04', notAfter: at(1800), residualSeconds: 1800 * DAY, state: 'ok', notAfterCapped: false },
  deployed: [
    { node: 'worker1', file: 'worker1.pem', name: 'worker1', serial: 'ee05', notAfter: at(3), residualSeconds: 3 * DAY, state: 'critical', current: false, checkedAt: null,
      message: 'worker1 holds worker1.pem serial ee05..: expires in 3 days; a renewed version exists (serial bb02..): redistribute' },
    { node: 'worker1', file: 'worker1.kubeconfig', name: 'worker1', serial: 'ee05', notAfter: at(3), residualSeconds: 3 * DAY, state: 'critical', current: false, checkedAt: null,
      message: 'worker1 holds worker1.kubeconfig with worker1 serial ee05..: expires in 3 days; a renewed version exists (serial bb02..): redistribute' },
  ],
  soonest: null,
};

const order = () => screen.getAllByRole('row').slice(1).map((r) => r.getAttribute('data-testid'));

describe('ExpiryTable', () => {
  it('lists issued, CA and deployed versions soonest first, coloured by state, and sorts by any column', async () => {
    renderWithRouter(asRole('operator', <ExpiryTable cluster="lab" rows={expiryRows(report)} canOperate distribute={false} onJob={() => {}} />));
    await screen.findByTestId('expiry-table');
    expect(order()).toEqual([
      'expiry-row-admin', 'deployed-row-worker1-worker1.pem', 'deployed-row-worker1-worker1.kubeconfig', 'expiry-row-kubernetes', 'expiry-row-worker1', 'expiry-row-ca',
    ]);
    expect(screen.getByTestId('expiry-row-admin').getAttribute('data-state')).toBe('expired');
    const held = screen.getByTestId('deployed-row-worker1-worker1.kubeconfig');
    expect(within(held).getByTestId('expiry').getAttribute('data-level')).toBe('critical');
    expect(within(held).getByTestId('expiry-note').textContent).toMatch(/worker1\.kubeconfig with worker1 serial ee05\.\.: expires in 3 days/);
    // an issued leaf can be renewed from its row, a deployed version and the CA cannot
    expect(within(screen.getByTestId('expiry-row-kubernetes')).getByRole('button', { name: 'Renew kubernetes' })).toBeTruthy();
    expect(within(held).queryByRole('button')).toBeNull();
    expect(within(screen.getByTestId('expiry-row-ca')).queryByRole('button')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: /^Certificate/ }));
    expect(order()[0]).toBe('expiry-row-admin');
    expect(order().at(-1)).toMatch(/worker1/);
    // by time left, one way then the other: the expired admin and the CA at either end, then swapped
    fireEvent.click(screen.getByRole('button', { name: /^Expires/ }));
    const ends = [order()[0], order().at(-1)];
    expect([...ends].sort()).toEqual(['expiry-row-admin', 'expiry-row-ca']);
    fireEvent.click(screen.getByRole('button', { name: /^Expires/ }));
    expect([order()[0], order().at(-1)]).toEqual([ends[1], ends[0]]);
  }, 20_000); // a table of six rows rendered and sorted three times: slow on a busy machine

  it('a viewer sees no renew buttons', async () => {
    renderWithRouter(asRole('viewer', <ExpiryTable cluster="lab" rows={expiryRows(report)} canOperate={false} distribute={false} onJob={() => {}} />));
    await screen.findByTestId('expiry-table');
    expect(screen.queryAllByRole('button', { name: /^Renew/ })).toHaveLength(0);
  });

  it('a 1,000-node report: counts by state, filters by state and place, a search, and one page of 50 rows in the DOM', async () => {
    const deployed = Array.from({ length: 1000 }, (_, i) => ({
      node: `node${i}`, file: `node${i}.pem`, name: `node${i}`, serial: `s${i}`, notAfter: at(i < 12 ? 5 : 200), residualSeconds: (i < 12 ? 5 : 200) * DAY,
      state: (i < 12 ? 'critical' : 'ok') as 'critical' | 'ok', current: true, checkedAt: null, message: null,
    }));
    const big: ExpiryReport = { ...report, deployed };
    renderWithRouter(asRole('operator', <ExpiryTable cluster="lab" rows={expiryRows(big)} canOperate distribute={false} onJob={() => {}} />));
    await screen.findByTestId('expiry-table');
    // 3 issued + the CA + 1,000 held by nodes: counted by state whatever the page shows
    expect(screen.getByTestId('expiry-table-total').getAttribute('data-count')).toBe('1004');
    expect(screen.getByTestId('expiry-table-count-critical').getAttribute('data-count')).toBe('12');
    expect(screen.getByTestId('expiry-table-count-ok').getAttribute('data-count')).toBe('990');
    expect(screen.getAllByRole('row')).toHaveLength(51);
    // soonest first with no column sorted: the expired admin, then the twelve critical copies
    expect(order().slice(0, 2)).toEqual(['expiry-row-admin', 'deployed-row-node0-node0.pem']);

    fireEvent.click(screen.getByTestId('expiry-table-count-critical'));
    expect(order()).toHaveLength(12);
    expect(order().every((id) => id?.startsWith('deployed-row-node'))).toBe(true);
    fireEvent.click(screen.getByTestId('expiry-table-clear'));

    fireEvent.change(screen.getByTestId('expiry-table-filter-where'), { target: { value: 'issued' } });
    expect(order().sort()).toEqual(['expiry-row-admin', 'expiry-row-kubernetes', 'expiry-row-worker1']);
    fireEvent.click(screen.getByTestId('expiry-table-clear'));

    fireEvent.change(screen.getByTestId('expiry-table-search'), { target: { value: 'node777' } });
    await waitFor(() => expect(order()).toEqual(['deployed-row-node777-node777.pem']));
  }, 60_000); // a thousand rows filtered four times: slow on a busy machine
});
