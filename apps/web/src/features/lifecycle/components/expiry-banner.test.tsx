/** The banner above every page of a cluster: what it counts (summariseExpiry, the server's summary), and that it reads only the summary. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen } from '@testing-library/react';
import { summariseExpiry, type ExpiryReport, type ExpirySummary } from '@kpki/shared';
import { renderWithRouter, stubFetch } from '../../../test/render.tsx';
import { attentionOf, ExpiryBanner, SoonestExpiry } from './expiry-banner.tsx';

afterEach(() => vi.unstubAllGlobals());

const cert = (name: string, state: ExpiryReport['certificates'][number]['state']) => ({
  name, kind: null, serial: '01', notAfter: '2030-01-01T00:00:00Z', residualSeconds: 1, state, notAfterCapped: false,
});
const report = (over: Partial<ExpiryReport>): ExpiryReport => ({
  now: '2029-12-01T00:00:00Z', thresholds: { warningDays: 30, criticalDays: 7 }, caThresholds: { warningDays: 180, criticalDays: 30 }, certificates: [], ca: null, deployed: [], soonest: null, ...over,
});
/** what the banner shows of a report, through the summary the server answers (summariseExpiry is its definition) */
const banner = (r: ExpiryReport) => attentionOf(summariseExpiry(r));

describe('attentionOf (the banner)', () => {
  it('counts everything in warning or worse and names the worst', () => {
    expect(banner(report({ certificates: [cert('a', 'ok'), cert('b', 'warning'), cert('c', 'critical')] }))).toEqual({ count: 2, worst: 'critical' });
    expect(summariseExpiry(report({ certificates: [cert('a', 'ok'), cert('b', 'warning'), cert('c', 'critical')] })).attention).toEqual({ warning: 1, critical: 1, expired: 0 });
  });
  it('a node holding an older version that expired counts; the current deployed versions do not count twice', () => {
    const deployed = [
      { ...cert('w', 'expired'), node: 'worker1', file: 'w.pem', current: false, checkedAt: null, message: 'x' },
      { ...cert('a', 'warning'), node: 'worker1', file: 'a.pem', current: true, checkedAt: null, message: null },
    ];
    expect(banner(report({ certificates: [cert('a', 'warning')], deployed }))).toEqual({ count: 2, worst: 'expired' });
  });
  it('the CA counts', () => {
    expect(banner(report({ certificates: [cert('a', 'ok')], ca: cert('ca', 'warning') }))).toEqual({ count: 1, worst: 'warning' });
  });
  it('nothing in warning: no banner', () => {
    expect(banner(report({ certificates: [cert('a', 'ok')], ca: cert('ca', 'ok') }))).toEqual({ count: 0, worst: null });
  });
});

const soon = new Date(Date.now() + 3 * 86_400_000 + 3_600_000).toISOString();
const expiry = (attention: ExpirySummary['attention'], node?: string): ExpirySummary => ({
  now: new Date().toISOString(), attention,
  soonest: { name: 'worker7', serial: '0a', notAfter: soon, residualSeconds: 3 * 86_400 + 3_600, state: 'critical', ...(node ? { node } : {}) },
});

describe('ExpiryBanner', () => {
  it('reads only the summary and shows its counts, the worst state and the soonest', async () => {
    const stub = stubFetch({ 'GET /clusters/big/expiry': () => ({ body: expiry({ warning: 2, critical: 1, expired: 0 }, 'worker7') }) });
    vi.stubGlobal('fetch', stub.fetch);
    renderWithRouter(<ExpiryBanner cluster="big" />);
    const banner = await screen.findByTestId('expiry-banner');
    expect(banner.getAttribute('data-state')).toBe('critical');
    expect(banner.textContent).toContain('3 certificates expiring soon');
    expect(banner.textContent).toContain('Soonest: worker7 (the version worker7 holds) expires in 3 days');
    expect(stub.calls.map((c) => c.url)).toEqual(['/api/v1/clusters/big/expiry?view=summary']);
  });

  it('says expired when anything is, and nothing when nothing needs attention', async () => {
    vi.stubGlobal('fetch', stubFetch({ 'GET /clusters/big/expiry': () => ({ body: expiry({ warning: 0, critical: 0, expired: 1 }) }) }).fetch);
    renderWithRouter(<ExpiryBanner cluster="big" />);
    expect((await screen.findByTestId('expiry-banner')).getAttribute('data-state')).toBe('expired');
    expect(screen.getByTestId('expiry-banner').textContent).toContain('1 certificate expired or expiring');
  });

  it('no banner without anything in warning or worse; the overview\'s soonest expiry reads the same summary', async () => {
    const stub = stubFetch({ 'GET /clusters/big/expiry': () => ({ body: { ...expiry({ warning: 0, critical: 0, expired: 0 }), soonest: { name: 'admin', serial: '0b', notAfter: soon, residualSeconds: 1, state: 'ok' } } }) });
    vi.stubGlobal('fetch', stub.fetch);
    renderWithRouter(<><ExpiryBanner cluster="big" /><SoonestExpiry cluster="big" /></>);
    expect((await screen.findByTestId('soonest-expiry')).textContent).toContain('admin');
    expect(screen.queryByTestId('expiry-banner')).toBeNull();
    expect(stub.calls.map((c) => c.url)).toEqual(['/api/v1/clusters/big/expiry?view=summary']);
  });
});
