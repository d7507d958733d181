/** The nodes of a distribution to 1,000 nodes: counts, failures first with their error, one page in the DOM, the log folded. */
import { describe, expect, it } from 'vitest';
import { configure, fireEvent, screen, waitFor } from '@testing-library/react';
import type { Job, JobNodeOutcome } from '@kpki/shared';
import { renderWithRouter } from '../test/render.tsx';
import { JobProgressView } from './job-progress.tsx';

configure({ asyncUtilTimeout: 15_000 });

const NODES = Array.from({ length: 1000 }, (_, i) => `worker-${i}`);
const outcomes: Record<string, JobNodeOutcome> = {};
for (let i = 0; i < 600; i++) {
  outcomes[NODES[i]] = i % 100 === 50
    ? { state: 'unreachable', uploaded: [], error: { code: 'SSH_UNREACHABLE', message: `${NODES[i]}: connection refused` } }
    : { state: 'in-sync', uploaded: ['ca.pem', 'kubelet.pem'] };
}
const job: Job = {
  id: 'j1', type: 'distribution', cluster: 'big', status: 'running', progress: { done: 1200, total: 2000 }, params: { nodes: NODES },
  result: { nodes: outcomes }, error: null, startedBy: 'admin', createdAt: '2030-01-01T00:00:00Z', startedAt: '2030-01-01T00:00:00Z', finishedAt: null,
  log: NODES.slice(0, 600).map((n) => ({ at: '2030-01-01T00:00:01Z', level: 'info' as const, message: 'in sync: 2 file(s) written', node: n })),
};
const rows = () => [...document.querySelectorAll('[data-testid^="job-node-worker"]')];

describe('job view by node', () => {
  it('counts failed, waiting and done, lists failures first with their error, and folds the long log', async () => {
    renderWithRouter(<JobProgressView stream={{ job, error: null, isLoading: false, live: true }} />);
    await screen.findByTestId('job-nodes');
    const count = (p: string) => screen.getByTestId(`job-nodes-count-${p}`).getAttribute('data-count');
    expect(count('failed')).toBe('6');
    expect(count('waiting')).toBe('400');
    expect(count('done')).toBe('594');
    expect(screen.getByTestId('job-nodes-total').textContent).toBe('1000 nodes:');
    // one page, failures first
    expect(rows()).toHaveLength(20);
    expect(rows().slice(0, 6).map((r) => r.getAttribute('data-testid'))).toEqual([50, 150, 250, 350, 450, 550].map((i) => `job-node-worker-${i}`));
    expect(rows()[0].querySelector('[data-testid="job-node-error"]')!.textContent).toBe('worker-50: connection refused');
    expect(rows()[6].getAttribute('data-progress')).toBe('waiting');
    // the log of 600 lines is there, folded
    expect(screen.getByTestId('job-log-details').hasAttribute('open')).toBe(false);
    expect(screen.getByText('Log (600 lines)')).toBeTruthy();
    expect(screen.queryAllByTestId('job-log-line')).toHaveLength(0);

    fireEvent.click(screen.getByTestId('job-nodes-count-failed'));
    await waitFor(() => expect(rows()).toHaveLength(6));
  });
});
