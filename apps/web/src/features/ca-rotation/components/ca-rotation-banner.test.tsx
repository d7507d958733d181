/** The CA rotation's banner above every page of a cluster reads the summary (?view=summary), never the rotation's full answer. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import type { CaRotationSummary } from '@kpki/shared';
import { renderWithRouter, stubFetch } from '../../../test/render.tsx';
import { CaRotationBanner } from './ca-rotation-banner.tsx';

afterEach(() => vi.unstubAllGlobals());

describe('CaRotationBanner', () => {
  const link = (label: string) => <a href="#r">{label}</a>;

  it('while a rotation is in progress: its phase and how many nodes are in step, from the summary only', async () => {
    const body: CaRotationSummary = { phase: 'prepared', startedAt: '2030-01-01T00:00:00.000Z', nodes: 1000, nodesInStep: 997 };
    const stub = stubFetch({ 'GET /clusters/big/ca-rotation': () => ({ body }) });
    vi.stubGlobal('fetch', stub.fetch);
    renderWithRouter(<CaRotationBanner cluster="big" link={link} />);
    const banner = await screen.findByTestId('rotation-banner');
    expect(banner.getAttribute('data-phase')).toBe('prepared');
    expect(banner.textContent).toContain('CA rotation: prepared');
    expect(banner.textContent).toContain('997 of 1000 nodes in step. Open the CA rotation');
    expect(stub.calls.map((c) => c.url)).toEqual(['/api/v1/clusters/big/ca-rotation?view=summary']);
  });

  it('no rotation: no banner', async () => {
    const stub = stubFetch({ 'GET /clusters/big/ca-rotation': () => ({ body: { phase: 'none', startedAt: null, nodes: null, nodesInStep: null } }) });
    vi.stubGlobal('fetch', stub.fetch);
    renderWithRouter(<CaRotationBanner cluster="big" link={link} />);
    await waitFor(() => expect(stub.calls).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByTestId('rotation-banner')).toBeNull();
  });
});
