/**
 * The link check over a fake file lookup built from the preset's catalog: healthy, then one
 * broken file at a time; the first reason and which links fail.
 */
import { describe, expect, test } from 'vitest';
import { buildCatalog } from './catalog.ts';
import { buildFiles } from './distribution.ts';
import { checkLink, serviceAccountCheck, type FileLookup } from './link-check.ts';
import { buildLinks } from './link-topology.ts';
import { hardWayPreset } from './preset.ts';
import { ca, issued, file } from './test-tls-facts.ts';
import { EKU, type CertFacts, type FileView } from './tls-facts.ts';

const AT = new Date('2026-06-01T12:00:00Z');
const cluster = hardWayPreset();
const catalog = buildCatalog(cluster);
const root = ca('Kubernetes');

function certFor(name: string, over: Partial<CertFacts> = {}): CertFacts {
  const p = catalog.find((c) => c.name === name)!;
  return issued(root, {
    cn: p.cn, o: p.o ? [p.o] : [], dnsNames: p.sans.filter((s) => s.type === 'dns').map((s) => s.value),
    ipAddresses: p.sans.filter((s) => s.type === 'ip').map((s) => s.value), hasSanExtension: p.sans.length > 0, ...over,
  });
}

/** node/file -> view, every node holding its planned files, the operator holding admin and ca. */
function healthy(): Map<string, FileView> {
  const certs = new Map(catalog.filter((c) => !c.isCa).map((c) => [c.name, certFor(c.name)]));
  certs.set('ca', root);
  const views = new Map<string, FileView>();
  const put = (node: string | null, f: { file: string; certificate: string; part: string }) => {
    const c = certs.get(f.certificate)!;
    views.set(`${node}/${f.file}`, f.part === 'cert' ? file([c]) : file([], c));
  };
  for (const [node, files] of Object.entries(buildFiles(cluster, catalog))) {
    for (const f of files) if (f.part === 'cert' || f.part === 'key') put(node, { ...f, certificate: f.certificate! });
  }
  for (const f of ['admin.pem', 'admin-key.pem', 'ca.pem']) put(null, { file: f, certificate: f.replace(/(-key)?\.pem$/, ''), part: f.includes('-key') ? 'key' : 'cert' });
  return views;
}

const lookupOf = (views: Map<string, FileView>): FileLookup => (node, f) =>
  views.get(`${node}/${f}`) ?? { kind: 'unavailable', code: 'file-missing', message: `${node}: ${f} is missing` };

function run(views: Map<string, FileView>) {
  return buildLinks(cluster).map((l) => ({ link: l, ...checkLink(l, lookupOf(views), AT) }));
}
const failing = (results: ReturnType<typeof run>) => results.filter((r) => r.verdict === 'fails').map((r) => r.link.id);

describe('checkLink', () => {
  test('the healthy preset: every link works, the service-account pair agrees', () => {
    const results = run(healthy());
    expect(failing(results)).toEqual([]);
    expect(serviceAccountCheck(['cp1', 'cp2'], lookupOf(healthy())).verdict).toBe('ok');
  });

  test('kubernetes.pem on cp1 without the load balancer address: kubelets and kube-proxy to cp1 fail, in Go words', () => {
    const views = healthy();
    const api = certFor('kubernetes', { ipAddresses: ['10.32.0.1', '192.168.56.21', '192.168.56.22', '127.0.0.1'] });
    views.set('cp1/kubernetes.pem', file([api], undefined, 'an earlier issuance'));
    views.set('cp1/kubernetes-key.pem', file([], api));
    const results = run(views);
    expect(failing(results)).toEqual(['kubelet@worker1>kube-apiserver@cp1', 'kubelet@worker2>kube-apiserver@cp1', 'kube-proxy@worker1>kube-apiserver@cp1', 'kube-proxy@worker2>kube-apiserver@cp1']);
    const r = results.find((x) => x.link.id === 'kubelet@worker1>kube-apiserver@cp1')!.reasons[0];
    expect(r).toMatchObject({ code: 'hostname', side: 'server', node: 'cp1', file: 'kubernetes.pem',
      message: 'x509: certificate is valid for 10.32.0.1, 192.168.56.21, 192.168.56.22, 127.0.0.1, not 192.168.56.20' });
    expect(r.detail).toMatch(/^kubelet on worker1 rejects the certificate kube-apiserver on cp1 serves at 192\.168\.56\.20:6443/);
    expect(r.detail).toMatch(/an earlier issuance/);
  });

  test('a missing key, a mismatched key, a file with no PEM: the side that cannot load names its node and file', () => {
    const views = healthy();
    views.delete('worker1/kube-proxy-key.pem');
    views.set('worker2/worker2-key.pem', file([], certFor('worker1')));
    views.set('cp2/ca.pem', { kind: 'content', content: { certificates: [], otherBlocks: [], malformed: 0, key: null, keyError: null }, provenance: 'content kpki did not issue' });
    const results = run(views);
    const first = (id: string) => results.find((x) => x.link.id === id)!.reasons[0];
    expect(first('kube-proxy@worker1>kube-apiserver@cp1')).toMatchObject({ code: 'file-missing', node: 'worker1', file: 'kube-proxy-key.pem', side: 'client' });
    expect(first('kubelet@worker2>kube-apiserver@cp1')).toMatchObject({ code: 'key-mismatch', message: 'tls: private key does not match public key', node: 'worker2' });
    expect(first('kube-apiserver@cp1>kubelet@worker2')).toMatchObject({ code: 'key-mismatch', side: 'server', node: 'worker2' });
    expect(first('kube-scheduler@cp2>kube-apiserver@cp2')).toMatchObject({ code: 'bad-file', node: 'cp2', file: 'ca.pem' });
    expect(failing(results).some((id) => id.includes('cp1>kube-apiserver@cp1') && id.startsWith('kube-scheduler'))).toBe(false);
  });

  test('a kubelet certificate naming another node: the Node authorizer refuses it', () => {
    const views = healthy();
    const wrong = certFor('worker1', { cn: 'system:node:worker2' });
    views.set('worker1/worker1.pem', file([wrong]));
    views.set('worker1/worker1-key.pem', file([], wrong));
    const results = run(views);
    expect(failing(results)).toEqual(['kubelet@worker1>kube-apiserver@cp1', 'kubelet@worker1>kube-apiserver@cp2']);
    expect(results.find((x) => x.link.id === 'kubelet@worker1>kube-apiserver@cp1')!.reasons).toEqual([expect.objectContaining({
      code: 'identity', message: 'nodes "worker1" is forbidden: node "worker2" is not allowed to modify node "worker1"',
    })]);
  });

  test('the identities the API server derives: admin needs system:masters, kube-proxy, scheduler and controller-manager their users', () => {
    const views = healthy();
    const swap = (node: string | null, name: string, over: Partial<CertFacts>) => {
      const c = certFor(name, over);
      views.set(`${node}/${name}.pem`, file([c]));
      views.set(`${node}/${name}-key.pem`, file([], c));
    };
    swap(null, 'admin', { o: ['system:authenticated'] });
    swap('worker2', 'kube-proxy', { cn: 'kube-proxy' });
    swap('cp1', 'kube-scheduler', { cn: 'system:kube-controller-manager' });
    swap('cp2', 'kube-controller-manager', { cn: 'system:kube-scheduler' });
    const results = run(views);
    expect(failing(results)).toEqual([
      'kubectl@cp1>kube-apiserver@cp1', 'kubectl@cp2>kube-apiserver@cp2',
      'kube-proxy@worker2>kube-apiserver@cp1', 'kube-proxy@worker2>kube-apiserver@cp2',
      'kube-scheduler@cp1>kube-apiserver@cp1', 'kube-controller-manager@cp2>kube-apiserver@cp2',
    ]);
    const first = (id: string) => results.find((x) => x.link.id === id)!.reasons;
    expect(first('kubectl@cp1>kube-apiserver@cp1')).toEqual([expect.objectContaining({ code: 'identity', side: 'client', node: null, file: 'admin.pem',
      message: 'namespaces is forbidden: User "admin" cannot list resource "namespaces" in API group "" at the cluster scope' })]);
    expect(first('kubectl@cp1>kube-apiserver@cp1')[0].detail).toMatch(/needs the group system:masters/);
    expect(first('kube-proxy@worker2>kube-apiserver@cp1')[0]).toMatchObject({ code: 'identity', node: 'worker2',
      message: 'endpointslices.discovery.k8s.io is forbidden: User "kube-proxy" cannot list resource "endpointslices" in API group "discovery.k8s.io" at the cluster scope' });
    expect(first('kube-scheduler@cp1>kube-apiserver@cp1')[0].message).toBe(
      'leases.coordination.k8s.io "kube-scheduler" is forbidden: User "system:kube-controller-manager" cannot get resource "leases" in API group "coordination.k8s.io" in the namespace "kube-system"');
    expect(first('kube-controller-manager@cp2>kube-apiserver@cp2')[0].detail).toMatch(/needs the user system:kube-controller-manager/);
  });

  test('an etcd certificate with server auth only: both peer links fail at the server, the API server to etcd works', () => {
    const views = healthy();
    for (const cp of ['cp1', 'cp2']) {
      const etcd = certFor('etcd', { extKeyUsage: [EKU.serverAuth] });
      views.set(`${cp}/etcd.pem`, file([etcd]));
      views.set(`${cp}/etcd-key.pem`, file([], etcd));
    }
    const results = run(views);
    expect(failing(results)).toEqual(['etcd peer@cp1>etcd peer@cp2', 'etcd peer@cp2>etcd peer@cp1']);
    expect(results.find((x) => x.link.row === 7)!.reasons[0]).toMatchObject({ code: 'incompatible-usage', side: 'client' });
  });

  test('etcd checks that a peer certificate names the address the peer connects from, or leaves it to DNS', () => {
    const views = healthy();
    const noCp2 = certFor('etcd', { ipAddresses: ['192.168.56.21', '127.0.0.1'], dnsNames: [] });
    views.set('cp2/etcd.pem', file([noCp2]));
    views.set('cp2/etcd-key.pem', file([], noCp2));
    const results = run(views);
    const fromCp2 = results.find((x) => x.link.id === 'etcd peer@cp2>etcd peer@cp1')!;
    expect(fromCp2.reasons[0]).toMatchObject({ code: 'hostname', side: 'client', node: 'cp2', message: 'x509: certificate is valid for 192.168.56.21, 127.0.0.1, not 192.168.56.22' });
    // the same certificate with DNS names: etcd resolves them, which kpki cannot; it says what is needed
    const withNames = certFor('etcd', { ipAddresses: ['192.168.56.21', '127.0.0.1'] });
    views.set('cp2/etcd.pem', file([withNames]));
    views.set('cp2/etcd-key.pem', file([], withNames));
    const again = run(views).find((x) => x.link.id === 'etcd peer@cp2>etcd peer@cp1')!;
    expect(again.reasons).toEqual([]);
    expect(again.needs[0]).toMatch(/^DNS: etcd\.pem of cp2 does not name 192\.168\.56\.22.*\(cp1, cp2\)/);
  });

  test('checked in 2030: every certificate has expired; the first reason is the server certificate as the client sees it', () => {
    const results = buildLinks(cluster).map((l) => checkLink(l, lookupOf(healthy()), new Date('2030-01-01T00:00:00Z')));
    expect(results.every((r) => r.verdict === 'fails' && r.reasons[0].code === 'expired' && r.reasons[0].side === 'server')).toBe(true);
  });

  test('the service-account pair differs between control-plane nodes: invalid bearer token', () => {
    const views = healthy();
    const other = certFor('service-account');
    views.set('cp2/service-account.pem', file([other]));
    views.set('cp2/service-account-key.pem', file([], other));
    const check = serviceAccountCheck(['cp1', 'cp2'], lookupOf(views));
    expect(check.verdict).toBe('fails');
    expect(check.reasons[0]).toMatchObject({ node: 'cp2', file: 'service-account.pem', message: 'Unable to authenticate the request: invalid bearer token' });
  });
});
