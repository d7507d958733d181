import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { buildCatalog, buildFiles, computeChanges, hardWayPreset, plannedSubject, type ClusterInput, type IssuedFacts } from '@kpki/shared';
import { asRole, renderWithRouter, stubFetch } from '../../../test/render.tsx';
import { ChangesPage } from './changes-page.tsx';

afterEach(() => vi.unstubAllGlobals());

/** The preset as issued (facts), then a new load-balancer address: the shared computation's answer. */
function lbChange() {
  const before = hardWayPreset();
  const issued: IssuedFacts[] = buildCatalog(before).map((c) => ({
    name: c.name, serial: `0${c.name.length}`, subject: plannedSubject(c, before), sans: c.sans.map(({ type, value }) => ({ type, value })),
    usages: [...c.usages], keyAlgorithm: before.keyAlgorithm, notBefore: '2030-01-01T00:00:00.000Z',
    notAfter: new Date(Date.parse('2030-01-01T00:00:00Z') + (c.isCa ? before.caValidityHours : before.certValidityHours) * 3_600_000).toISOString(),
  }));
  const after: ClusterInput = structuredClone(before);
  after.nodes.find((n) => n.role === 'load-balancer')!.addresses = ['192.168.56.30'];
  // every node holds its files in sync (the workers' kubeconfigs included: as if they named no load balancer)
  const files = buildFiles(before, buildCatalog(before));
  const held = Object.fromEntries(Object.entries(files).map(([n, fs]) => [n, Object.fromEntries(fs.map((f) => [f.file, 'in-sync' as const]))]));
  return computeChanges({ cluster: after, issued, held });
}

describe('ChangesPage', () => {
  it('shows the diff of a new load-balancer address and applies it with distribution', async () => {
    const stub = stubFetch({
      'GET /clusters/lab/changes': () => ({ body: lbChange() }),
      'POST /clusters/lab/changes/apply': () => ({ status: 202, body: { jobId: 'j1', message: 'issuing kubernetes', certificates: ['kubernetes'], retired: [], nodes: ['cp1', 'cp2'], caRotation: null } }),
    });
    vi.stubGlobal('fetch', stub.fetch);
    const onJob = vi.fn();
    renderWithRouter(asRole('operator', <ChangesPage cluster="lab" onJobChange={onJob} />));
    const row = await screen.findByTestId('change-row-kubernetes');
    expect(row.getAttribute('data-change')).toBe('outdated');
    const lines = screen.getAllByTestId('diff-line').map((l) => l.textContent);
    expect(lines).toEqual([
      '+ SAN 192.168.56.30 added: load balancer lb: external clients connect here',
      '- SAN 192.168.56.20 removed: nothing in the current topology needs it',
    ]);
    expect(screen.getByTestId('node-writes-cp1').getAttribute('data-files')).toBe('2');
    expect(screen.queryByTestId('node-writes-worker1')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Apply and distribute' }));
    await waitFor(() => expect(onJob).toHaveBeenCalledWith('j1'));
    expect(JSON.parse(stub.calls.find((c) => c.method === 'POST')!.body!)).toEqual({ distribute: true });
  });

  it('nothing to do: says so and offers no apply', async () => {
    const none = computeChanges({ cluster: hardWayPreset(), issued: [] });
    vi.stubGlobal('fetch', stubFetch({ 'GET /clusters/lab/changes': () => ({ body: { ...none, nothingToDo: true, nodes: [], certificates: [] } }) }).fetch);
    renderWithRouter(asRole('operator', <ChangesPage cluster="lab" onJobChange={() => {}} />));
    expect((await screen.findByTestId('changes-summary')).getAttribute('data-nothing')).toBe('true');
    expect((screen.getByRole('button', { name: 'Apply and distribute' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('a viewer reviews the diff but gets no apply buttons', async () => {
    vi.stubGlobal('fetch', stubFetch({ 'GET /clusters/lab/changes': () => ({ body: lbChange() }) }).fetch);
    renderWithRouter(asRole('viewer', <ChangesPage cluster="lab" onJobChange={() => {}} />));
    expect((await screen.findByTestId('change-row-kubernetes')).getAttribute('data-change')).toBe('outdated');
    expect(screen.queryByRole('button', { name: 'Apply and distribute' })).toBeNull();
    expect(screen.getByTestId('read-only-note')).toBeTruthy();
  });
});
