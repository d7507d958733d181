import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import type { KubeconfigSummary } from '@kpki/shared';
import { queryKeys } from '../../../api/query-keys.ts';
import { forgetElevation } from '../../../api/reauth.ts';
import { resetCsrfToken } from '../../../api/session.ts';
import { asRole, renderWithProviders, stubFetch } from '../../../test/render.tsx';
import { KubeconfigsSection } from './kubeconfigs-section.tsx';
import { WorkstationKubeconfigCard } from './workstation-kubeconfig.tsx';

const LB = 'https://192.168.56.20:6443';
const LOCAL = 'https://127.0.0.1:6443';
const k = (name: string, file: string, certificate: string, user: string, server: string, recipients: string[]): KubeconfigSummary => ({
  name, file, certificate, user, groups: [certificate === 'admin' ? 'system:masters' : 'system:nodes'], cluster: 'kubernetes-the-hard-way',
  context: name === 'admin-workstation' ? 'kubernetes-the-hard-way' : 'default', server, serverAddress: server.slice(8, -5),
  serverReason: server === LB ? 'load balancer lb: it forwards port 6443 to every API server' : 'localhost: on its own node',
  recipients, usedBy: `${name} user`, reason: 'why', embeds: [{ name: 'ca', serial: 'aa11' }, { name: certificate, serial: 'bb22' }],
  sha256: 'f'.repeat(64), caKeyRule: certificate === 'admin',
});
const ITEMS = [
  k('worker1', 'worker1.kubeconfig', 'worker1', 'system:node:worker1', LB, ['worker1']),
  k('kube-proxy', 'kube-proxy.kubeconfig', 'kube-proxy', 'system:kube-proxy', LB, ['worker1', 'worker2']),
  k('kube-scheduler', 'kube-scheduler.kubeconfig', 'kube-scheduler', 'system:kube-scheduler', LOCAL, ['cp1']),
  k('admin', 'admin.kubeconfig', 'admin', 'admin', LOCAL, ['cp1']),
  k('admin-workstation', 'admin.kubeconfig', 'admin', 'admin', LB, []),
];
/** GET .../kubeconfigs as the server answers it: every kubeconfig, or the one of ?name= */
const kubeconfigsAnswer = ({ url }: { url: string }) => {
  const name = new URL(url, 'http://x').searchParams.get('name');
  return { body: { items: name === null ? ITEMS : ITEMS.filter((x) => x.name === name) } };
};
const rows = () => [...document.querySelectorAll('[data-testid^="kubeconfig-row-"]')].map((e) => e.getAttribute('data-testid')!.slice('kubeconfig-row-'.length));
const links = () => [...document.querySelectorAll('[data-testid^="download-kubeconfig-"]')].map((e) => e.getAttribute('data-testid')!.slice('download-kubeconfig-'.length));

beforeEach(() => {
  forgetElevation();
  resetCsrfToken();
  vi.stubGlobal('fetch', stubFetch({ 'GET /clusters/lab/kubeconfigs': kubeconfigsAnswer }).fetch);
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('the kubeconfigs of a node, of a certificate', () => {
  it('a worker\'s page lists the kubeconfigs it holds, with user and server', async () => {
    renderWithProviders(asRole('operator', <KubeconfigsSection cluster="lab" filter={{ node: 'worker1' }} />));
    await waitFor(() => expect(rows()).toEqual(['worker1', 'kube-proxy']));
    expect(screen.getByTestId('kubeconfigs-summary').textContent).toBe('worker1 holds worker1.kubeconfig, kube-proxy.kubeconfig.');
    expect(screen.getAllByTestId('kubeconfig-server').map((e) => e.textContent)).toEqual([LB, LB]);
    expect(links()).toEqual(['worker1', 'kube-proxy']);
    expect(screen.getByTestId('download-kubeconfig-worker1').getAttribute('href')).toBe('/api/v1/clusters/lab/kubeconfigs/worker1');
  });

  it('the admin certificate\'s page names both admin kubeconfigs; an operator gets no link to them', async () => {
    renderWithProviders(asRole('operator', <KubeconfigsSection cluster="lab" filter={{ certificate: 'admin' }} />));
    await waitFor(() => expect(rows()).toEqual(['admin', 'admin-workstation']));
    expect(screen.getByTestId('kubeconfigs-summary').textContent).toContain("Embedded in 2 kubeconfigs: admin.kubeconfig, the workstation's admin.kubeconfig");
    expect(links()).toEqual([]);
  });

  it('the CA is embedded in every kubeconfig; an admin\'s links to admin.kubeconfig ask for the password', async () => {
    renderWithProviders(asRole('admin', <KubeconfigsSection cluster="lab" filter={{ certificate: 'ca' }} />));
    await waitFor(() => expect(rows()).toHaveLength(5));
    expect(screen.getByTestId('download-kubeconfig-admin').getAttribute('data-ca-key')).toBe('true');
    expect(screen.getByTestId('download-kubeconfig-worker1').getAttribute('data-ca-key')).toBeNull();
  });

  it('a viewer sees the kubeconfigs and downloads none', async () => {
    renderWithProviders(asRole('viewer', <KubeconfigsSection cluster="lab" filter={{ certificate: 'ca' }} />));
    await waitFor(() => expect(rows()).toHaveLength(5));
    expect(links()).toEqual([]);
  });

  it('a node without kubeconfigs says so', async () => {
    renderWithProviders(asRole('viewer', <KubeconfigsSection cluster="lab" filter={{ node: 'lb' }} />));
    expect((await screen.findByTestId('kubeconfigs-none')).textContent).toBe('This node holds no kubeconfig.');
  });
});

describe('the workstation kubeconfig', () => {
  it('an operator reads that admins download it', async () => {
    renderWithProviders(asRole('operator', <WorkstationKubeconfigCard cluster="lab" />));
    expect((await screen.findByTestId('workstation-kubeconfig-admins-only')).textContent).toContain('cluster-admin credential');
    expect(screen.queryByTestId('download-workstation-kubeconfig')).toBeNull();
  });

  it('before the certificates are issued it says so, and offers the download once a job has refreshed the cluster', async () => {
    let issued = false;
    vi.stubGlobal('fetch', stubFetch({
      'GET /clusters/lab/kubeconfigs': (req) => {
        const answer = kubeconfigsAnswer(req);
        return { body: { items: answer.body.items.map((x) => ({ ...x, sha256: issued ? x.sha256 : null })) } };
      },
    }).fetch);
    const { queryClient } = renderWithProviders(asRole('admin', <WorkstationKubeconfigCard cluster="lab" />));
    expect((await screen.findByTestId('workstation-kubeconfig')).textContent).toContain('Issue the certificates first.');
    expect(screen.queryByTestId('download-workstation-kubeconfig')).toBeNull();
    issued = true;
    await queryClient.invalidateQueries({ queryKey: queryKeys.cluster('lab') }); // what the end of a job does (job-events.ts)
    expect(await screen.findByTestId('download-workstation-kubeconfig')).toBeTruthy();
    expect(screen.getByTestId('workstation-kubeconfig').textContent).not.toContain('Issue the certificates first.');
  });

  it('an admin clicks the button, re-enters the password, and the download of admin.kubeconfig starts', async () => {
    const until = new Date(Date.now() + 5 * 60_000).toISOString();
    const stub = stubFetch({
      'GET /clusters/lab/kubeconfigs': kubeconfigsAnswer,
      'GET /session': () => ({ body: { csrfToken: 'tok' } }),
      'POST /session/reauth': () => ({ body: { elevatedUntil: until } }),
    });
    vi.stubGlobal('fetch', stub.fetch);
    const clicked: Array<{ href: string; download: string }> = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.getAttribute('href')!, download: this.download });
    });
    renderWithProviders(asRole('admin', <WorkstationKubeconfigCard cluster="lab" />));
    const button = await screen.findByTestId('download-workstation-kubeconfig');
    expect(screen.getByTestId('workstation-kubeconfig').textContent).toContain(LB);
    fireEvent.click(button);
    await screen.findByTestId('reauth-dialog');
    expect(screen.getByText(/cluster-admin credential \(group system:masters\)/)).toBeTruthy();
    fireEvent.change(screen.getByTestId('reauth-password'), { target: { value: 'right-password' } });
    fireEvent.click(screen.getByTestId('reauth-confirm'));
    await waitFor(() => expect(clicked).toEqual([{ href: '/api/v1/clusters/lab/kubeconfigs/admin-workstation', download: 'admin.kubeconfig' }]));
    // the card read that one kubeconfig, not the list (880 kB on a 1,000-node cluster)
    expect(stub.calls.filter((c) => c.url.includes('/kubeconfigs?') || c.url.endsWith('/kubeconfigs')).map((c) => c.url)).toEqual(['/api/v1/clusters/lab/kubeconfigs?name=admin-workstation']);
  });
});
