import { describe, expect, test } from 'vitest';
import { buildCatalog } from './catalog.ts';
import type { PlannedCertificate } from './plan.ts';
import { hardWayPreset } from './preset.ts';
import { generated, node, withPreset } from './test-topologies.ts';

const byName = (catalog: PlannedCertificate[], name: string): PlannedCertificate => {
  const found = catalog.find((c) => c.name === name);
  if (!found) throw new Error(`no certificate ${name}`);
  return found;
};
const sanValues = (c: PlannedCertificate) => c.sans.map((s) => s.value).join(',');

// Literal text of the tutorial (module 07), sections 10 and 6.
const KUBERNETES_HOSTNAMES = 'kubernetes,kubernetes.default,kubernetes.default.svc,kubernetes.default.svc.cluster,kubernetes.default.svc.cluster.local';
const TUTORIAL_HOSTNAMES: Record<string, string> = {
  worker1: 'worker1,192.168.56.23',
  worker2: 'worker2,192.168.56.24',
  kubernetes: `10.32.0.1,192.168.56.20,192.168.56.21,192.168.56.22,127.0.0.1,${KUBERNETES_HOSTNAMES}`,
  etcd: 'cp1,cp2,192.168.56.21,192.168.56.22,127.0.0.1',
};

describe('the tutorial preset', () => {
  const catalog = buildCatalog(hardWayPreset());

  test('has exactly the 10 certificates, in catalog order', () => {
    expect(catalog.map((c) => c.name)).toEqual([
      'ca', 'admin', 'worker1', 'worker2', 'kube-controller-manager', 'kube-proxy', 'kube-scheduler', 'kubernetes', 'etcd',
      'service-account',
    ]);
  });

  test.each([
    // name, CN, O (the tutorial's CSR files; the CA's OU is "CA")
    ['ca', 'Kubernetes', 'Kubernetes', 'CA'],
    ['admin', 'admin', 'system:masters', 'Kubernetes The Hard Way'],
    ['worker1', 'system:node:worker1', 'system:nodes', 'Kubernetes The Hard Way'],
    ['worker2', 'system:node:worker2', 'system:nodes', 'Kubernetes The Hard Way'],
    ['kube-controller-manager', 'system:kube-controller-manager', 'system:kube-controller-manager', 'Kubernetes The Hard Way'],
    ['kube-proxy', 'system:kube-proxy', 'system:node-proxier', 'Kubernetes The Hard Way'],
    ['kube-scheduler', 'system:kube-scheduler', 'system:kube-scheduler', 'Kubernetes The Hard Way'],
    ['kubernetes', 'kubernetes', 'Kubernetes', 'Kubernetes The Hard Way'],
    ['etcd', 'etcd', 'etcd', 'Kubernetes The Hard Way'],
    ['service-account', 'service-accounts', 'Kubernetes', 'Kubernetes The Hard Way'],
  ])('%s has CN=%s O=%s OU=%s', (name, cn, o, ou) => {
    const c = byName(catalog, name);
    expect([c.cn, c.o, c.ou]).toEqual([cn, o, ou]);
  });

  test.each(Object.entries(TUTORIAL_HOSTNAMES))('%s has the SANs of the tutorial\'s -hostname=%s', (name, hostnames) => {
    expect(sanValues(byName(catalog, name))).toBe(hostnames);
  });

  test('certificates without -hostname in the tutorial have no SAN', () => {
    const withoutSans = catalog.filter((c) => !(c.name in TUTORIAL_HOSTNAMES));
    expect(withoutSans.map((c) => c.name)).toEqual(['ca', 'admin', 'kube-controller-manager', 'kube-proxy', 'kube-scheduler', 'service-account']);
    for (const c of withoutSans) expect(c.sans).toEqual([]);
  });

  test('IP and DNS SANs are typed', () => {
    const etcd = byName(catalog, 'etcd');
    expect(etcd.sans.map((s) => s.type)).toEqual(['dns', 'dns', 'ip', 'ip', 'ip']);
  });

  test('every SAN has a reason; the API server reasons follow the tutorial\'s "Why each SAN is needed"', () => {
    for (const c of catalog) for (const san of c.sans) expect(san.reason.length).toBeGreaterThan(10);
    const reasons = byName(catalog, 'kubernetes').sans.map((s) => s.reason);
    expect(reasons[0]).toBe('first address of the service CIDR 10.32.0.0/24: the ClusterIP of the kubernetes service');
    expect(reasons[1]).toBe('load balancer lb: external clients connect here');
    expect(reasons[2]).toBe('control-plane node cp1: an API server runs here');
    expect(reasons[3]).toBe('control-plane node cp2: an API server runs here');
    expect(reasons[4]).toMatch(/^localhost: /);
    expect(reasons.slice(5)).toEqual(Array(5).fill('DNS name pods use inside the cluster'));
  });

  test('the CA signs, leaves use the kubernetes profile', () => {
    const [ca, ...leaves] = catalog;
    expect(ca).toMatchObject({ isCa: true, usages: ['certificate sign', 'crl sign'] });
    for (const c of leaves) {
      expect(c).toMatchObject({ isCa: false, usages: ['digital signature', 'key encipherment', 'server auth', 'client auth'] });
    }
  });

  test('recipients: ca to every cp and worker, admin to none, each kubelet cert to its worker only', () => {
    const recipients = Object.fromEntries(catalog.map((c) => [c.name, c.recipients]));
    expect(recipients).toEqual({
      ca: ['cp1', 'cp2', 'worker1', 'worker2'],
      admin: [],
      worker1: ['worker1'],
      worker2: ['worker2'],
      'kube-controller-manager': ['cp1', 'cp2'],
      'kube-proxy': ['worker1', 'worker2'],
      'kube-scheduler': ['cp1', 'cp2'],
      kubernetes: ['cp1', 'cp2'],
      etcd: ['cp1', 'cp2'],
      'service-account': ['cp1', 'cp2'],
    });
  });

  test('used by / used for as in the certificate summary', () => {
    expect(byName(catalog, 'worker1').usedBy).toBe('kubelet on worker1');
    expect(byName(catalog, 'kubernetes').usedBy).toBe('kube-apiserver');
    expect(byName(catalog, 'service-account').usedFor).toMatch(/not TLS/);
    expect(byName(catalog, 'admin').identity).toMatch(/system:masters/);
    expect(byName(catalog, 'worker2').identity).toMatch(/Node authorizer/);
    for (const c of catalog) expect(c.usedBy && c.usedFor).toBeTruthy();
  });
});

describe('ruled-out traps', () => {
  const domains = ['cluster.local', 'k8s.example.com', 'cluster'];

  test.each(domains)('"kubernetes.svc.cluster.local" (missing default) never appears; domain %s', (domain) => {
    const api = byName(buildCatalog(withPreset({ clusterDomain: domain })), 'kubernetes');
    const names = api.sans.filter((s) => s.type === 'dns').map((s) => s.value);
    expect(names).toContain(`kubernetes.default.svc.${domain}`);
    expect(names.filter((n) => n.startsWith('kubernetes.svc'))).toEqual([]);
    expect(names).not.toContain('kubernetes.svc.cluster.local');
  });

  test('"O=system:system:kube-scheduler" never appears: the scheduler is O=system:kube-scheduler', () => {
    const catalog = buildCatalog(generated({ controlPlanes: 3, workers: 4 }));
    expect(byName(catalog, 'kube-scheduler').o).toBe('system:kube-scheduler');
    expect(catalog.filter((c) => c.o.includes('system:system:') || c.cn.includes('system:system:'))).toEqual([]);
  });

  test('one kubelet certificate shared by all nodes never: a distinct name, CN and SANs per worker', () => {
    const catalog = buildCatalog(generated({ controlPlanes: 1, workers: 3 }));
    const kubelets = catalog.filter((c) => c.kind === 'kubelet');
    expect(kubelets.map((c) => c.name)).toEqual(['w-0', 'w-1', 'w-2']);
    expect(kubelets.map((c) => c.cn)).toEqual(['system:node:w-0', 'system:node:w-1', 'system:node:w-2']);
    expect(new Set(kubelets.map(sanValues)).size).toBe(3);
    for (const c of kubelets) expect(c.recipients).toEqual([c.name]);
  });

  test('an API server SAN list that ignores the service CIDR never: changing the CIDR changes the SAN', () => {
    const first = (serviceCidr: string) => byName(buildCatalog(withPreset({ serviceCidr })), 'kubernetes').sans[0];
    expect(first('10.32.0.0/24')).toMatchObject({ type: 'ip', value: '10.32.0.1' });
    expect(first('10.96.0.0/12')).toMatchObject({ type: 'ip', value: '10.96.0.1', reason: expect.stringContaining('10.96.0.0/12') });
    expect(first('fd00:10:96::/108')).toMatchObject({ type: 'ip', value: 'fd00:10:96::1' });
    const api = byName(buildCatalog(withPreset({ serviceCidr: '10.96.0.0/12' })), 'kubernetes');
    expect(api.sans.map((s) => s.value)).not.toContain('10.32.0.1');
  });
});

describe('other shapes', () => {
  test('3 control-plane nodes and no load balancer', () => {
    const cluster = withPreset({
      nodes: [
        node('m1', 'control-plane', '10.1.0.1'), node('m2', 'control-plane', '10.1.0.2'), node('m3', 'control-plane', '10.1.0.3'),
        node('n1', 'worker', '10.1.1.1'),
      ],
    });
    const catalog = buildCatalog(cluster);
    expect(catalog).toHaveLength(9);
    expect(sanValues(byName(catalog, 'kubernetes'))).toBe(`10.32.0.1,10.1.0.1,10.1.0.2,10.1.0.3,127.0.0.1,${KUBERNETES_HOSTNAMES}`);
    expect(sanValues(byName(catalog, 'etcd'))).toBe('m1,m2,m3,10.1.0.1,10.1.0.2,10.1.0.3,127.0.0.1');
    expect(byName(catalog, 'kubernetes').recipients).toEqual(['m1', 'm2', 'm3']);
    expect(byName(catalog, 'ca').recipients).toEqual(['m1', 'm2', 'm3', 'n1']);
  });

  test('IPv6 and dual-stack node addresses, in canonical form', () => {
    const cluster = withPreset({
      serviceCidr: 'fd00:10:96::/108',
      nodes: [
        node('cp', 'control-plane', '2001:DB8:0:0::10', '192.0.2.10'),
        node('edge', 'load-balancer', '2001:db8::20'),
        node('node-a', 'worker', '2001:0db8::30'),
      ],
    });
    const catalog = buildCatalog(cluster);
    expect(byName(catalog, 'node-a').sans).toEqual([
      { type: 'dns', value: 'node-a', reason: expect.any(String) },
      { type: 'ip', value: '2001:db8::30', reason: expect.any(String) },
    ]);
    expect(sanValues(byName(catalog, 'kubernetes'))).toBe(
      `fd00:10:96::1,2001:db8::20,2001:db8::10,192.0.2.10,127.0.0.1,${KUBERNETES_HOSTNAMES}`,
    );
    expect(sanValues(byName(catalog, 'etcd'))).toBe('cp,2001:db8::10,192.0.2.10,127.0.0.1');
  });

  test('another cluster domain: last name follows it, "kubernetes.default.svc.cluster" stays literally', () => {
    const api = byName(buildCatalog(withPreset({ clusterDomain: 'k8s.example.com' })), 'kubernetes');
    expect(api.sans.slice(-5).map((s) => s.value)).toEqual([
      'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster',
      'kubernetes.default.svc.k8s.example.com',
    ]);
    expect(api.sans.map((s) => s.value)).not.toContain('kubernetes.default.svc.cluster.local');
  });

  test('domain "cluster" does not repeat kubernetes.default.svc.cluster', () => {
    const api = byName(buildCatalog(withPreset({ clusterDomain: 'cluster' })), 'kubernetes');
    expect(api.sans.filter((s) => s.value === 'kubernetes.default.svc.cluster')).toHaveLength(1);
    expect(api.sans).toHaveLength(9);
  });

  test('extra SANs are appended, typed, canonical, deduplicated, with the operator as reason', () => {
    const cluster = withPreset({
      extraSans: {
        kubernetes: ['api.example.com', '203.0.113.5', '127.0.0.1', 'kubernetes', '2001:DB8::1', '2001:db8:0::1', 'api.example.com'],
        worker1: ['*.nodes.example.com'],
        admin: ['operator.example.com'],
      },
    });
    const catalog = buildCatalog(cluster);
    const api = byName(catalog, 'kubernetes');
    expect(api.sans).toHaveLength(13);
    expect(api.sans.slice(10)).toEqual([
      { type: 'dns', value: 'api.example.com', reason: 'added by the operator' },
      { type: 'ip', value: '203.0.113.5', reason: 'added by the operator' },
      { type: 'ip', value: '2001:db8::1', reason: 'added by the operator' },
    ]);
    expect(api.sans.filter((s) => s.value === '127.0.0.1')).toEqual([expect.objectContaining({ reason: expect.stringMatching(/^localhost/) })]);
    expect(sanValues(byName(catalog, 'worker1'))).toBe('worker1,192.168.56.23,*.nodes.example.com');
    expect(sanValues(byName(catalog, 'admin'))).toBe('operator.example.com');
    expect(sanValues(byName(catalog, 'worker2'))).toBe('worker2,192.168.56.24');
  });

  test('the CA never carries SANs, even if extraSans names it', () => {
    expect(buildCatalog(withPreset({ extraSans: { ca: ['ca.example.com'] } }))[0].sans).toEqual([]);
  });

  test('no worker: no kubelet certificate, kube-proxy goes nowhere', () => {
    const catalog = buildCatalog(withPreset({ nodes: [node('solo', 'control-plane', '10.1.0.1')] }));
    expect(catalog.map((c) => c.name)).toEqual([
      'ca', 'admin', 'kube-controller-manager', 'kube-proxy', 'kube-scheduler', 'kubernetes', 'etcd', 'service-account',
    ]);
    expect(byName(catalog, 'kube-proxy').recipients).toEqual([]);
  });

  test('the subject OU of the cluster is every leaf\'s OU', () => {
    const catalog = buildCatalog(withPreset({ subject: { C: 'DE', ST: 'Berlin', L: 'Berlin', OU: 'Platform' } }));
    expect(catalog.slice(1).every((c) => c.ou === 'Platform')).toBe(true);
    expect(catalog[0].ou).toBe('CA');
  });

  test('500 workers: one certificate each', () => {
    const cluster = generated({ controlPlanes: 3, workers: 500 });
    const catalog = buildCatalog(cluster);
    expect(catalog).toHaveLength(508);
    const kubelets = catalog.filter((c) => c.kind === 'kubelet');
    expect(new Set(kubelets.map((c) => c.cn)).size).toBe(500);
    expect(byName(catalog, 'kube-proxy').recipients).toHaveLength(500);
    expect(byName(catalog, 'ca').recipients).toHaveLength(503);
  });
});
