import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { nodeRowOf, planCaKeyFilesView, type NodeStatus, type NodeSummary, type Plan } from '@kpki/shared';
import { asRole, renderWithRouter, stubFetch } from '../../../test/render.tsx';
import { NodePage } from './node-page.tsx';
import { NodesPage } from './nodes-page.tsx';

afterEach(() => vi.unstubAllGlobals());

const status = (node: string): NodeStatus => ({
  node, state: 'in-sync', checkedAt: null, filesCheckedAt: null, checkDue: false, remoteDir: null, files: [], otherFiles: [], error: null,
});
const node = (name: string, role: NodeSummary['role'], expectedFiles: number): NodeSummary => ({
  name,
  role,
  addresses: ['10.0.0.1'],
  ssh: { host: '10.0.0.1', port: 22, user: 'root' },
  expectedFiles,
  status: status(name),
});
/** GET .../nodes?view=brief */
const NODES = [node('cp1', 'control-plane', 12), node('worker1', 'worker', 5)].map(nodeRowOf);
/** The plan's files of the two nodes (what decides whose bundle holds ca-key.pem), typed by the contract. */
const PLAN: Pick<Plan, 'files'> = {
  files: {
    cp1: [{ file: 'ca.pem', mode: '0644', certificate: 'ca', part: 'cert' }, { file: 'ca-key.pem', mode: '0600', certificate: 'ca', part: 'key' }],
    worker1: [{ file: 'ca.pem', mode: '0644', certificate: 'ca', part: 'cert' }, { file: 'worker1.pem', mode: '0644', certificate: 'worker1', part: 'cert' }],
  },
};

/** GET .../plan answers by its view, as the server does: the full plan, or its files under the CA key rule. */
const planAnswer = ({ url }: { url: string }) => ({ body: new URL(url, 'http://x').searchParams.get('view') === 'ca-key-files' ? planCaKeyFilesView(PLAN as Plan) : PLAN });

function stubCluster() {
  const stub = stubFetch({
      'GET /clusters/lab/nodes': () => ({ body: { items: NODES } }),
      'GET /clusters/lab/nodes/cp1/status': () => ({ body: status('cp1') }),
      'GET /clusters/lab/nodes/worker1/status': () => ({ body: status('worker1') }),
      'GET /clusters/lab/ssh-key': () => ({ body: { publicKey: 'ssh-ed25519 AAAA kpki-lab', fingerprint: 'SHA256:x', source: 'generated' } }),
      'GET /clusters/lab/plan': planAnswer,
  });
  vi.stubGlobal('fetch', stub.fetch);
  return stub;
}
const planReads = (stub: ReturnType<typeof stubCluster>) => stub.calls.filter((c) => c.url.includes('/plan')).map((c) => c.url.replace(/^\/api\/v1/, ''));

const present = (id: string) => screen.queryByTestId(id) !== null;
const ACTIONS = ['verify-node', 'redistribute-node', 'distribute-all', 'save-ssh', 'scan-host-key'];

describe('node page by role', () => {
  it('admin: every action; the control-plane bundle holds the CA key and asks for the password', async () => {
    stubCluster();
    renderWithRouter(asRole('admin', <NodePage cluster="lab" node="cp1" onJobChange={() => {}} />));
    await screen.findByTestId('ssh-form');
    for (const id of ACTIONS) expect(present(id), id).toBe(true);
    expect(screen.getByTestId('download-node-bundle').getAttribute('data-ca-key')).toBe('true');
    // cp1 receives ca-key.pem (the plan's ca-key-files view): its page offers the redistribution with it
    expect(await screen.findByTestId('distribute-with-ca-key')).toBeTruthy();
  });

  it("admin on a worker's page: no redistribution with ca-key.pem (the worker receives none)", async () => {
    const stub = stubCluster();
    renderWithRouter(asRole('admin', <NodePage cluster="lab" node="worker1" onJobChange={() => {}} />));
    await screen.findByTestId('ssh-form');
    await waitFor(() => expect(planReads(stub)).toContain('/clusters/lab/plan?view=ca-key-files'));
    expect(present('redistribute-node')).toBe(true);
    expect(present('distribute-with-ca-key')).toBe(false);
  });

  it('operator: every action, but no control-plane bundle (a note says the CA key is for admins)', async () => {
    stubCluster();
    renderWithRouter(asRole('operator', <NodePage cluster="lab" node="cp1" onJobChange={() => {}} />));
    await screen.findByTestId('ssh-form');
    for (const id of ACTIONS) expect(present(id), id).toBe(true);
    expect(present('download-node-bundle')).toBe(false);
    expect(screen.getByTestId('ca-key-admins-only').textContent).toMatch(/the CA key is for admins/);
  });

  it("operator: a worker's bundle is a plain link, known from the plan's ca-key-files view (never the whole plan)", async () => {
    const stub = stubCluster();
    renderWithRouter(asRole('operator', <NodePage cluster="lab" node="worker1" onJobChange={() => {}} />));
    const link = await screen.findByTestId('download-node-bundle', undefined, { timeout: 5000 });
    expect(link.getAttribute('href')).toBe('/api/v1/clusters/lab/bundle.tar.gz?node=worker1');
    expect(link.getAttribute('data-ca-key')).toBeNull();
    expect(new Set(planReads(stub))).toEqual(new Set(['/clusters/lab/plan?view=ca-key-files']));
  });

  it('viewer: no action, no bundle, SSH settings read-only', async () => {
    stubCluster();
    renderWithRouter(asRole('viewer', <NodePage cluster="lab" node="worker1" onJobChange={() => {}} />));
    await screen.findByTestId('ssh-form');
    for (const id of [...ACTIONS, 'download-node-bundle', 'pin-host-key']) expect(present(id), id).toBe(false);
    expect(screen.getByTestId('ssh-host').matches(':disabled')).toBe(true);
    expect(screen.getAllByTestId('read-only-note').length).toBeGreaterThan(0);
  });
});

describe('nodes page by role', () => {
  it.each([
    ['admin', true],
    ['operator', true],
    ['viewer', false],
  ] as const)('%s: distribute / verify all offered: %s', async (role, offered) => {
    stubCluster();
    renderWithRouter(asRole(role, <NodesPage cluster="lab" onJobChange={() => {}} />));
    await screen.findByTestId('nodes-table');
    expect(present('distribute-all')).toBe(offered);
    expect(present('verify-all')).toBe(offered);
    expect(present('read-only-note')).toBe(!offered);
  });

  it('reads no plan until a distribution starts; then only its files under the CA key rule, and names where ca-key.pem goes', async () => {
    const stub = stubCluster();
    renderWithRouter(asRole('admin', <NodesPage cluster="lab" onJobChange={() => {}} />));
    await screen.findByTestId('nodes-table');
    expect(planReads(stub)).toEqual([]);
    fireEvent.click(screen.getByTestId('distribute-with-ca-key'));
    expect((await screen.findByTestId('ca-key-recipients')).textContent).toBe('ca-key.pem goes to cp1.');
    expect(planReads(stub)).toEqual(['/clusters/lab/plan?view=ca-key-files']);
  });
});
