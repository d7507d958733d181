import { describe, expect, test } from 'vitest';
import type { LinkEdge, LinkReason, LinksResponse } from '@kpki/shared';
import { coverageText, edgeTitle, reasonLine, summaryText } from './links-model.ts';

const reason: LinkReason = { code: 'bad-file', message: 'tls: failed to find any PEM data in certificate input', side: 'client', node: 'worker1', file: 'worker1.pem', detail: '' };
const edge = (id: string, over: Partial<LinkEdge> = {}): LinkEdge => ({
  id, row: 3, client: 'kubelet (worker1)', clientNode: 'worker1', server: 'kube-apiserver', serverNode: 'cp1', address: '192.168.56.20',
  port: 6443, certificate: 'worker1', verdict: 'ok', reasons: [], needs: [], ...over,
});
const edges = [
  edge('a'),
  edge('b', { verdict: 'fails', reasons: [reason] }),
  edge('c', { row: 1, client: 'kube-apiserver', clientNode: 'cp1', server: 'etcd', serverNode: 'cp2', address: '192.168.56.22', port: 2379, certificate: 'kubernetes' }),
];

describe('links on screen', () => {
  test('one line per reason, a title per link', () => {
    expect(reasonLine(reason)).toBe('worker1 · worker1.pem: tls: failed to find any PEM data in certificate input');
    expect(edgeTitle(edges[2])).toBe('kube-apiserver on cp1 → etcd on cp2 at 192.168.56.22:2379');
    expect(edgeTitle(edges[0])).toBe('kubelet (worker1) → kube-apiserver on cp1 at 192.168.56.20:6443');
  });

  test('the overview says how many links work only when every node was verified', () => {
    const r = { summary: { total: 24, ok: 20, fails: 4 }, nodes: { withFiles: 4, verified: 4, oldestCheck: null } } as LinksResponse;
    expect(summaryText(r)).toBe('20 of 24 links work');
    expect(coverageText(r)).toBe('all 4 nodes verified');
    const partly = { ...r, nodes: { withFiles: 4, verified: 1, oldestCheck: null } };
    expect(summaryText(partly)).toBe('Verify all nodes to see how many links work (1 of 4 verified)');
    expect(coverageText({ nodes: null })).toBeNull();
  });
});
