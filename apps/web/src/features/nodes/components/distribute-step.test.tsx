import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { nodeRowOf, planCaKeyFilesView, type NodeState, type NodeSummary, type Plan, type PlannedFile } from '@kpki/shared';
import { queryKeys } from '../../../api/query-keys.ts';
import { asRole, renderWithRouter, stubFetch } from '../../../test/render.tsx';
import { DistributeStep, LIST_UP_TO } from './distribute-step.tsx';

afterEach(() => vi.unstubAllGlobals());

const CA: PlannedFile = { file: 'ca.pem', mode: '0644', certificate: 'ca', part: 'cert' };
const CA_KEY: PlannedFile = { file: 'ca-key.pem', mode: '0600', certificate: 'ca', part: 'key' };

/** `workers` workers after three control-plane nodes; the first `unconfigured` workers have no SSH target, the rest are in sync. */
function fleet(workers: number, unconfigured: number) {
  const names = ['cp1', 'cp2', 'cp3', ...Array.from({ length: workers }, (_, i) => `w${i + 1}`)];
  const state = (i: number): NodeState => (i >= 3 && i < 3 + unconfigured ? 'not-configured' : 'in-sync');
  const nodes: NodeSummary[] = names.map((name, i) => ({
    name,
    role: i < 3 ? 'control-plane' : 'worker',
    addresses: ['10.0.0.1'],
    ...(state(i) === 'not-configured' ? {} : { ssh: { host: '10.0.0.1', port: 22, user: 'root' } }),
    expectedFiles: i < 3 ? 2 : 1,
    status: { node: name, state: state(i), checkedAt: null, filesCheckedAt: null, checkDue: false, remoteDir: null, files: [], otherFiles: [], error: null },
  }));
  const files = Object.fromEntries(names.map((n, i) => [n, i < 3 ? [CA, CA_KEY] : [CA]]));
  vi.stubGlobal(
    'fetch',
    stubFetch({
      'GET /clusters/lab/nodes': () => ({ body: { items: nodes.map(nodeRowOf) } }),
      'GET /clusters/lab/plan': () => ({ body: planCaKeyFilesView({ files } as unknown as Plan) }),
    }).fetch,
  );
}

const render = () => renderWithRouter(asRole('admin', <DistributeStep cluster="lab" onJobChange={() => {}} onDone={() => {}} />));
const nodeLinks = (el: HTMLElement) => Array.from(el.querySelectorAll('a')).filter((a) => /\/nodes\/[^/?]+$/.test(a.getAttribute('href') ?? ''));

describe('distribute step', () => {
  it('a fleet of 1,000 nodes is counted by state, never listed: links to the filtered nodes page, the ca-key.pem holders named', async () => {
    fleet(997, 400);
    render();
    const targets = await screen.findByTestId('distribute-targets');
    expect(targets.getAttribute('data-count')).toBe('1000');
    expect(nodeLinks(targets)).toHaveLength(0);
    expect(targets.textContent).not.toContain('w500');
    expect(targets.textContent).toContain('1000 of 1000 nodes receive their files');
    expect(within(targets).getByTestId('distribute-count-not-configured').getAttribute('data-count')).toBe('400');
    expect(within(targets).getByTestId('distribute-count-in-sync').getAttribute('data-count')).toBe('600');
    expect(within(targets).getByTestId('distribute-count-not-configured').getAttribute('href')).toBe('/clusters/lab/nodes?state=not-configured');
    await waitFor(() => expect(screen.getByTestId('distribute-ca-key-holders').textContent).toBe('With ca-key.pem: cp1, cp2, cp3'));
    // the nodes without an SSH target: five names, the count, and the way to set them up together
    const unconfigured = screen.getByTestId('distribute-unconfigured');
    expect(unconfigured.getAttribute('data-count')).toBe('400');
    expect(unconfigured.textContent).toContain('w1, w2, w3, w4, w5 and 395 more have no SSH target yet');
    expect(within(unconfigured).getByRole('link', { name: 'nodes page' }).getAttribute('href')).toBe('/clusters/lab/nodes?state=not-configured');
    expect(unconfigured.textContent!.length).toBeLessThan(300);
  });

  it('the counts are read again with the nodes: after a job refreshes the cluster, they say where the nodes stand now', async () => {
    fleet(997, 400);
    const { queryClient } = render();
    await waitFor(() => expect(screen.getByTestId('distribute-count-not-configured').getAttribute('data-count')).toBe('400'));
    fleet(997, 100); // 300 more workers set up and distributed to
    await queryClient.invalidateQueries({ queryKey: queryKeys.cluster('lab') }); // what the end of a job does (job-events.ts)
    await waitFor(() => expect(screen.getByTestId('distribute-count-not-configured').getAttribute('data-count')).toBe('100'));
    expect(screen.getByTestId('distribute-count-in-sync').getAttribute('data-count')).toBe('900');
    expect(screen.getByTestId('distribute-unconfigured').textContent).toContain('w1, w2, w3, w4, w5 and 95 more have no SSH target yet');
  });

  it(`a cluster of ${LIST_UP_TO} nodes or fewer lists each node with its files, its state and the CA key`, async () => {
    fleet(LIST_UP_TO - 3, 1);
    render();
    const targets = await screen.findByTestId('distribute-targets');
    expect(nodeLinks(targets).map((a) => a.textContent)).toEqual(['cp1', 'cp2', 'cp3', 'w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7']);
    await waitFor(() => expect(targets.textContent).toContain('(with ca-key.pem)'));
    expect(screen.getByTestId('distribute-unconfigured').textContent).toBe("w1 has no SSH target yet: set the host and pin its key on the node's page, or the distribution fails there.");
  });
});
