import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import type { AuditArchive } from '@kpki/shared';
import { renderWithProviders, stubFetch } from '../../../test/render.tsx';
import { ArchivesCard } from './archives-card.tsx';

afterEach(() => vi.unstubAllGlobals());

const archive = (id: number, intact: boolean): AuditArchive => ({
  id, firstId: id * 10, lastId: id * 10 + 9, firstAt: '2030-01-01T00:00:00.000Z', lastAt: '2030-01-02T00:00:00.000Z', rows: 10,
  file: `audit-${id}.jsonl`, sha256: 'ab'.repeat(32), previousSha256: null, recordSha256: 'cd'.repeat(32), createdAt: '2030-02-01T00:00:00.000Z', createdBy: 'kpki', intact,
});

describe('audit retention and export', () => {
  it('lists the archives with their check and download, and archives the lines before a date', async () => {
    const stub = stubFetch({
      'GET /session': () => ({ body: { csrfToken: 'tok' } }),
      'GET /audit/archives': () => ({ body: { items: [archive(1, true), archive(2, false)] } }),
      'POST /audit/archives': () => ({ status: 201, body: archive(3, true) }),
    });
    vi.stubGlobal('fetch', stub.fetch);
    renderWithProviders(<ArchivesCard />);
    const first = await screen.findByTestId('audit-archive-1');
    expect(first.querySelector('[data-testid="archive-intact"]')!.textContent).toBe('intact');
    expect(screen.getByTestId('audit-archive-2').querySelector('[data-testid="archive-intact"]')!.textContent).toBe('file changed or missing');
    expect(first.querySelector('a')!.getAttribute('href')).toBe('/api/v1/audit/archives/1/file');
    fireEvent.change(screen.getByTestId('archive-before'), { target: { value: '2030-03-01' } });
    fireEvent.click(screen.getByTestId('archive-audit'));
    await waitFor(() => expect(stub.calls.some((c) => c.method === 'POST')).toBe(true));
    expect(JSON.parse(stub.calls.find((c) => c.method === 'POST')!.body!)).toEqual({ before: '2030-03-01T00:00:00Z' });
  });
});
