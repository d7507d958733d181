import { describe, expect, it } from 'vitest';
import { fireEvent, screen, within } from '@testing-library/react';
import { buildCatalog } from '@kpki/shared/catalog';
import { buildPlan } from '@kpki/shared/build-plan';
import { planTalksView } from '@kpki/shared/plan-views';
import { matrixRows } from '@kpki/shared/matrix';
import { hardWayPreset } from '@kpki/shared/preset';
import { generated } from '@kpki/shared/test-topologies';
import { renderWithRouter } from '../../../test/render.tsx';
import { MatrixEdgeTable, MatrixGridTable } from './matrix-table.tsx';
import { IdentityTable } from './identity-table.tsx';
import { SanTables } from './san-tables.tsx';

const BIG = generated({ controlPlanes: 3, workers: 997 });
/** How many node names of `cluster` an element's text holds (a name counted once per occurrence). */
const namesIn = (el: Element, names: Set<string>) => (el.textContent ?? '').split(/[^A-Za-z0-9-]+/).filter((w) => names.has(w)).length;
const nodeNames = new Set(BIG.nodes.map((n) => n.name));

describe('MatrixGridTable and MatrixEdgeTable', () => {
  it("name the preset's two workers inline, as the tutorial's table does", async () => {
    renderWithRouter(<><MatrixGridTable cluster="lab" rows={matrixRows(hardWayPreset())} /><MatrixEdgeTable cluster="lab" rows={matrixRows(hardWayPreset())} /></>);
    const cell = (await screen.findByTestId('matrix-grid')).querySelector('[data-client="kubelet (worker1, worker2)"][data-server="kube-apiserver"]')!;
    expect(within(cell as HTMLElement).getAllByRole('link').map((a) => a.textContent)).toEqual(['worker1', 'worker2']);
    expect(screen.queryByTestId('name-group')).toBeNull();
  });

  it('show 997 kubelets as a group: no cell names more than 20 nodes, open or not, and a search finds one', async () => {
    renderWithRouter(<><MatrixGridTable cluster="lab" rows={matrixRows(BIG)} /><MatrixEdgeTable cluster="lab" rows={matrixRows(BIG)} /></>);
    const grid = await screen.findByTestId('matrix-grid');
    const cells = () => [...document.querySelectorAll('td, th')];
    for (const c of cells()) expect(namesIn(c, nodeNames)).toBe(0);
    const cell = grid.querySelector('[data-client="997 kubelets"][data-server="kube-apiserver"]') as HTMLElement;
    fireEvent.click(within(cell).getByTestId('name-group-toggle'));
    expect(within(cell).getByTestId('name-group-toggle').getAttribute('aria-expanded')).toBe('true');
    expect(within(cell).getAllByTestId('name-group-name')).toHaveLength(20);
    expect(within(cell).getByTestId('name-group-count').textContent).toBe('20 of 997 shown: narrow the search');
    for (const c of cells()) expect(namesIn(c, nodeNames)).toBeLessThanOrEqual(20);
    fireEvent.change(within(cell).getByTestId('name-group-search'), { target: { value: 'w-512' } });
    expect(within(cell).getAllByRole('link').map((a) => a.textContent)).toEqual(['w-512']);
    expect(within(cell).getByRole('link', { name: 'w-512' }).getAttribute('href')).toBe('/clusters/lab/certificates/w-512');
    fireEvent.change(within(cell).getByTestId('name-group-search'), { target: { value: 'nobody' } });
    expect(within(cell).getByTestId('name-group-count').textContent).toBe('No name matches.');
  });
});

describe('IdentityTable and SanTables at scale', () => {
  it('group the kubelet identities and SAN tables, and keep the API server and etcd tables (the talks view: 10 of 997 kubelets in full)', async () => {
    const plan = planTalksView(buildPlan(BIG));
    renderWithRouter(<><IdentityTable cluster="lab" plan={plan} /><SanTables cluster="lab" plan={plan} /></>);
    const identities = await screen.findByTestId('identity-table');
    expect(within(identities).queryByTestId('identity-row-w-0')).toBeNull();
    const group = within(identities).getByTestId('identity-group-kubelet');
    expect(group.textContent).toContain('997 kubelets');
    expect(group.textContent).toContain('system:node:<node>');
    expect(within(identities).getByTestId('identity-row-admin')).toBeTruthy();
    // admin, the group, then the other components in the catalog's order
    expect([...identities.querySelectorAll('tbody tr')].map((r) => r.getAttribute('data-testid'))).toEqual([
      'identity-row-admin', 'identity-group-kubelet', 'identity-row-kube-controller-manager', 'identity-row-kube-proxy',
      'identity-row-kube-scheduler', 'identity-row-kubernetes', 'identity-row-etcd', 'identity-row-service-account',
    ]);
    fireEvent.click(within(group).getByTestId('name-group-toggle'));
    fireEvent.change(within(group).getByTestId('name-group-search'), { target: { value: 'w-7' } });
    expect(within(group).getAllByTestId('name-group-name')[0].textContent).toBe('w-7');

    expect(screen.queryByTestId('san-table-w-0')).toBeNull();
    const kubeletSans = screen.getByTestId('san-group-kubelet');
    expect(kubeletSans.textContent).toContain('kubelet: 997 certificates');
    // counted over every kubelet of the catalog, not the 10 the view carries
    const kubelets = buildCatalog(BIG).filter((c) => c.kind === 'kubelet');
    expect(kubeletSans.textContent).toContain(`${kubelets.reduce((n, c) => n + c.sans.length, 0)} SANs`);
    const groups = within(kubeletSans).getAllByTestId('san-group');
    expect(groups.map((g) => Number(g.getAttribute('data-count')))).toEqual([...new Set(kubelets.flatMap((c) => c.sans.map((s) => s.reason)))].map((r) => kubelets.flatMap((c) => c.sans).filter((s) => s.reason === r).length));
    expect(groups[0].textContent).toContain('worker hostname: the API server calls the kubelet by this name');
    expect(groups[0].textContent).toContain('997 of 997');
    // the search finds a kubelet past the 10 carried in full
    fireEvent.click(within(kubeletSans).getByTestId('name-group-toggle'));
    fireEvent.change(within(kubeletSans).getByTestId('name-group-search'), { target: { value: 'w-996' } });
    expect(within(kubeletSans).getAllByTestId('name-group-name').map((n) => n.textContent)).toEqual(['w-996']);
    expect(screen.getByTestId('san-table-kubernetes')).toBeTruthy();
    expect(screen.getByTestId('san-table-etcd')).toBeTruthy();
    for (const c of document.querySelectorAll('td, th')) expect(namesIn(c, nodeNames)).toBeLessThanOrEqual(20);
  });

  it("keep one row per kubelet and one SAN table per kubelet for the preset", async () => {
    const plan = planTalksView(buildPlan(hardWayPreset()));
    renderWithRouter(<><IdentityTable cluster="lab" plan={plan} /><SanTables cluster="lab" plan={plan} /></>);
    await screen.findByTestId('identity-row-worker1');
    expect(screen.getByTestId('identity-row-worker2')).toBeTruthy();
    expect(screen.getByTestId('san-table-worker1')).toBeTruthy();
    expect(screen.getByTestId('san-table-worker2')).toBeTruthy();
    expect(screen.getAllByTestId('san-row').length).toBeGreaterThan(10);
    expect(screen.queryByTestId('name-group')).toBeNull();
  });
});
