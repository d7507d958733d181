import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen } from '@testing-library/react';
import { renderWithRouter, stubFetch } from '../../../test/render.tsx';
import { nextBefore, type AuditEntry } from '../api/get-audit.ts';
import { auditOutcome } from './audit-result.ts';
import { AuditPage } from './audit-page.tsx';

afterEach(() => vi.unstubAllGlobals());

const entry = (id: number, result = 'ok'): AuditEntry => ({
  id,
  at: new Date(Date.UTC(2025, 5, 1, 12, 0, id)).toISOString(),
  actor: id % 2 ? 'admin' : 'olivia',
  action: id === 5 ? 'download-key' : 'sign-in',
  object: id === 5 ? 'cluster=lab name=ca' : '/api/v1/session',
  address: '127.0.0.1',
  result,
  details: null, token: null,
});

describe('audit helpers', () => {
  it('colours results: ok, refused, failed', () => {
    expect(auditOutcome('ok')).toBe('ok');
    expect(auditOutcome('failed (401)')).toBe('denied');
    expect(auditOutcome('failed (403)')).toBe('denied');
    expect(auditOutcome('failed (429)')).toBe('denied');
    expect(auditOutcome('failed (409)')).toBe('failed');
    expect(auditOutcome('failed (500)')).toBe('failed');
  });

  it('pages back from the last id while pages come back full', () => {
    expect(nextBefore([entry(9), entry(8)], 2)).toBe(8);
    expect(nextBefore([entry(9)], 2)).toBeUndefined();
    expect(nextBefore([entry(2), entry(1)], 2)).toBeUndefined();
  });
});

describe('AuditPage', () => {
  it('shows the newest entries, then older ones with "Load older" (before = last id)', async () => {
    const all = [6, 5, 4, 3, 2].map((id) => entry(id, id === 4 ? 'failed (401)' : 'ok'));
    const stub = stubFetch({
      'GET /audit': ({ url }) => {
        const q = new URL(url, 'http://x').searchParams;
        const limit = Number(q.get('limit'));
        const before = q.get('before') ? Number(q.get('before')) : Infinity;
        return { body: { items: all.filter((e) => e.id < before).slice(0, limit) } };
      },
      'GET /audit/facets': () => ({ body: { actions: [], actors: [] } }),
    });
    vi.stubGlobal('fetch', stub.fetch);
    renderWithRouter(<AuditPage pageSize={2} />);
    expect(await screen.findByTestId('audit-row-6', {}, { timeout: 5000 })).toBeTruthy();
    expect(screen.getByTestId('audit-row-5').textContent).toContain('download-key');
    expect(screen.getByTestId('audit-row-5').textContent).toContain('cluster=lab name=ca');
    expect(screen.getByTestId('audit-row-6').textContent).toContain('2025-06-01 12:00:06 UTC');
    expect(screen.queryByTestId('audit-row-4')).toBeNull();

    fireEvent.click(screen.getByTestId('audit-load-older'));
    const denied = await screen.findByTestId('audit-row-4');
    expect(denied.getAttribute('data-outcome')).toBe('denied');
    expect(stub.calls.map((c) => c.url)).toContain('/api/v1/audit?limit=2&before=5');

    fireEvent.click(screen.getByTestId('audit-load-older'));
    await screen.findByTestId('audit-row-2');
    expect(stub.calls.map((c) => c.url)).toContain('/api/v1/audit?limit=2&before=3');
    // that page came back short: nothing older, the button gives way
    expect(await screen.findByTestId('audit-end')).toBeTruthy();
    expect(screen.queryByTestId('audit-load-older')).toBeNull();
    expect(document.querySelectorAll('[data-testid^="audit-row-"]')).toHaveLength(5);
  });

  it('backs up the database and shows the file and the note', async () => {
    const stub = stubFetch({
      'GET /session': () => ({ body: { csrfToken: 't' } }),
      'GET /audit': () => ({ body: { items: [] } }),
      'GET /audit/facets': () => ({ body: { actions: [], actors: [] } }),
      'POST /backups': () => ({ status: 201, body: { file: '/data/backups/kpki-1.db', note: 'keep the master key with this backup' } }),
    });
    vi.stubGlobal('fetch', stub.fetch);
    renderWithRouter(<AuditPage />);
    fireEvent.click(await screen.findByTestId('create-backup', {}, { timeout: 5000 }));
    expect((await screen.findByTestId('backup-file')).textContent).toBe('/data/backups/kpki-1.db');
    expect(screen.getByTestId('backup-note').textContent).toBe('keep the master key with this backup');
  });
});

describe('AuditPage filtered', () => {
  it('asks the API with the filter, shows the line in words with the CA-key flag, and exports what the filter keeps', async () => {
    const bundle: AuditEntry = {
      ...entry(7), action: 'download-bundle', object: 'cluster=lab node=cp1', details: { node: 'cp1', caKey: true, files: 17 },
    };
    const stub = stubFetch({
      'GET /audit': () => ({ body: { items: [bundle] } }),
      'GET /audit/facets': () => ({ body: { actions: ['download-bundle', 'sign-in'], actors: ['admin'] } }),
    });
    vi.stubGlobal('fetch', stub.fetch);
    const onFilterChange = vi.fn();
    renderWithRouter(<AuditPage filter={{ node: 'cp1', since: '2025-06-01', until: '2025-06-01' }} onFilterChange={onFilterChange} />);
    const row = await screen.findByTestId('audit-row-7', {}, { timeout: 5000 });
    expect(row.getAttribute('data-ca-key')).toBe('true');
    expect(row.getAttribute('data-nodes')).toBe('cp1');
    expect(screen.getByTestId('audit-what').textContent).toBe('downloaded the bundle of cp1 (includes the CA key)');
    expect(screen.getByTestId('audit-ca-key').textContent).toBe('CA key included');
    // "until" a day means up to the start of the next one
    expect(stub.calls.map((c) => c.url)).toContain('/api/v1/audit?limit=50&node=cp1&since=2025-06-01&until=2025-06-02');
    expect(screen.getByTestId('audit-export-csv').getAttribute('href')).toBe('/api/v1/audit/export?format=csv&node=cp1&since=2025-06-01&until=2025-06-02');
    expect(screen.getByTestId('audit-export-json').getAttribute('href')).toContain('format=json&node=cp1');
    fireEvent.click(screen.getByTestId('audit-filter-clear'));
    expect(onFilterChange).toHaveBeenCalledWith({});
  });
});
