import { describe, expect, test } from 'vitest';
import type { ClusterInput, SshSettings } from './api/cluster.ts';
import { checkCluster, validateCluster, type ValidationIssue } from './cluster.ts';
import { hardWayPreset } from './preset.ts';
import { generated, node, withPreset } from './test-topologies.ts';

const codes = (issues: ValidationIssue[]) => issues.map((i) => `${i.code} ${i.path}`);
const withSsh = (ssh: SshSettings): ClusterInput => {
  const cluster = hardWayPreset();
  cluster.nodes[0] = { ...cluster.nodes[0], ssh };
  return cluster;
};
const SOME_KEY = `SHA256:${'A'.repeat(42)}Q`;

describe('valid clusters have no issue', () => {
  test.each([
    ['the preset', hardWayPreset()],
    ['3 cp, 500 workers', generated({ controlPlanes: 3, workers: 500 })],
    ['IPv6 with an IPv6 service CIDR', { ...generated({ controlPlanes: 1, workers: 2, ipv6: true }), serviceCidr: 'fd00:10:96::/108' }],
    ['SSH settings', withSsh({ host: 'cp1.example.com', port: 2222, user: 'ec2-user', remoteDir: '~/pki', hostKey: SOME_KEY })],
    ['extra SANs', withPreset({ extraSans: { kubernetes: ['*.api.example.com', '::1'], worker1: ['10.9.9.9'] } })],
    ['kubeconfig settings of other tools', withPreset({ apiServerPort: 443, kubeconfigClusterName: 'arn:aws:eks:us-east-1:1:cluster/x_y@z'.replace('/', '.'), generateConfigFiles: false })],
    ['no kubeconfig settings (defaults)', (() => {
      const { apiServerPort: _p, kubeconfigClusterName: _n, generateConfigFiles: _g, ...bare } = hardWayPreset();
      return bare;
    })()],
    ['expiry thresholds of its own', withPreset({ expiryWarningDays: 90, expiryCriticalDays: 0 })],
    ['no expiry thresholds (the defaults)', withPreset({ expiryWarningDays: undefined, expiryCriticalDays: undefined })],
  ])('%s', (_, cluster) => {
    expect(validateCluster(cluster)).toEqual([]);
    expect(checkCluster(cluster)).toEqual({ ok: true, value: cluster });
  });
});

describe('each issue code, at its JSON pointer, with a fix in the message', () => {
  const cases: [string, ClusterInput, string][] = [
    ['INVALID_CLUSTER_NAME', withPreset({ name: 'Hard_Way' }), '/name'],
    ['INVALID_DOMAIN', withPreset({ clusterDomain: 'cluster.local.' }), '/clusterDomain'],
    ['INVALID_CIDR', withPreset({ serviceCidr: '10.32.0.1/24' }), '/serviceCidr'],
    ['INVALID_CIDR', withPreset({ serviceCidr: '10.32.0.0' }), '/serviceCidr'],
    ['INVALID_CIDR', withPreset({ serviceCidr: '10.32.0.0/33' }), '/serviceCidr'],
    ['NO_USABLE_ADDRESS', withPreset({ serviceCidr: '10.32.0.1/32' }), '/serviceCidr'],
    ['NO_USABLE_ADDRESS', withPreset({ serviceCidr: 'fd00::/128' }), '/serviceCidr'],
    ['INVALID_NODE_NAME', withPreset({ nodes: [node('cp1', 'control-plane', '10.0.0.1'), node('Worker.1', 'worker', '10.0.0.2')] }), '/nodes/1/name'],
    ['RESERVED_NODE_NAME', withPreset({ nodes: [node('cp1', 'control-plane', '10.0.0.1'), node('kubernetes', 'worker', '10.0.0.2')] }), '/nodes/1/name'],
    ['FILE_NAME_COLLISION', withPreset({ nodes: [node('cp1', 'control-plane', '10.0.0.1'), node('kube-proxy-key', 'worker', '10.0.0.2')] }), '/nodes/1/name'],
    ['FILE_NAME_COLLISION', withPreset({ nodes: [node('cp1', 'control-plane', '10.0.0.1'), node('ca-key', 'worker', '10.0.0.2')] }), '/nodes/1/name'],
    ['FILE_NAME_COLLISION', withPreset({ nodes: [node('cp1', 'control-plane', '10.0.0.1'), node('w1-key', 'worker', '10.0.0.2'), node('w1', 'worker', '10.0.0.3')] }), '/nodes/1/name'],
    ['DUPLICATE_NODE_NAME', withPreset({ nodes: [node('a', 'control-plane', '10.0.0.1'), node('b', 'worker', '10.0.0.2'), node('a', 'worker', '10.0.0.3')] }), '/nodes/2/name'],
    ['INVALID_IP', withPreset({ nodes: [node('a', 'control-plane', '10.0.0.1', '10.0.0.300')] }), '/nodes/0/addresses/1'],
    ['INVALID_IP', withPreset({ nodes: [node('a', 'control-plane', '10.0.0.0/24')] }), '/nodes/0/addresses/0'],
    ['INVALID_IP', withPreset({ nodes: [node('a', 'control-plane', '0.0.0.0')] }), '/nodes/0/addresses/0'],
    ['INVALID_IP', withPreset({ nodes: [node('a', 'control-plane', '[fd00::1]')] }), '/nodes/0/addresses/0'],
    ['DUPLICATE_ADDRESS', withPreset({ nodes: [node('a', 'control-plane', 'fd00::1'), node('b', 'worker', 'FD00:0::1')] }), '/nodes/1/addresses/0'],
    ['DUPLICATE_ADDRESS', withPreset({ nodes: [node('a', 'control-plane', '10.0.0.1', '10.0.0.1')] }), '/nodes/0/addresses/1'],
    ['NO_CONTROL_PLANE', withPreset({ nodes: [node('a', 'worker', '10.0.0.1'), node('b', 'load-balancer', '10.0.0.2')] }), '/nodes'],
    ['VALIDITY_EXCEEDS_CA', withPreset({ caValidityHours: 8760, certValidityHours: 8761 }), '/certValidityHours'],
    ['UNKNOWN_CERTIFICATE', withPreset({ extraSans: { 'kube-apiserver': ['api.example.com'] } }), '/extraSans/kube-apiserver'],
    ['UNKNOWN_CERTIFICATE', withPreset({ extraSans: { 'cp1': ['api.example.com'] } }), '/extraSans/cp1'],
    ['UNKNOWN_CERTIFICATE', withPreset({ extraSans: { 'a/b~c': ['x.example.com'] } }), '/extraSans/a~1b~0c'],
    ['INVALID_SAN', withPreset({ extraSans: { kubernetes: ['ok.example.com', 'bad name'] } }), '/extraSans/kubernetes/1'],
    ['INVALID_SAN', withPreset({ extraSans: { etcd: ['*.com'] } }), '/extraSans/etcd/0'],
    ['INVALID_SAN', withPreset({ extraSans: { etcd: ['::'] } }), '/extraSans/etcd/0'],
    ['INVALID_SAN', withPreset({ extraSans: { ca: ['ca.example.com'] } }), '/extraSans/ca'],
    ['INVALID_SSH_HOST', withSsh({ host: 'bad host' }), '/nodes/0/ssh/host'],
    ['INVALID_SSH_HOST', withSsh({ host: '[fd00::1]' }), '/nodes/0/ssh/host'],
    ['INVALID_SSH_USER', withSsh({ user: '-oProxyCommand=x' }), '/nodes/0/ssh/user'],
    ['INVALID_REMOTE_DIR', withSsh({ remoteDir: '/etc/kubernetes/../../root' }), '/nodes/0/ssh/remoteDir'],
    ['INVALID_REMOTE_DIR', withSsh({ remoteDir: 'pki' }), '/nodes/0/ssh/remoteDir'],
    ['INVALID_REMOTE_DIR', withSsh({ remoteDir: '/' }), '/nodes/0/ssh/remoteDir'],
    ['INVALID_REMOTE_DIR', withSsh({ remoteDir: '/etc' }), '/nodes/0/ssh/remoteDir'],
    ['INVALID_REMOTE_DIR', withSsh({ remoteDir: '~/.ssh' }), '/nodes/0/ssh/remoteDir'],
    ['INVALID_REMOTE_DIR', withSsh({ remoteDir: '~root/pki' }), '/nodes/0/ssh/remoteDir'],
    ['INVALID_REMOTE_DIR', withSsh({ remoteDir: '/tmp/a\u0000b' }), '/nodes/0/ssh/remoteDir'],
    ['INVALID_HOST_KEY', withSsh({ hostKey: 'SHA256:short' }), '/nodes/0/ssh/hostKey'],
    ['INVALID_HOST_KEY', withSsh({ hostKey: `MD5:${'A'.repeat(43)}` }), '/nodes/0/ssh/hostKey'],
    ['INVALID_HOST_KEY', withSsh({ hostKey: `SHA256:${'A'.repeat(42)}B` }), '/nodes/0/ssh/hostKey'], // not a 32-byte digest
    ['INVALID_SUBJECT', withPreset({ subject: { C: 'us', ST: 'Oregon', L: 'Portland', OU: 'x' } }), '/subject/C'],
    ['INVALID_SUBJECT', withPreset({ subject: { C: 'US', ST: 'Oregon', L: 'Port\nland', OU: 'x' } }), '/subject/L'],
    ['RESERVED_NODE_NAME', withPreset({ nodes: [node('cp1', 'control-plane', '10.0.0.1'), node('admin-workstation', 'worker', '10.0.0.2')] }), '/nodes/1/name'],
    ['INVALID_KUBECONFIG_NAME', withPreset({ kubeconfigClusterName: 'my cluster' }), '/kubeconfigClusterName'],
    ['INVALID_KUBECONFIG_NAME', withPreset({ kubeconfigClusterName: '-prod' }), '/kubeconfigClusterName'],
    ['INVALID_KUBECONFIG_NAME', withPreset({ kubeconfigClusterName: 'prod\n' }), '/kubeconfigClusterName'],
    ['INVALID_EXPIRY_THRESHOLDS', withPreset({ expiryWarningDays: 10, expiryCriticalDays: 10 }), '/expiryCriticalDays'],
    ['INVALID_EXPIRY_THRESHOLDS', withPreset({ expiryWarningDays: 5, expiryCriticalDays: undefined }), '/expiryWarningDays'],
  ];

  test.each(cases.map(([code, cluster, path]) => [code, path, cluster] as const))('%s at %s', (code, path, cluster) => {
    const issues = validateCluster(cluster);
    expect(codes(issues)).toEqual([`${code} ${path}`]);
    expect(issues[0].message).toMatch(/; /); // "what is wrong; how to fix it"
  });

  test('a node name in uppercase gets a lowercase hint', () => {
    const [issue] = validateCluster(withPreset({ nodes: [node('CP1', 'control-plane', '10.0.0.1')] }));
    expect(issue.message).toContain('use lowercase: "cp1"');
  });

  test('a CIDR with host bits suggests its network address', () => {
    const [issue] = validateCluster(withPreset({ serviceCidr: '10.96.3.4/12' }));
    expect(issue.message).toContain('"10.96.0.0/12"');
  });

  test('a file name collision names both certificates and both files', () => {
    const [kubeProxy] = validateCluster(withPreset({ nodes: [node('cp1', 'control-plane', '10.0.0.1'), node('kube-proxy-key', 'worker', '10.0.0.2')] }));
    expect(kubeProxy.message).toContain('worker "kube-proxy-key"');
    expect(kubeProxy.message).toContain('kube-proxy-key.pem');
    expect(kubeProxy.message).toContain('certificate "kube-proxy"');
    const [ca] = validateCluster(withPreset({ nodes: [node('cp1', 'control-plane', '10.0.0.1'), node('ca-key', 'worker', '10.0.0.2')] }));
    expect(ca.message).toContain('the key file of the CA (ca-key.pem)');
    const [worker] = validateCluster(withPreset({ nodes: [node('cp1', 'control-plane', '10.0.0.1'), node('w1', 'worker', '10.0.0.2'), node('w1-key', 'worker', '10.0.0.3')] }));
    expect(worker).toMatchObject({ path: '/nodes/2/name', code: 'FILE_NAME_COLLISION' });
    expect(worker.message).toContain('worker "w1" (its kubelet certificate)');
    // names that only look alike do not collide: a control-plane node (it has no certificate of its own), "-keys", "key"
    expect(validateCluster(withPreset({ nodes: [node('etcd-key', 'control-plane', '10.0.0.1'), node('w1-keys', 'worker', '10.0.0.2'), node('key', 'worker', '10.0.0.3')] }))).toEqual([]);
  });

  test('a control-plane node may be called like a certificate; only workers may not', () => {
    expect(validateCluster(withPreset({ nodes: [node('etcd', 'control-plane', '10.0.0.1')] }))).toEqual([]);
  });

  test('several problems are all reported', () => {
    const issues = validateCluster({
      ...withPreset({ name: '-x', serviceCidr: 'nope', clusterDomain: 'a..b', certValidityHours: 50000 }),
      nodes: [node('w', 'worker', 'x'), node('w', 'worker', '10.0.0.1')],
    });
    expect(codes(issues)).toEqual([
      'INVALID_CLUSTER_NAME /name', 'INVALID_DOMAIN /clusterDomain', 'INVALID_CIDR /serviceCidr', 'INVALID_IP /nodes/0/addresses/0',
      'DUPLICATE_NODE_NAME /nodes/1/name', 'NO_CONTROL_PLANE /nodes', 'VALIDITY_EXCEEDS_CA /certValidityHours',
    ]);
  });
});

describe('checkCluster', () => {
  test('maps schema errors to VALIDATION_FAILED at the instance path, before the domain rules', () => {
    const body = { ...hardWayPreset(), name: '', keyAlgorithm: 'rsa-1024', extra: 1 } as unknown;
    const result = checkCluster(body);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.every((i) => i.code === 'VALIDATION_FAILED')).toBe(true);
    expect(result.issues.map((i) => i.path).sort()).toEqual(['/extra', '/keyAlgorithm', '/name']);
    const algo = result.issues.find((i) => i.path === '/keyAlgorithm')!;
    expect(algo.message).toContain('"rsa-2048", "rsa-3072", "rsa-4096", "ecdsa-p256", "ecdsa-p384"');
  });

  test('a missing property is reported at its own path; a non-object body at ""', () => {
    const { subject: _omitted, ...rest } = hardWayPreset();
    const missing = checkCluster(rest);
    expect(missing).toEqual({ ok: false, issues: [expect.objectContaining({ path: '/subject', code: 'VALIDATION_FAILED' })] });
    const notObject = checkCluster('cluster');
    expect(notObject.ok).toBe(false);
    if (!notObject.ok) expect(notObject.issues[0]).toMatchObject({ path: '', code: 'VALIDATION_FAILED' });
  });

  test('nested schema errors point into the node', () => {
    const body = hardWayPreset() as unknown as { nodes: Record<string, unknown>[] };
    body.nodes[1] = { ...body.nodes[1], role: 'master', addresses: [] };
    const result = checkCluster(body);
    if (result.ok) throw new Error('expected issues');
    expect(result.issues.map((i) => i.path)).toEqual(['/nodes/1/role', '/nodes/1/addresses']);
  });

  test('the API server port and the switch are checked by the schema', () => {
    for (const [body, path] of [[withPreset({ apiServerPort: 0 }), '/apiServerPort'], [withPreset({ apiServerPort: 65536 }), '/apiServerPort'],
      [{ ...hardWayPreset(), generateConfigFiles: 'yes' }, '/generateConfigFiles'], [withPreset({ kubeconfigClusterName: '' }), '/kubeconfigClusterName']] as const) {
      const result = checkCluster(body);
      expect(result.ok, path).toBe(false);
      if (!result.ok) expect(result.issues.map((i) => `${i.code} ${i.path}`)).toEqual([`VALIDATION_FAILED ${path}`]);
    }
  });

  test('a body that matches the schema but breaks a rule returns the domain issues', () => {
    const result = checkCluster(withPreset({ serviceCidr: '10.32.0.0/31' }));
    expect(result).toEqual({ ok: false, issues: [expect.objectContaining({ code: 'NO_USABLE_ADDRESS' })] });
  });
});

describe('expiry thresholds in the schema', () => {
  test.each([
    ['expiryWarningDays', 0], ['expiryWarningDays', 3651], ['expiryCriticalDays', -1], ['expiryWarningDays', 1.5],
  ] as const)('%s = %s is refused at its pointer', (field, value) => {
    const res = checkCluster({ ...hardWayPreset(), [field]: value });
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.issues.map((i) => i.path)).toEqual([`/${field}`]);
  });
});
