import { describe, expect, it } from 'vitest';
import { nodeRowOf, type CertificateSummary, type Job, type NodeFileStatus, type NodeRow, type NodeStatus } from '@kpki/shared';
import { attentionItems } from './attention.ts';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const inDays = (d: number) => new Date(NOW + d * 86_400_000).toISOString();
const file = (name: string, state: NodeFileStatus['state'], reason: NodeFileStatus['reason'] = null): NodeFileStatus => ({
  file: name, mode: name.endsWith('-key.pem') ? '0600' : '0644', remoteMode: null, expectedSha256: 'e', remoteSha256: null, state, reason,
});
const status = (node: string, state: NodeStatus['state'], files: NodeFileStatus[], checkedAt: string | null = inDays(0)): NodeStatus => ({
  node, state, checkedAt, filesCheckedAt: checkedAt, checkDue: false, remoteDir: '/etc/kubernetes/pki', files, otherFiles: [], error: null,
});
// a row of the node list (GET .../nodes?view=brief), from the node's full state as the server makes it
const node = (name: string, s: NodeStatus, expectedFiles = s.files.length): NodeRow => nodeRowOf({
  name, role: 'worker', addresses: ['10.0.0.1'], ssh: { host: '10.0.0.1', port: 22, user: 'root' }, expectedFiles, status: s,
});
const cert = (name: string, notAfter: string, expiryState: CertificateSummary['expiryState'] = 'ok'): CertificateSummary => ({
  name, cn: name, o: '', serial: '01', notBefore: inDays(-10), notAfter, sha256: 'aa', keyAlgorithm: 'rsa-2048', issuanceId: 'i1', status: 'current', source: 'issued', recipients: [],
  residualSeconds: (Date.parse(notAfter) - NOW) / 1000, expiryState, notAfterCapped: false,
});
const failedDistribution: Job = {
  id: 'j1', type: 'distribution', cluster: 'lab', status: 'failed', progress: { done: 1, total: 2 }, params: { nodes: ['w1', 'w2'] },
  result: { nodes: { w1: { state: 'in-sync' }, w2: { error: { code: 'SSH_UNREACHABLE', message: 'no SSH server could be reached' } } } },
  error: { code: 'NODES_FAILED', message: '1 node failed' }, startedBy: 'admin', createdAt: inDays(0), startedAt: inDays(0), finishedAt: inDays(0), log: [],
};

describe('what needs attention on the dashboard', () => {
  it('nothing when every node holds its files and no certificate expires soon', () => {
    const nodes = [node('w1', status('w1', 'in-sync', [file('w1.pem', 'in-sync')])), node('lb', status('lb', 'nothing-to-hold', []), 0)];
    expect(attentionItems({ hasCa: true, issued: true, nodes, certificates: [cert('w1', inDays(300))], jobs: [], now: NOW })).toEqual([]);
  });

  it('a key readable by everyone comes first, then stale and missing files, an expiry the server calls a warning, a failed distribution', () => {
    const nodes = [
      node('w1', status('w1', 'stale', [file('w1.pem', 'stale'), file('w1-key.pem', 'in-sync')])),
      node('w2', status('w2', 'mode', [file('w2-key.pem', 'mode', { message: 'w2-key.pem is 0644: readable by every user on the node; expected 0600', security: true }), file('w2.pem', 'missing')])),
    ];
    const items = attentionItems({ hasCa: true, issued: true, nodes, certificates: [cert('w1', inDays(12), 'warning'), cert('w2', inDays(200))], jobs: [failedDistribution], now: NOW });
    expect(items[0]).toMatchObject({ level: 'danger', node: 'w2', text: 'w2: w2-key.pem is 0644: readable by every user on the node; expected 0600' });
    const texts = items.map((i) => i.text);
    expect(texts).toContain('w1 holds earlier versions of 1 file (w1.pem): redistribute');
    expect(texts).toContain('w2 misses 1 file (w2.pem): distribute');
    expect(texts.find((t) => t.startsWith('w1.pem expires'))).toBe('w1.pem expires in 12 days (2026-06-13)');
    expect(items.find((i) => i.id === 'distribution-failed')).toMatchObject({ job: 'j1', text: 'The last distribution failed on w2: retry the failed nodes' });
    expect(texts.some((t) => t.startsWith('w2.pem'))).toBe(false);
  });

  it('before anything is issued, the next step', () => {
    expect(attentionItems({ hasCa: false, issued: false, nodes: [], certificates: [], jobs: [], now: NOW }).map((i) => i.text)).toEqual(['Create the CA: nothing is issued yet.']);
    expect(attentionItems({ hasCa: true, issued: false, nodes: [], certificates: [], jobs: [], now: NOW }).map((i) => i.text)).toEqual(['Review the plan and issue the certificates.']);
  });

  it('a fleet: a thousand nodes with the same problem read as one item that counts them and links to them, never a list of names', () => {
    const nodes = [
      ...Array.from({ length: 990 }, (_, i) => node(`w${i}`, status(`w${i}`, 'not-configured', [file(`w${i}.pem`, 'missing')], null))),
      // stale: 8 nodes, one of them also has a key with the wrong mode (its state is 'mode'), so the group cannot link to "stale" alone
      ...Array.from({ length: 7 }, (_, i) => node(`s${i}`, status(`s${i}`, 'stale', [file(`s${i}.pem`, 'stale')]))),
      node('m0', status('m0', 'mode', [file('m0.pem', 'stale'), file('m0-key.pem', 'mode', { message: 'm0-key.pem is 0644', security: true })])),
      ...Array.from({ length: 3 }, (_, i) => node(`u${i}`, status(`u${i}`, 'unreachable', [file(`u${i}.pem`, 'missing')]))),
    ];
    const certificates = Array.from({ length: 9 }, (_, i) => cert(`c${i}`, inDays(10 + i), 'warning'));
    const items = attentionItems({ hasCa: true, issued: true, nodes, certificates, jobs: [], now: NOW });
    const byId = new Map(items.map((i) => [i.id, i]));
    expect(byId.get('nodes/not-configured')).toMatchObject({
      level: 'info', nodesInState: 'not-configured', text: '990 nodes have no SSH target: set their hosts and pin their keys (w0, w1, w2 and 987 more)',
    });
    expect(byId.get('nodes/stale')).toMatchObject({ level: 'warning', text: '8 nodes hold earlier versions of their files: redistribute (s0, s1, s2 and 5 more)' });
    expect(byId.get('nodes/stale')?.nodesInState).toBeUndefined();
    // five or fewer stay one item per node, linking to the node
    expect(items.filter((i) => i.id.endsWith('/unreachable')).map((i) => i.node)).toEqual(['u0', 'u1', 'u2']);
    expect(byId.get('m0/m0-key.pem/mode')).toMatchObject({ level: 'danger', node: 'm0' });
    expect(byId.get('certs/warning')).toMatchObject({ expiryState: 'warning', text: '9 certificates in warning (c0, c1, c2 and 6 more), the first expires in 10 days (2026-06-11)' });
    expect(items.length).toBeLessThan(12);
    expect(items.every((i) => i.text.length < 200)).toBe(true);
  });
});
