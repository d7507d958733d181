import { describe, expect, test } from 'vitest';
import type { LinkEdge, LinkReason, LinksResponse } from '@kpki/shared';
import { coverageText, edgeTitle, filterEdges, nodeEdges, reasonLine, rowVerdicts, summaryText } from './links-model.ts';

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
  test('failing links first; the failing filter and the text filter (reasons included)', () => {
    expect(filterEdges(edges, { failingOnly: false, text: '' }).map((e) => e.id)).toEqual(['b', 'a', 'c']);
    expect(filterEdges(edges, { failingOnly: true, text: '' }).map((e) => e.id)).toEqual(['b']);
    expect(filterEdges(edges, { failingOnly: false, text: 'ETCD' }).map((e) => e.id)).toEqual(['c']);
    expect(filterEdges(edges, { failingOnly: false, text: 'pem data' }).map((e) => e.id)).toEqual(['b']);
  });

  test('verdicts per matrix row, the links of one node, one line per reason, a title per link', () => {
    expect(rowVerdicts(edges, 8)[3]).toEqual({ ok: 1, fails: 1 });
    expect(rowVerdicts(edges, 8)[1]).toEqual({ ok: 1, fails: 0 });
    expect(nodeEdges(edges, 'cp2').map((e) => e.id)).toEqual(['c']);
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
