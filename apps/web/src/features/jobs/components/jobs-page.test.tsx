/** The jobs page: the newest 200 jobs asked once, counted by status, filtered by kind and status, searched by node; a job's node list is never a wall of names. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { configure, fireEvent, screen, waitFor } from '@testing-library/react';
import type { Job } from '@kpki/shared';
import { renderWithRouter, stubFetch } from '../../../test/render.tsx';
import { jobScope } from './job-duration.ts';
import { JobsPage } from './jobs-page.tsx';

afterEach(() => vi.unstubAllGlobals());
configure({ asyncUtilTimeout: 15_000 });

const NODES = Array.from({ length: 1000 }, (_, i) => `worker-${i}`);
const job = (i: number): Job => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  type: i % 3 === 0 ? 'distribution' : i % 3 === 1 ? 'verification' : 'issuance',
  cluster: 'big',
  status: i % 40 === 1 ? 'failed' : 'succeeded',
  progress: { done: 1, total: 1 },
  params: i % 3 === 2 ? {} : { nodes: i === 0 ? NODES : [`worker-${i}`] },
  result: null,
  error: i % 40 === 1 ? { code: 'NODES_FAILED', message: `1 of 1 node(s) failed: worker-${i}` } : null,
  startedBy: 'admin',
  createdAt: new Date(Date.UTC(2030, 0, 1) - i * 60_000).toISOString(),
  startedAt: null,
  finishedAt: null,
  log: [],
});
const JOBS = Array.from({ length: 200 }, (_, i) => job(i));
const rows = () => [...document.querySelectorAll('[data-testid^="job-row-"]')];

describe('jobs page', () => {
  it('reads the newest 200 jobs once, counts them by status, filters them by status and kind', async () => {
    const stub = stubFetch({ 'GET /jobs': () => ({ body: { items: JOBS } }) });
    vi.stubGlobal('fetch', stub.fetch);
    renderWithRouter(<JobsPage cluster="big" pageSize={10} />);
    await screen.findByTestId('jobs-table');
    expect(stub.calls.map((c) => c.url)).toEqual(['/api/v1/jobs?cluster=big&limit=200']);
    expect(screen.getByTestId('jobs-table-total').textContent).toBe('The last 200 jobs:');
    expect(screen.getByTestId('jobs-table-count-failed').getAttribute('data-count')).toBe('5');
    expect(screen.getByTestId('jobs-table-count-succeeded').getAttribute('data-count')).toBe('195');
    expect(rows()).toHaveLength(10);

    fireEvent.click(screen.getByTestId('jobs-table-count-failed'));
    await waitFor(() => expect(rows()).toHaveLength(5));
    expect(rows().every((r) => r.getAttribute('data-status') === 'failed')).toBe(true);
    fireEvent.change(screen.getByTestId('jobs-table-filter-kind'), { target: { value: 'verification' } });
    // failed ones are i = 1, 41, 81, 121, 161: all verifications (i % 3 === 1 for 1, 121; 41 % 3 = 2, 81 % 3 = 0, 161 % 3 = 2)
    await waitFor(() => expect(rows().map((r) => r.getAttribute('data-kind'))).toEqual(['verification', 'verification']));
  });

  it('finds a job by a node it wrote', async () => {
    vi.stubGlobal('fetch', stubFetch({ 'GET /jobs': () => ({ body: { items: JOBS } }) }).fetch);
    renderWithRouter(<JobsPage cluster="big" pageSize={10} />);
    fireEvent.change(await screen.findByRole('searchbox', { name: 'Search jobs' }), { target: { value: 'worker-999' } });
    // only the distribution to every node names worker-999
    await waitFor(() => expect(rows().map((r) => r.getAttribute('data-testid'))).toEqual([`job-row-${JOBS[0].id}`]));
    expect(rows()[0].textContent).toContain('worker-0, worker-1, worker-2, worker-3, worker-4 and 995 more');
  });

  it('names five nodes at most', () => {
    expect(jobScope({ type: 'distribution', params: { nodes: NODES } })).toBe('worker-0, worker-1, worker-2, worker-3, worker-4 and 995 more');
    expect(jobScope({ type: 'distribution', params: { nodes: ['cp1', 'worker1'] } })).toBe('cp1, worker1');
  });
});
