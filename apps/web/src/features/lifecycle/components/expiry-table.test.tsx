import { describe, expect, it } from 'vitest';
import { fireEvent, screen, within } from '@testing-library/react';
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
});
